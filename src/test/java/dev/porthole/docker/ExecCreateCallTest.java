package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exec create call sends what docker-java's execCreateCmd sent, and fails the way it failed. */
class ExecCreateCallTest {
    private final ExecCreateCall call = new ExecCreateCall(null, "");

    @Test
    void bodyHasTheFieldsExecCreateCmdSent() {
        String body = new String(call.body(List.of("/bin/sh"), "root", List.of("TERM=xterm-256color", "A=\"q\""), true),
                StandardCharsets.UTF_8);
        assertEquals("{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":true,"
                + "\"Env\":[\"TERM=xterm-256color\",\"A=\\\"q\\\"\"],\"Cmd\":[\"/bin/sh\"],\"User\":\"root\"}", body);
    }

    @Test
    void aPlainCommandAttachesNoStdin() {
        String body = new String(call.body(List.of("kill", "-9"), "0:0", List.of(), false), StandardCharsets.UTF_8);
        assertEquals("{\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,"
                + "\"Env\":[],\"Cmd\":[\"kill\",\"-9\"],\"User\":\"0:0\"}", body);
    }

    @Test
    void refusalsAreDockerJavasExceptions() {
        DockerException missing = ExecCreateCall.refusal(404, "{\"message\":\"No such container: x\"}");
        assertInstanceOf(NotFoundException.class, missing);
        assertEquals("Status 404: {\"message\":\"No such container: x\"}", missing.getMessage());
        assertInstanceOf(ConflictException.class, ExecCreateCall.refusal(409, "{\"message\":\"is not running\"}"));
        assertEquals(503, ExecCreateCall.refusal(503, "busy").getHttpStatus());
    }

    @Test
    void containerNamesNeedNoEscapingOthersAreEncoded() {
        assertEquals("ph-busybox_1.a", ExecCreateCall.segment("ph-busybox_1.a"));
        assertEquals("a%2Fb%20c%C3%A9", ExecCreateCall.segment("a/b cé"));
    }
}
