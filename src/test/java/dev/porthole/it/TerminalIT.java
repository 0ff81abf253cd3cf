package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The terminal itself, end to end: real HTTP, a real WebSocket, the real engine. */
@ExtendWith(TestServer.class)
class TerminalIT {
    /** "Within a few seconds", with room for a loaded machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    @Test
    void typedCommandsRunAndTheirOutputComesBack(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        terminal.type("echo hello-$((40+2))\n");
        terminal.await("hello-42");
        terminal.close();
    }

    @Test
    void theProcessExitCodeArrivesInTheCloseReason(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        terminal.type("exit 3\n");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertEquals("exit 3", closed.reason());
    }

    @Test
    void bashRunsWhenAskedFor(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec("ph-bash", "{\"shell\":\"/bin/bash\"}"), "envId=1");
        terminal.type("echo \"bash ${BASH_VERSINFO[0]} as $(id -u) with $TERM\"\n");
        terminal.await("as 0 with xterm-256color");
        terminal.type("exit\n");
        assertEquals("exit 0", terminal.awaitClose().reason());
    }

    @Test
    void theExecUserIsHonoured(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec("ph-busybox", "{\"user\":\"33:33\"}"), "envId=1");
        terminal.type("echo uid=$(id -u)-gid=$(id -g)-done\n");
        terminal.await("uid=33-gid=33-done");
        terminal.close();
    }

    @Test
    void multiByteCharactersSplitBetweenReadsArriveWhole(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        // 2^14 copies of a 9-byte pattern: 147 KiB, so reads from the engine end inside characters.
        terminal.type("s='é€😀'; for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do s=$s$s; done; "
                + "printf '%s' \"$s\"; echo; echo END-$((6*7))\n");
        String output = terminal.await("END-42", Duration.ofSeconds(30));
        assertFalse(output.contains("\uFFFD"), "a character was split and replaced");
        assertTrue(output.split("😀", -1).length - 1 >= 16384, "every emoji arrived");
        assertTrue(output.contains("é€😀é€😀"));
        terminal.close();
    }

    /** Waits until the shell's terminal has {@code rows} x {@code cols}, as {@code stty size} prints it. */
    private static void awaitSize(TerminalClient terminal, int rows, int cols) {
        terminal.type("echo size-$(stty size | tr ' ' x)\n");
        terminal.await("size-" + rows + "x" + cols);
    }

    @Test
    void aResizeReachesTheTerminal(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient terminal = alice.attach(execId, "envId=1");
        awaitSize(terminal, 24, 80);
        assertEquals(200, alice.resize(execId, 33, 101).status());
        awaitSize(terminal, 33, 101);
        terminal.close();
    }

    @Test
    void aResizeBeforeTheAttachIsAppliedWhenTheExecStarts(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(200, alice.resize(execId, 50, 160).status());
        TerminalClient terminal = alice.attach(execId, "envId=1");
        awaitSize(terminal, 50, 160);
        terminal.close();
    }

    @Test
    void aSizeGivenWithTheAttachIsTheShellsFirstSizeOverAResizeBeforeIt(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(200, alice.resize(execId, 50, 160).status());
        TerminalClient terminal = alice.attach(execId, "envId=1&h=41&w=133");
        awaitSize(terminal, 41, 133);
        assertEquals(200, alice.resize(execId, 33, 101).status(), "resized later as any terminal");
        awaitSize(terminal, 33, 101);
        terminal.close();
    }

    @Test
    void aBadSizeWithTheAttachClosesWithAReasonAndLeavesTheInstanceAttachable(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient.Closed zero = alice.attach(execId, "envId=1&h=0&w=80").awaitClose();
        assertEquals(4400, zero.code());
        assertEquals("h must be a whole number from 1 to 1000, not '0'", zero.reason());
        TerminalClient.Closed half = alice.attach(execId, "envId=1&h=40").awaitClose();
        assertEquals(4400, half.code());
        assertEquals("w is required", half.reason());
        assertEquals(4400, alice.attach(execId, "envId=1&h=40&w=%EF%BC%98").awaitClose().code(), "a full-width 8");
        assertEquals(4400, alice.attach(execId, "envId=1&h=40&w=1001").awaitClose().code());
        TerminalClient terminal = alice.attach(execId, "envId=1&h=40&w=80");
        awaitSize(terminal, 40, 80);
        terminal.close();
    }

    @Test
    void closingTheSocketEndsEveryProcessTheTerminalStarted(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        terminal.type("sleep 1018 &\n");
        terminal.type("sleep 1017\n");
        closingEnds(terminal, "ph-busybox", "sleep 1017", "sleep 1018");
    }

    @Test
    void processesThatIgnoreHangUpAreEndedToo(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-bash");
        terminal.type("trap '' HUP; sleep 1019 & sleep 1020\n");
        closingEnds(terminal, "ph-bash", "sleep 1019", "sleep 1020");
    }

