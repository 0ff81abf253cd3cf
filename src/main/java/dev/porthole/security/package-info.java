/** Who is signed in, what they may do, and the filter that refuses every other request before it reaches the API or a socket. */
package dev.porthole.security;
