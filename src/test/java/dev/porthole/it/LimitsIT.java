package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over a limit, exec create answers 429 and names the limit. */
class LimitsIT {
    private static TestServer.Running server;

    @BeforeAll
    static void start() {
        server = TestServer.startServer(
                "limits.sessions-per-user=2", "limits.pending-per-user=2", "limits.sessions-total=3");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void eachLimitIsEnforcedAndNamed() {
        ApiClient alice = server.signedIn("alice");
        String first = alice.createExec("ph-busybox", "{}");
        String second = alice.createExec("ph-busybox", "{}");
        ApiClient.Response pending = alice.post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(429, pending.status());
        assertEquals("limit reached: at most 2 exec instances waiting to be attached per user (limits.pending-per-user)",
                pending.error());

        TerminalClient one = alice.attach(first, "envId=1");
        TerminalClient two = alice.attach(second, "envId=1");
        one.type("echo a-$((1+1))\n");
        one.await("a-2");
        two.type("echo b-$((1+2))\n");
        two.await("b-3");
        ApiClient.Response perUser = alice.post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(429, perUser.status());
        assertEquals("limit reached: at most 2 terminals per user (limits.sessions-per-user)", perUser.error());

        ApiClient admin = server.signedIn("admin");
        admin.createExec("ph-busybox", "{}");
        ApiClient.Response total = admin.post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(429, total.status());
        assertEquals("limit reached: at most 3 terminals in total (limits.sessions-total)", total.error());

        one.close();
        one.awaitClose();
        two.close();
        two.awaitClose();
    }
}
