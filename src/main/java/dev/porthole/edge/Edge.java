package dev.porthole.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.wire.SocketPaths;
import dev.porthole.config.Settings;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import jakarta.websocket.CloseReason;
import jakarta.websocket.server.ServerEndpointConfig;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** Assembles the edge package from the configuration and hands the web app what it registers. */
public final class Edge implements AutoCloseable {
    private final EdgeOptions options;
    private final HawserMessages messages;
    private final EdgeAgents agents;
    private final AgentPlaces places;
    private final HelloGate gate;
    private final Orphans orphans;
    private final Executor senders;
    private final ScheduledExecutorService timer;
    /** The engine of each edge environment as configured, until it is retired. */
    private final Map<Environment, EdgeEngine> engines = new ConcurrentHashMap<>();

    /**
     * {@code senders} run the sends to agents (one at a time per agent); {@code timer} the keepalive and deadlines;
     * {@code places} says where each agent is for the other nodes, and brings their calls to the agents here.
     */
    public Edge(Settings settings, Executor senders, ScheduledExecutorService timer, AgentPlaces places) {
        this.options = EdgeOptions.from(settings);
        this.messages = new HawserMessages(new ObjectMapper());
        this.places = places;
        this.agents = new EdgeAgents(options, places, timer);
        this.gate = new HelloGate(options.maxUnauthenticatedPerAddress(), options.maxUnauthenticated());
        this.orphans = new Orphans(agents, places, messages, senders);
        this.senders = senders;
        this.timer = timer;
        places.serve(new AgentPlaces.Requests() {
            @Override
            public AgentPlaces.AgentReply request(int environmentId, AgentPlaces.AgentRequest request) {
                return routedHere(environmentId, request);
            }

            @Override
            public StartedExecFinder.Found start(int environmentId, AgentPlaces.ExecStart start, RelayLink link) {
                return startedHere(environmentId, start, link);
            }
        });
    }

    /**
     * A terminal another node runs, started through the agent connected here if it proved the token the asking node
     * knows; its bytes cross {@code link}.
     */
    private StartedExecFinder.Found startedHere(int environmentId, AgentPlaces.ExecStart start, RelayLink link) {
        Environment environment = agentHere(environmentId, start.tokenSha256()).map(AgentConnection::environment)
                .orElseThrow(() -> offline(environmentId));
        EdgeEngine engine = engines.values().stream().filter(e -> e.environment().id() == environment.id())
                .findFirst().orElseThrow(() -> offline(environmentId));
        return engine.startRelayed(start, link);
    }

    private Optional<AgentConnection> agentHere(int environmentId, String tokenSha256) {
        return agents.current(environmentId)
                .filter(c -> tokenSha256 == null || Objects.equals(c.environment().agentTokenSha256(), tokenSha256));
    }

    private static PortholeException offline(int environmentId) {
        return new PortholeException(Problem.ENGINE_UNREACHABLE, "the Hawser agent of environment " + environmentId
                + " is offline: no agent is connected");
    }

    /**
     * A call another node routed to the agent connected here: made through this node's connection only, if the agent
     * proved the token the asking node knows; otherwise it fails as a call with no agent connected.
     */
    private AgentPlaces.AgentReply routedHere(int environmentId, AgentPlaces.AgentRequest request) {
        Optional<AgentConnection> connection = agentHere(environmentId, request.tokenSha256());
        Environment environment = connection.map(AgentConnection::environment)
                .orElseThrow(() -> offline(environmentId));
        AgentCalls calls = new AgentCalls(environment, () -> connection, messages, AgentPlaces.NONE);
        return calls.callHere(request.method(), request.path(),
                request.body() == null ? null : messages.readTree(request.body()));
    }

    /** Makes the engine of a hawser-edge environment. */
    public Function<Environment, DockerEngine> engines() {
        return environment -> {
            EdgeEngine engine = new EdgeEngine(environment, agents, places, messages, options, orphans,
                    senders, timer);
            engines.put(environment, engine);
            return engine;
        };
    }

    /**
     * The agents' endpoint, authenticating tokens against {@code environments}; their changes reach the live
     * connections from here on (see {@link #retired}).
     */
    public ServerEndpointConfig endpointConfig(Environments environments) {
        environments.addListener((old, reason) -> retired(environments, old));
        AgentAuthenticator authenticator = new AgentAuthenticator(environments, options.failedHellosPerAddress(),
                options.failedHelloLockout(), System::nanoTime);
        return ServerEndpointConfig.Builder.create(HawserEndpoint.class, SocketPaths.AGENTS)
                .configurator(new HawserEndpointConfigurator(
                        () -> new HawserEndpoint(agents, authenticator, messages, options, gate, senders, timer)))
                .build();
    }

    /** Whether the agent of edge environment {@code environmentId} is connected now. */
    public boolean agentConnected(int environmentId) {
        return agents.current(environmentId).isPresent();
    }

    public HawserHandshakeFilter handshakeFilter() {
        return new HawserHandshakeFilter(gate);
    }

    public AgentTokenService tokens(EnvironmentAdmin admin) {
        return new AgentTokenService(admin, new AgentTokens(new SecureRandom()));
    }

    /**
     * A removed edge environment, or one whose token changed, loses its live agent connection; a renamed one keeps
     * it. Runs after {@code environments} took the new configuration, and after its terminals were told to end: the
     * agent goes once the old engine closed, so that their processes are ended through it first.
     */
    private CompletionStage<?> retired(Environments environments, Environment old) {
        EdgeEngine engine = engines.remove(old);
        if (old.isEdge()) {
            Environment now = environments.find(old.id()).orElse(null);
            String reason = now == null || !now.isEdge() ? "Environment removed"
                    : Objects.equals(now.agentTokenSha256(), old.agentTokenSha256()) ? null : "Token regenerated";
            if (reason != null && engine != null) {
                engine.dropAgentWhenClosed(reason);
            } else if (reason != null) {
                agents.disconnect(old, CloseReason.CloseCodes.NORMAL_CLOSURE, reason);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        agents.close();
    }
}
