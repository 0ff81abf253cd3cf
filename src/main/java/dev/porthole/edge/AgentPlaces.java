package dev.porthole.edge;

import dev.porthole.docker.AgentStatus;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Which node each edge environment's agent is connected to, and the way to it: a Docker API call made on a node
 * without the agent goes to the node that has it, which makes it through its own connection. On a single node there
 * is no other node ({@link #NONE}).
 */
public interface AgentPlaces {
    /** One node: every agent connects to it, and nothing goes anywhere else. */
    AgentPlaces NONE = new AgentPlaces() {
        @Override
        public void connected(int environmentId, String connection, AgentStatus status) {
        }

        @Override
        public void disconnected(int environmentId, String connection) {
        }

        @Override
        public Optional<String> elsewhere(int environmentId) {
            return Optional.empty();
        }

        @Override
        public Optional<AgentStatus> statusElsewhere(int environmentId) {
            return Optional.empty();
        }

        @Override
        public Optional<AgentReply> request(int environmentId, AgentRequest request, Duration patience) {
            return Optional.empty();
        }

        @Override
        public Optional<RelayedStart> startElsewhere(int environmentId, ExecStart start, Duration patience) {
            return Optional.empty();
        }

        @Override
        public void serve(Requests requests) {
        }

        @Override
        public void onConnectedElsewhere(IntConsumer listener) {
        }
    };

    /**
     * The agent of {@code environmentId} connected to this node, saying {@code status} of itself; {@code connection}
     * names that one connection.
     */
    void connected(int environmentId, String connection, AgentStatus status);

    /** The connection {@code connection} to this node ended; a newer one of the agent, here or elsewhere, stays. */
    void disconnected(int environmentId, String connection);

    /** The name of the node, other than this one and still a member, that the agent is connected to. */
    Optional<String> elsewhere(int environmentId);

    /** What the agent connected to another node (still a member) said of itself at its hello. */
    Optional<AgentStatus> statusElsewhere(int environmentId);

    /**
     * Makes {@code request} on the node the agent is connected to, when that is another node; empty when it is none.
     * Fails as the call through the agent would there, and as an agent gone when that node leaves before answering;
     * {@code patience} is how long the agent may take to answer there.
     */
    Optional<AgentReply> request(int environmentId, AgentRequest request, Duration patience);

    /**
     * Starts the terminal {@code start} through the agent, on the node the agent is connected to when that is another
     * node, and answers the link its bytes cross between that node and this one; empty when no other node has the
     * agent. Fails as the start through the agent would there, and as an agent gone when that node leaves first;
     * {@code patience} is how long the start may take there.
     */
    Optional<RelayedStart> startElsewhere(int environmentId, ExecStart start, Duration patience);

    /** From now on, the requests and starts other nodes route here are made through {@code requests}. */
    void serve(Requests requests);

    /** Runs {@code listener} with the environment's id each time its agent connects to another node; it must not block. */
    void onConnectedElsewhere(IntConsumer listener);

    /** Makes the requests routed to this node through its own agent connections. */
    interface Requests {
        AgentReply request(int environmentId, AgentRequest request);

        /**
         * Starts a terminal through the agent connected here, for the node at the other end of {@code link}, and
         * relays its bytes over it until that node closes it or leaves.
         */
        default StartedExecFinder.Found start(int environmentId, ExecStart start, RelayLink link) {
            throw new dev.porthole.error.PortholeException(dev.porthole.error.Problem.ENGINE_UNREACHABLE,
                    "the Hawser agent of environment " + environmentId + " is offline: its node runs no terminals");
        }
    }

    /**
     * A terminal to start through an agent connected to another node: the token the agent must have proved (as in
     * {@link AgentRequest}), the terminal's id in the agent's protocol, the container's id, the command and the user.
     */
    record ExecStart(String tokenSha256, String execId, String containerId, String cmd, String user)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A terminal started on the node {@code node}: the link to it, and what its start learnt. */
    record RelayedStart(RelayLink link, StartedExecFinder.Found found, String node) {
    }

    /**
     * A Docker API call to route: the token the agent must have proved (that of the environment as the asking node
     * has it; null for whichever it proved), the method, the path, the JSON body's bytes (null for none).
     */
    record AgentRequest(String tokenSha256, String method, String path, byte[] body) implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean equals(Object other) {
            return other instanceof AgentRequest o && Objects.equals(tokenSha256, o.tokenSha256)
                    && method.equals(o.method) && path.equals(o.path) && Arrays.equals(body, o.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tokenSha256, method, path, Arrays.hashCode(body));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Docker's answer to a call through an agent: its status and body bytes. */
    record AgentReply(int status, byte[] body) implements Serializable {
        private static final long serialVersionUID = 1L;

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AgentReply o && status == o.status && Arrays.equals(body, o.body);
        }

        @Override
        public int hashCode() {
            return 31 * status + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "AgentReply[" + status + ", " + body.length + " bytes]";
        }
    }
}
