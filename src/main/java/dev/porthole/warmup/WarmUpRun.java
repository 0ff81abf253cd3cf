package dev.porthole.warmup;

import dev.porthole.docker.EchoEngine;
import dev.porthole.docker.Environments;
import dev.porthole.security.Roles;
import dev.porthole.security.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The warm-up this web app offers its server: given where the server listens (a connector no one else reaches),
 * it runs {@link Traffic} there on an {@link EchoEngine} of its own, with a token of its own, so that the code
 * every terminal runs is loaded and compiled before the first person's. Then it ends everything it made: the
 * token, the environment with its terminals, the engine with its thread. Nothing of it is listed, counted or
 * recorded. A JDK type on the servlet context, since the embedded start loads its classes elsewhere.
 */
public final class WarmUpRun implements Consumer<URI> {
    /** The servlet context attribute that holds it. */
    public static final String ATTRIBUTE = "dev.porthole.warm-up";
    /**
     * A few hundred terminals and 15,000 keys: the first 2,000 keys of a fresh server compiled some 1,250 methods,
     * and a method is compiled fully after about 10,000 calls. Each paste is output beyond one socket read.
     */
    static final Traffic.Plan PLAN = new Traffic.Plan(200, 75, 16 * 1024);
    /** How long the end waits for the warm-up's terminals to have ended; they end in milliseconds. */
    private static final Duration END_PATIENCE = Duration.ofSeconds(10);

    private final Environments environments;
    private final TokenService tokens;
    private final ThreadFactory echoThreads;
    private final Traffic.Plan plan;

    public WarmUpRun(Environments environments, TokenService tokens, ThreadFactory echoThreads) {
        this(environments, tokens, echoThreads, PLAN);
    }

    WarmUpRun(Environments environments, TokenService tokens, ThreadFactory echoThreads, Traffic.Plan plan) {
        this.environments = environments;
        this.tokens = tokens;
        this.echoThreads = echoThreads;
        this.plan = plan;
    }

    /**
     * Runs the warm-up against the API at {@code base}; throws {@link UncheckedIOException} with what failed. An
     * interrupt stops it within one key. Whatever it made is gone when this returns, either way.
     */
    @Override
    public void accept(URI base) {
        EchoEngine engine;
        try {
            engine = EchoEngine.start(environments.freeId(), "warm-up", echoThreads);
        } catch (IOException e) {
            throw new UncheckedIOException("no engine for the warm-up: " + e.getMessage(), e);
        }
        Environments.Withdrawal withdrawal;
        try {
            withdrawal = environments.addUnlisted(engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        int envId = engine.environment().id();
        try (TokenService.Own token = tokens.issueOwn("porthole-warm-up", Set.of(Roles.execOn(envId)))) {
            new Traffic(base, token.token(), envId).run(plan);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            try {
                withdrawal.awaitWithdrawn(END_PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
