/** The audit trail: one JSON line per terminal start and end, sign-in failure and refusal, in a rotating file; and optional asciicast recordings of terminal output. */
package dev.porthole.audit;
