package dev.porthole.terminal;

import dev.porthole.docker.ConnectionInfo;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.error.Printable;
import dev.porthole.security.SignedInUser;
import io.swagger.v3.oas.annotations.media.Schema;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/** Creates exec instances for terminals and resizes them: the logic behind the two REST calls of the exec API. */
public final class ExecService {
    public static final String DEFAULT_SHELL = "/bin/sh";
    public static final String DEFAULT_USER = "root";

    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern SHELL = Pattern.compile("[A-Za-z0-9_./+-]{1,255}");
    private static final Pattern EXEC_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern NAME_OR_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Duration CLOSING_PATIENCE = Duration.ofSeconds(10);

    private final Environments environments;
    private final Terminals terminals;
    private final Closing closing;
    private final TerminalStarts starts;
    private final TerminalOptions.Limits limits;
    /** Where the engine's create runs when the answer does not wait for it. */
    private final Executor creates;
    private final TerminalObserver observer;
    private final SecureRandom random = new SecureRandom();

    ExecService(Environments environments, Terminals terminals, Closing closing,
            TerminalStarts starts, TerminalOptions.Limits limits, Executor creates, TerminalObserver observer) {
        this.environments = environments;
        this.terminals = terminals;
        this.closing = closing;
        this.starts = starts;
        this.limits = limits;
        this.creates = creates;
        this.observer = observer;
    }

    /** What a created exec instance is known by: the API's {@code execId} and {@code connectionInfo}. */
    @Schema(name = "ExecCreated")
    public record Created(
            @Schema(description = "Porthole's own id of the exec instance: 128 random bits, single-use",
                    pattern = "[0-9a-f]{32}") String execId,
            ConnectionInfo connectionInfo) {
    }

    /**
     * Creates an exec instance for {@code credential}, the session or API token the request came with, which the
     * instance will belong to; the observer is told how long the answer took on the environment, and how it ended.
     */
    public Created create(SignedInUser owner, String credential, String clientAddress, String envId,
            String container, String shell, String user) {
        Environment environment = environments.require(envId);
        long start = System.nanoTime();
        Problem refusal = Problem.INTERNAL;
        try {
            Created created = create(environment, owner, credential, clientAddress, container, shell, user);
            refusal = null;
            return created;
        } catch (PortholeException e) {
            refusal = e.problem();
            throw e;
        } finally {
            observer.execCreated(environment.id(), Duration.ofNanos(System.nanoTime() - start), refusal);
        }
    }

    private Created create(Environment environment, SignedInUser owner, String credential, String clientAddress,
            String container, String shell, String user) {
        String containerRef = requireContainer(container);
        String cmd = shell == null ? DEFAULT_SHELL : requireShell(shell);
        String execUser = user == null ? DEFAULT_USER : requireUser(user);
        if (!owner.mayExec(environment)) {
            throw PortholeException.forbidden("you may not open terminals in " + environment);
        }
        boolean shared = terminals.shares(environment);
        requireRoom(owner, shared);
        String tag = newId();
        EngineExec exec;
        try {
            exec = createExec(environments.engine(environment), containerRef, cmd, execUser, tag);
        } catch (RuntimeException e) {
            terminals.unreserve(owner, shared);
            throw e;
        }
        TerminalSpec spec = new TerminalSpec(newId(), environment, exec, owner, credential, clientAddress,
                containerRef, cmd, execUser, tag, System.nanoTime(), shared);
        terminals.add(spec);
        return new Created(spec.id(), environment.connectionInfo());
    }

    /**
     * The engine may answer before its create ran, so that the create overlaps the client's handshake and this call
     * takes little more than the engine's own create; the create then runs on {@link #creates}, beside the relays,
     * since the engine pool is the sweeps', which wait for their turn there. Sweeps give way to the create until it
     * is done ({@link TerminalStarts}).
     */
    private EngineExec createExec(DockerEngine engine, String container, String shell, String user, String tag) {
        TerminalStarts.Start start = starts.begin(engine.environment());
        try {
            EngineExec exec = engine.terminalExec(container, shell, user, tag, creates);
            exec.created().whenComplete((created, refused) -> start.done());
            return exec;
        } catch (RuntimeException e) {
            start.done();
            throw e;
        }
    }

    /**
     * The limits are checked at create time, which is when an engine resource would be spent; what
     * {@link Terminals#reserve} counted is given back if the create goes no further.
     */
    private void requireRoom(SignedInUser owner, boolean shared) {
        Optional<TerminalDirectory.Limit> reached = terminals.reserve(owner, limits, shared);
        if (reached.isPresent()) {
            throw switch (reached.get()) {
                case PENDING_PER_USER -> tooMany("limits.pending-per-user", limits.pendingPerUser(),
                        "exec instances waiting to be attached per user");
                case SESSIONS_PER_USER -> tooMany("limits.sessions-per-user", limits.sessionsPerUser(), "terminals per user");
                case SESSIONS_TOTAL -> tooMany("limits.sessions-total", limits.sessionsTotal(), "terminals in total");
            };
        }
        // Last, since it may wait: a burst of closes is ended within seconds, and a new terminal waits for that
        // rather than being refused. The closes are this node's, whose engine connections end them.
        if (!closing.awaitBelow(limits.closing(), CLOSING_PATIENCE)) {
            terminals.unreserve(owner, shared);
            long seconds = closing.retryAfter(limits.closing(), CLOSING_PATIENCE).toSeconds();
            throw new PortholeException(Problem.TOO_MANY, "limit reached: at most " + limits.closing()
                    + " closed terminals whose processes are still being ended (limits.closing); " + closing.count()
                    + " are; try again in " + seconds + (seconds == 1 ? " second" : " seconds"), Duration.ofSeconds(seconds));
        }
    }

    private static PortholeException tooMany(String key, int limit, String what) {
        return new PortholeException(Problem.TOO_MANY, "limit reached: at most " + limit + " " + what + " (" + key + ")");
    }

    public TerminalSize resize(SignedInUser user, String credential, String execId, String envId, String rows, String cols) {
        Environment environment = environments.require(envId);
        if (!user.mayExec(environment)) {
            throw PortholeException.forbidden("you may not open terminals in " + environment);
        }
        if (execId == null || !EXEC_ID.matcher(execId).matches()) {
            throw PortholeException.badRequest("execId must be 32 hex digits, not '" + Printable.of(String.valueOf(execId), 40) + "'");
        }
        TerminalSize size = TerminalSize.parse(rows, cols);
        terminals.resize(execId, envId, credential, size);
        return size;
    }

    /** 128 random bits from a strong source, as 32 hex digits: unguessable, and safe in a URL path. */
    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String requireContainer(String container) {
        if (container == null || !CONTAINER.matcher(container).matches()) {
            throw PortholeException.badRequest("container must be a container id, id prefix or name, not '"
                    + Printable.of(String.valueOf(container), 64) + "'");
        }
        return container;
    }

    private static String requireShell(String shell) {
        if (!SHELL.matcher(shell).matches() || shell.contains("..")) {
            throw PortholeException.badRequest("shell must be the path of one program, like /bin/bash, not '"
                    + Printable.of(shell, 64) + "'");
        }
        return shell;
    }

    private static String requireUser(String user) {
        String[] parts = user.split(":", -1);
        if (parts.length > 2 || !NAME_OR_ID.matcher(parts[0]).matches()
                || (parts.length == 2 && !NAME_OR_ID.matcher(parts[1]).matches())) {
            throw PortholeException.badRequest("user must be a name, a UID or UID:GID, not '"
                    + Printable.of(user, 64) + "'");
        }
        return user;
    }
}