    @Test
    void backgroundProcessesAreEndedWhenTheShellExits(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        terminal.type("(trap '' HUP; exec sleep 1021) >/dev/null 2>&1 &\n");
        Engine.awaitRunning("ph-busybox", "sleep 1021", FEW_SECONDS);
        terminal.type("exit 0\n");
        terminal.awaitClose(Duration.ofSeconds(15));
        Engine.awaitGone("ph-busybox", "sleep 1021", FEW_SECONDS);
    }

    @Test
    void aOneMebibytePasteArrivesIntact(TestServer.Running server) throws IOException {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        Paste paste = Paste.oneMebibyte();
        paste.typeAndCheck(terminal::type, terminal::await);
        terminal.close();
    }

    @Test
    void binaryFramesAreKeystrokesToo(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        terminal.typeBinary("echo binary-$((3*3))\n".getBytes(StandardCharsets.UTF_8));
        terminal.await("binary-9");
        terminal.close();
    }

    @Test
    void aShellThatDoesNotExistEndsWithTheEnginesMessage(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec("ph-noshell", "{\"user\":\"0\"}"), "envId=1");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertTrue(closed.reason().matches("exit 12[67]"), closed.reason());
        assertTrue(terminal.output().contains("no such file or directory"), terminal.output());
    }

    @Test
    void aUserThatDoesNotExistEndsWithTheEnginesMessage(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec("ph-busybox", "{\"user\":\"nobody-here\"}"), "envId=1");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertTrue(terminal.output().contains("unable to find user nobody-here"), terminal.output());
    }

    @Test
    void processesOfANonRootUserAndOfAClearedEnvironmentAreEndedToo(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec("ph-busybox", "{\"user\":\"www-data\"}"), "envId=1");
        terminal.type("env -i sleep 1023 & sleep 1024\n");
        closingEnds(terminal, "ph-busybox", "sleep 1023", "sleep 1024");
    }

    @Test
    void anExecInstanceCanBeAttachedOnlyOnce(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient first = alice.attach(execId, "envId=1");
        // The ticket is claimed in onOpen, which the server may run after the 101 reached the client: wait for the
        // prompt so that the first socket has surely claimed it.
        first.await("# ");
        TerminalClient second = alice.attach(execId, "envId=1");
        TerminalClient.Closed closed = second.awaitClose();
        assertEquals(4404, closed.code());
        assertEquals("unknown, expired or already used exec instance", closed.reason());
        first.type("echo still-$((1+1))\n");
        first.await("still-2");
        first.close();
    }

    @Test
    void anExecInstanceNotAttachedInTimeExpires(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        Thread.sleep(TestServer.ATTACH_TIMEOUT_MILLIS + 1500);
        TerminalClient.Closed closed = alice.attach(execId, "envId=1").awaitClose();
        assertEquals(4404, closed.code());
        assertEquals(404, alice.resize(execId, 10, 10).status());
    }

    @Test
    void anUnknownExecIdClosesWithAReason(TestServer.Running server) {
        TerminalClient.Closed closed = server.signedIn("alice").attach("0123456789abcdef0123456789abcdef", "envId=1").awaitClose();
        assertEquals(4404, closed.code());
        assertEquals("unknown, expired or already used exec instance", closed.reason());
    }

    @Test
    void aWrongOrMissingEnvIdClosesWithAReason(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient.Closed wrong = alice.attach(execId, "envId=2").awaitClose();
        assertEquals(4400, wrong.code());
        assertEquals("envId does not match the environment of this exec instance", wrong.reason());
        assertEquals(4400, alice.attach(execId, "").awaitClose().code());
        // The refused attaches did not use the instance up.
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo fine-$((2+2))\n");
        terminal.await("fine-4");
        terminal.close();
    }

    @Test
    void anotherUserCannotAttachOrResizeSomeoneElsesExec(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        ApiClient admin = server.signedIn("admin");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient.Closed stolen = admin.attach(execId, "envId=1").awaitClose();
        assertEquals(4404, stolen.code());
        assertEquals("unknown, expired or already used exec instance", stolen.reason());
        assertEquals(404, admin.resize(execId, 20, 20).status());
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo mine-$((5+5))\n");
        terminal.await("mine-10");
        assertEquals(404, admin.resize(execId, 20, 20).status());
        terminal.close();
    }

    @Test
    void signingOutClosesTheTerminalsOfThatSession(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.terminal("ph-busybox");
        terminal.type("sleep 1022\n");
        Engine.awaitRunning("ph-busybox", "sleep 1022", FEW_SECONDS);
        assertEquals(204, alice.post("api/auth/logout", null).status());
        TerminalClient.Closed closed = terminal.awaitClose(Duration.ofSeconds(1));
        assertEquals(4401, closed.code());
        Engine.awaitGone("ph-busybox", "sleep 1022", FEW_SECONDS);
    }

    /** Waits until every marker runs, closes the terminal, and waits until none does. */
    private static void closingEnds(TerminalClient terminal, String container, String... markers) {
        for (String marker : markers) {
            Engine.awaitRunning(container, marker, FEW_SECONDS);
        }
        terminal.close();
        for (String marker : markers) {
            Engine.awaitGone(container, marker, FEW_SECONDS);
        }
    }
}
