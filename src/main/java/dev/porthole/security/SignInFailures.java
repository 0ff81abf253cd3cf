package dev.porthole.security;

import java.io.Serializable;

/** One key's failed sign-ins: how many, and when the last one was (on the {@link SharedSecurity#clock}). */
public record SignInFailures(int count, long last) implements Serializable {
}
