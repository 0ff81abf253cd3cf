package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No terminal outlives the credential that reaches it. A terminal and a waiting exec instance belong to the session
 * or the API token that created them, not to a user name: another session or token of the same user cannot reach
 * them, a second sign-in on the same cookie (which changes the session id) carries them along, and sign-out,
 * expiry or revocation ends them with 4401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialEndIT {
    private static final String SIGNED_OUT = "signed out";
    private TestServer.Running server;

    @BeforeAll
    void start() {
        // Its own context path, so that its session manager has a JMX name of its own (for the expiry test); three
        // waiting instances per user, so that a test can see them forgotten; instances wait long enough for a slow machine.
        server = TestServer.startServerAt("/credentials", "limits.pending-per-user=3", "exec.attach-timeout=120s");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aSecondSignInOnTheSameCookieCarriesTheTerminalsAlongAndSignOutEndsThem() {
        ApiClient alice = server.signedIn("alice");
        TerminalClient open = alice.terminal("ph-busybox");
        typeAndSee(open, "before");
        String waiting = alice.createExec("ph-busybox", "{}");
        String before = alice.sessionCookie();

        alice.signIn("alice", "alice-password");
        assertNotEquals(before, alice.sessionCookie(), "the session id changes at sign-in");
        typeAndSee(open, "after");
        TerminalClient attached = alice.attach(waiting, "envId=1");
        typeAndSee(attached, "carried");
        assertEquals(200, alice.resize(waiting, 30, 100).status());

        assertEquals(204, alice.post("api/auth/logout", null).status());
        assertSignedOut(open);
        assertSignedOut(attached);
    }

    @Test
    void anExpiredSessionEndsItsTerminalsAfterASecondSignIn() throws Exception {
        ApiClient alice = server.signedIn("alice");
        TerminalClient open = alice.terminal("ph-busybox");
        typeAndSee(open, "expiring");
        alice.signIn("alice", "alice-password");
        expire(alice.sessionCookie());
        assertSignedOut(open);
        assertEquals(401, alice.get("api/auth/session").status());
    }

    @Test
    void signingInAsSomeoneElseOnTheSameCookieEndsTheTerminalsOfTheOneBefore() {
        ApiClient client = server.signedIn("alice");
        TerminalClient alices = client.terminal("ph-busybox");
        typeAndSee(alices, "alice");
        String waiting = client.createExec("ph-busybox", "{}");
        client.signIn("dave", "dave-password");
        assertSignedOut(alices);
        assertEquals(4404, client.attach(waiting, "envId=1").awaitClose().code(), "dave reached alice's exec instance");
    }

    @Test
    void anotherSessionOfTheSameUserReachesNothingOfTheFirstAndItsSignOutEndsNothingOfIt() {
        ApiClient first = server.signedIn("alice");
        ApiClient second = server.signedIn("alice");
        String waiting = first.createExec("ph-busybox", "{}");
        assertEquals(404, second.resize(waiting, 30, 100).status());
        assertEquals(4404, second.attach(waiting, "envId=1").awaitClose().code(), "another session attached it");
        TerminalClient mine = first.attach(waiting, "envId=1");
        typeAndSee(mine, "first");
        assertEquals(404, second.resize(waiting, 30, 100).status());

        assertEquals(204, second.post("api/auth/logout", null).status());
        typeAndSee(mine, "still");
        assertEquals(204, first.post("api/auth/logout", null).status());
        assertSignedOut(mine);
    }

    @Test
    void revokingATokenEndsItsTerminalsAndForgetsItsWaitingExecInstances() {
        ApiClient admin = server.signedIn("admin");
        Issued revoked = issue(admin, "robot");
        ApiClient first = server.client().useToken(revoked.token());
        ApiClient second = server.client().useToken(issue(admin, "robot").token());
        TerminalClient open = first.terminal("ph-busybox");
        typeAndSee(open, "token");
        String waiting = first.createExec("ph-busybox", "{}");
        first.createExec("ph-busybox", "{}");
        first.createExec("ph-busybox", "{}");
        ApiClient.Response full = second.postExec(1, "ph-busybox", "{}");
        assertEquals(429, full.status(), "robot has three instances waiting: " + full.body());
        assertEquals(4404, second.attach(waiting, "envId=1").awaitClose().code(), "another token of robot attached it");

        assertEquals(204, admin.delete("api/tokens/" + revoked.id()).status());
        assertSignedOut(open);
        ApiClient.Response room = second.postExec(1, "ph-busybox", "{}");
        assertEquals(200, room.status(), "the revoked token's waiting instances still count: " + room.body());
        assertEquals(401, first.postExec(1, "ph-busybox", "{}").status());
    }

    private record Issued(String id, String token) {
    }

    /** Issues a token for {@code user} that may open terminals everywhere. */
    private static Issued issue(ApiClient admin, String user) {
        ApiClient.Response issued = admin.post("api/tokens", "{\"user\":\"" + user + "\",\"roles\":[\"porthole-exec\"]}");
        assertEquals(201, issued.status(), issued.body());
        return new Issued(issued.json().at("/about/id").asText(), issued.json().get("token").asText());
    }

    private static void typeAndSee(TerminalClient terminal, String word) {
        terminal.type("echo " + word + "-$((40+2))\n");
        terminal.await(word + "-42");
    }

    private static void assertSignedOut(TerminalClient terminal) {
        TerminalClient.Closed closed = terminal.awaitClose(Duration.ofSeconds(10));
        assertEquals(new TerminalClient.Closed(4401, SIGNED_OUT), closed);
    }

    /** Expires the session as its timeout would, through the session manager's own operation (Tomcat's JMX bean). */
    private static void expire(String cookie) throws Exception {
        String id = cookie.substring(cookie.indexOf('=') + 1).replace("\"", "");
        MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> managers = beans.queryNames(new ObjectName("*:type=Manager,context=/credentials,*"), null);
        assertFalse(managers.isEmpty(), "no session manager bean for /credentials");
        for (ObjectName manager : managers) {
            beans.invoke(manager, "expireSession", new Object[] {id}, new String[] {String.class.getName()});
        }
    }
}
