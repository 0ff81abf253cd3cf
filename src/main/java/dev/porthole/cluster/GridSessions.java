package dev.porthole.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import dev.porthole.security.CredentialEnd;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.SignedInSessions;
import dev.porthole.security.SignedInUser;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Sign-ins every node honours, without the container's session (which lives in one JVM) and without any
 * container-specific replication (embedded Tomcat, standalone Tomcat and Payara alike). A sign-in is a record in a
 * grid map, under the SHA-256 of 256 random bits that only the browser holds, in the cookie {@value #COOKIE}
 * (HttpOnly, SameSite=Strict, Secure over HTTPS): any node reads the record the cookie names, so the person is signed
 * in on all of them, and the map's copy of every record on a second member keeps it through one node's end. The
 * record is forgotten after the container's session timeout without a request (max idle; every read renews it).
 *
 * <p>Removing a record is signing out, an expired one is a session expiry: every node hears of it from the map and
 * ends what that credential opened on it, so a sign-out on one node closes the person's terminals on all.
 */
final class GridSessions implements SignedInSessions {
    static final String COOKIE = "porthole-signin";
    /** 43 characters of base64url: 256 bits. Anything else is no cookie of ours and is not looked up. */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** What the grid keeps of one sign-in; never the cookie itself. */
    record SignIn(SignedInUser user, String credential) implements Serializable {
    }

    private final IMap<String, SignIn> map;
    private final SecureRandom random = new SecureRandom();

    GridSessions(IMap<String, SignIn> map, CredentialEnds ends) {
        this.map = map;
        map.addEntryListener(new Ended(ends), true);
    }

    @Override
    public Optional<SessionUsers.CredentialPrincipal> find(HttpServletRequest request) {
        return cookie(request).map(value -> map.get(key(value)))
                .map(signIn -> new SessionUsers.CredentialPrincipal(signIn.user(), signIn.credential()));
    }

    @Override
    public void signIn(HttpServletRequest request, HttpServletResponse response, SignedInUser user) {
        Optional<String> before = cookie(request);
        Optional<SignIn> previous = before.map(value -> map.get(key(value)));
        long idleSeconds = TimeUnit.MINUTES.toSeconds(Math.max(1, request.getServletContext().getSessionTimeout()));
        if (previous.isPresent() && previous.get().user().equals(user)) {
            // The same person again: the same credential, so that the terminals it opened go on.
            map.put(key(before.get()), previous.get(), 0, TimeUnit.SECONDS, idleSeconds, TimeUnit.SECONDS);
            setCookie(request, response, before.get(), -1);
            return;
        }
        before.ifPresent(value -> map.remove(key(value))); // someone else signed in on this browser: a sign-out
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        map.put(key(value), new SignIn(user, SessionUsers.newSessionCredential(random)), 0, TimeUnit.SECONDS,
                idleSeconds, TimeUnit.SECONDS);
        setCookie(request, response, value, -1);
    }

    @Override
    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        cookie(request).ifPresent(value -> {
            map.remove(key(value));
            setCookie(request, response, "", 0);
        });
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && VALUE.matcher(cookie.getValue()).matches()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static void setCookie(HttpServletRequest request, HttpServletResponse response, String value, int maxAge) {
        Cookie cookie = new Cookie(COOKIE, value);
        cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setAttribute("SameSite", "Strict");
        cookie.setMaxAge(maxAge);
        response.addCookie(cookie);
    }

    /** The grid's key of a cookie: its SHA-256, so that what the grid holds signs no one in. */
    static String key(String cookie) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hears, on every node, of every sign-in that ended anywhere. */
    private record Ended(CredentialEnds ends) implements EntryRemovedListener<String, SignIn>,
            EntryExpiredListener<String, SignIn>, EntryEvictedListener<String, SignIn> {
        @Override
        public void entryRemoved(EntryEvent<String, SignIn> event) {
            end(event, CredentialEnd.SIGNED_OUT);
        }

        @Override
        public void entryExpired(EntryEvent<String, SignIn> event) {
            end(event, CredentialEnd.SESSION_EXPIRED);
        }

        @Override
        public void entryEvicted(EntryEvent<String, SignIn> event) {
            end(event, CredentialEnd.SESSION_EXPIRED);
        }

        private void end(EntryEvent<String, SignIn> event, CredentialEnd why) {
            SignIn signIn = event.getOldValue() != null ? event.getOldValue() : event.getValue();
            if (signIn != null) {
                ends.ended(signIn.credential(), why);
            }
        }
    }
}
