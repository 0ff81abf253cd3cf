package dev.porthole.docker;

import dev.porthole.config.Settings;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.error.Printable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured environments and one {@link DockerEngine} for each, made on first use, reused by every call and
 * terminal on it, and closed when the environment changes, goes away, or this registry closes.
 *
 * <p>{@link #reconcile} swaps in a new configuration: an environment equal to its old self keeps its engine and
 * its terminals; a changed or removed one is retired: its listeners end what runs on it (terminals close with a
 * reason, and their processes are ended through the old engine), then its engine closes.
 */
public final class Environments implements AutoCloseable {
    private static final Pattern ENV_ID = Pattern.compile("[0-9]{1,9}");
    private static final Logger log = LoggerFactory.getLogger(Environments.class);
    /** How long a retired engine waits for its terminals to end their processes before it closes anyway. */
    private static final long RETIRE_GRACE_SECONDS = 30;

    /** Told when an environment is changed or removed; answers when it no longer needs the old engine. */
    public interface Listener {
        CompletionStage<?> retired(Environment environment, String reason);
    }

    private volatile Map<Integer, Environment> environments;
    /** Environments the server uses for itself (its warm-up), with their engines: never listed, counted or shared. */
    private final Map<Integer, Environment> unlisted = new ConcurrentHashMap<>();
    private final Map<Integer, DockerEngine> engines = new ConcurrentHashMap<>();
    private final Collection<DockerEngine> retiring = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Function<Environment, DockerEngine> engineMaker;

    /**
     * {@code engineMaker} makes the engine of an environment on first use, or at {@link #makeEngines}; see
     * {@link #directEngines}.
     */
    public Environments(Map<Integer, Environment> environments, Function<Environment, DockerEngine> engineMaker) {
        this.environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        this.engineMaker = engineMaker;
    }

    /**
     * The environments the settings and the process environment describe: direct engines made from the settings,
     * hawser-edge environments with their engine from {@code edgeEngines}; every engine is handed to
     * {@code observe}, which answers the engine everyone else calls (the metrics time its calls).
     */
    public static Environments fromSettings(Settings settings, Map<String, String> processEnv,
            Function<Environment, DockerEngine> edgeEngines, UnaryOperator<DockerEngine> observe) {
        Function<Environment, DockerEngine> direct = directEngines(settings);
        return new Environments(EnvironmentCatalog.read(settings, processEnv).environments(),
                environment -> observe.apply(environment.isEdge() ? edgeEngines.apply(environment)
                        : direct.apply(environment)));
    }

    /** Makes a {@link DirectEngine} for each environment, with the limits the settings give. */
    public static Function<Environment, DockerEngine> directEngines(Settings settings) {
        Duration pingTimeout = settings.getDuration("docker.ping-timeout", Duration.ofSeconds(2));
        boolean followContainers = settings.getBoolean("docker.container-events", true);
        return environment -> new DirectEngine(environment, pingTimeout, followContainers);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Collection<Environment> all() {
        return environments.values();
    }

    public Optional<Environment> find(int id) {
        Environment listed = environments.get(id);
        return Optional.ofNullable(listed != null ? listed : unlisted.get(id));
    }

    /** Whether {@code environmentId} is one of the server's own, which nothing counts, lists or records. */
    public boolean isUnlisted(int environmentId) {
        return unlisted.containsKey(environmentId);
    }

    /**
     * An id that no environment has now, for one of the server's own: the highest an {@code envId} may be, or the
     * next free one below it. Should a configuration reloaded meanwhile add it, the configured one wins.
     */
    public int freeId() {
        int id = 999_999_999;
        while (environments.containsKey(id) || unlisted.containsKey(id)) {
            id--;
        }
        return id;
    }

    /**
     * Makes {@code engine} the engine of its environment, which works like any other ({@link #find},
     * {@link #require}, {@link #engine}) and is in no list: not {@link #all}, so not in the API, the metrics or the
     * grid. The answer's {@link Withdrawal#awaitWithdrawn} retires it as a removed environment is retired: its
     * terminals end, then its engine closes.
     */
    public Withdrawal addUnlisted(DockerEngine engine) {
        Environment environment = engine.environment();
        synchronized (this) {
            if (environments.containsKey(environment.id()) || unlisted.putIfAbsent(environment.id(), environment) != null) {
                throw new IllegalArgumentException(environment + ": its id is taken");
            }
            engines.put(environment.id(), engine);
        }
        return patience -> {
            CompletableFuture<?> ended;
            synchronized (this) {
                unlisted.remove(environment.id());
                ended = retire(environment, environment + " was removed", engines.remove(environment.id()));
            }
            try {
                ended.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("{}: its terminals had not all ended within {} ms", environment, patience.toMillis());
            }
        };
    }

    /** Ends an environment {@link #addUnlisted} made. */
    @FunctionalInterface
    public interface Withdrawal {
        /** Retires it, and waits at most {@code patience} for its terminals to have ended and its engine to close. */
        void awaitWithdrawn(Duration patience) throws InterruptedException;
    }

    /** Parses an {@code envId} query parameter and answers its environment, or 400/404. */
    public Environment require(String envId) {
        if (envId == null || envId.isBlank()) {
            throw PortholeException.badRequest("envId is required");
        }
        // Digits only: parseInt would also take a sign and other scripts' digits, and trim() would drop NUL.
        if (!ENV_ID.matcher(envId).matches()) {
            throw PortholeException.badRequest("envId must be a number, not '" + Printable.of(envId, 40) + "'");
        }
        int id = Integer.parseInt(envId);
        return find(id).orElseThrow(() -> PortholeException.notFound("unknown environment " + id));
    }

    /**
     * The engine of {@code environment} as it is configured now; 404 when it was changed or removed since the
     * caller looked it up (an exec instance created before the change is not attached to the new engine).
     */
    public DockerEngine engine(Environment environment) {
        // compute() serialises with the removal in reconcile(), which swaps the map first: no engine is made for
        // an environment that is already retired.
        return engines.compute(environment.id(), (id, existing) -> {
            if (!environment.equals(environments.get(id)) && !environment.equals(unlisted.get(id))) {
                throw new PortholeException(Problem.NOT_FOUND, environment + " was changed or removed");
            }
            return existing != null ? existing : engineMaker.apply(environment);
        });
    }

    /** Makes {@code next} the configuration; see the class comment for what happens to the old environments. */
    public synchronized void reconcile(Map<Integer, Environment> next) {
        Map<Integer, Environment> previous = environments;
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(next));
        for (Environment old : previous.values()) {
            Environment now = next.get(old.id());
            if (!old.equals(now)) {
                retire(old, old + (now == null ? " was removed" : " was changed"), engines.remove(old.id()));
            }
        }
        next.values().stream().filter(e -> !e.equals(previous.get(e.id()))).forEach(Environments::announce);
    }

    /**
     * Makes the engine of every environment reached directly now, at the start, rather than at its first terminal:
     * making its clients and starting to follow its containers took that terminal's create up to 1.7 s on a busy
     * machine, and in a cluster a node's first create may come long after the start. An engine that cannot be made
     * now is made, or refused in its own words, at its first use.
     */
    public void makeEngines() {
        for (Environment environment : environments.values()) {
            if (environment.isEdge()) {
                continue; // its engine is its agent's connection, made when the agent connects
            }
            try {
                engine(environment);
            } catch (RuntimeException e) {
                log.info("{}: its engine client is made at its first use: {}", environment, e.getMessage());
            }
        }
    }

    /** Logs every environment, with the warnings an operator must see at start: skipped verification, exposed keys. */
    public void announceAll() {
        environments.values().forEach(Environments::announce);
    }

    private static void announce(Environment environment) {
        if (environment.isEdge()) {
            log.info("{}: {} agent, token {}", environment, environment.type(),
                    environment.agentTokenSha256() == null ? "not issued yet" : "issued");
            return;
        }
        log.info("{}: {} ({})", environment, environment.url(), environment.type());
        TlsFiles tls = environment.tls();
        if (tls != null && tls.skipVerify()) {
            log.warn("TLS SERVER VERIFICATION IS OFF for {} (tls.skip-verify=true): whoever answers at {} gets its "
                    + "terminals", environment, environment.url());
        }
        if (tls != null && tls.key() != null) {
            PemTls.warnIfOthersCanRead(environment, tls.key());
        }
    }

    /** Completes once every listener ended what ran on {@code old}, and its engine is closed. */
    private CompletableFuture<?> retire(Environment old, String reason, DockerEngine engine) {
        log.info("{}: its terminals close and its engine client is closed", reason);
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (Listener listener : listeners) {
            try {
                done.add(listener.retired(old, reason).toCompletableFuture());
            } catch (RuntimeException e) {
                log.warn("a listener failed on {}: {}", reason, e.toString());
            }
        }
        CompletableFuture<?> ended = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        if (engine == null) {
            return ended;
        }
        retiring.add(engine);
        return ended.orTimeout(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS)
                .whenComplete((ignored, failure) -> {
                    if (retiring.remove(engine)) {
                        engine.close();
                    }
                });
    }

    @Override
    public void close() {
        engines.values().forEach(DockerEngine::close);
        engines.clear();
        retiring.removeIf(engine -> {
            engine.close();
            return true;
        });
    }
}
