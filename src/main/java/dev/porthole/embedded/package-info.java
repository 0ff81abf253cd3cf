/** The one-command start: Porthole's WAR on an embedded Tomcat, with a users file made on first start. Not packaged into the WAR. */
package dev.porthole.embedded;
