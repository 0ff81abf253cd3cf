package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A terminal's exec on a direct engine, against calls the test answers: created before the answer or behind it, and
 * what every later call does when the create behind failed or never answered. Only lower bounds of time are asserted.
 */
class DirectExecTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Environment ENVIRONMENT = new Environment(1, "test", URI.create("unix:///nowhere.sock"),
            Duration.ofMillis(100), Duration.ofMillis(200));
    private static final PortholeException REFUSAL = new PortholeException(Problem.CONFLICT, "container web is not running");

    private final ExecutorService behind = Executors.newSingleThreadExecutor();
    private final Calls calls = new Calls();

    @AfterEach
    void stop() {
        calls.answer.countDown();
        behind.shutdownNow();
    }

    private DirectExec create(java.util.concurrent.Executor on) {
        return DirectExec.create(calls, ENVIRONMENT, "web", "/bin/bash", "33", "tag-1", on);
    }

    @Test
    void aCreateBeforeTheAnswerRunsOnTheCallersThreadAndThrowsTheEnginesRefusal() {
        calls.answer.countDown();
        calls.refusal = REFUSAL;
        PortholeException e = assertThrows(PortholeException.class, () -> create(null));
        assertSame(REFUSAL, e);
        assertEquals(Thread.currentThread().getName(), calls.createdOn);
    }

    @Test
    void theCreateCarriesTheShellTheUserTheTermAndTheProcessTag() {
        calls.answer.countDown();
        DirectExec exec = create(null);
        assertEquals(List.of("web", "/bin/bash", "33", "TERM=xterm-256color", DirectExec.TAG_VARIABLE + "=tag-1"),
                calls.created);
        assertEquals(ProcessMark.tagged("tag-1"), exec.processMark());
    }

    @Test
    void aCreateBehindTheAnswerLetsTheStartWaitForTheEnginesId() throws Exception {
        DirectExec exec = create(behind);
        assertFalse(exec.created().toCompletableFuture().isDone());
        calls.answer.countDown();
        assertSame(calls.stream, exec.start());
        exec.resize(24, 80);
        assertEquals(List.of("start engine-1", "resize engine-1 24x80"), calls.asked);
        exec.created().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertNotSame(Thread.currentThread().getName(), calls.createdOn);
    }

    @Test
    void aRefusalBehindTheAnswerIsThrownByEveryCallWithTheEnginesProblem() {
        calls.refusal = REFUSAL;
        DirectExec exec = create(behind);
        calls.answer.countDown();
        for (Runnable call : List.<Runnable>of(exec::start, () -> exec.resize(24, 80), exec::inspect, exec::processMark)) {
            PortholeException e = assertThrows(PortholeException.class, call::run);
            assertEquals(Problem.CONFLICT, e.problem());
            assertEquals(REFUSAL.getMessage(), e.getMessage());
            assertSame(REFUSAL, e.getCause());
        }
        CompletionException failed = assertThrows(CompletionException.class, () -> exec.created().toCompletableFuture().join());
        assertSame(REFUSAL, failed.getCause());
        assertEquals(List.of(), calls.asked);
    }

    @Test
    void aCreateThatNeverAnswersMakesTheEngineUnreachableAfterTheCreatesOwnTimeouts() {
        DirectExec exec = create(behind);
        long start = System.nanoTime();
        PortholeException e = assertThrows(PortholeException.class, exec::start);
        long waited = System.nanoTime() - start;
        assertEquals(Problem.ENGINE_UNREACHABLE, e.problem());
        assertTrue(e.getMessage().contains("no exec instance within 300 ms"), e.getMessage());
        assertTrue(waited >= Duration.ofMillis(300).toNanos(), "gave up after " + waited + " ns");
        assertEquals(List.of(), calls.asked);
    }

    @Test
    void whenTheThreadsBehindAreShutDownTheCreateRunsBeforeTheAnswer() {
        behind.shutdown();
        calls.answer.countDown();
        DirectExec exec = create(behind);
        assertTrue(exec.created().toCompletableFuture().isDone());
        assertEquals(Thread.currentThread().getName(), calls.createdOn);
    }

    /** Answers the create once {@link #answer} is counted down, with an id or {@link #refusal}; records the rest. */
    private static final class Calls implements DirectExec.Calls {
        final CountDownLatch answer = new CountDownLatch(1);
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());
        final ExecStream stream = new ExecStream() {
            @Override
            public int read(byte[] buffer) {
                return -1;
            }

            @Override
            public void write(byte[] bytes) {
            }

            @Override
            public void close() {
            }
        };
        volatile PortholeException refusal;
        volatile List<String> created;
        volatile String createdOn;

        @Override
        public String createTty(String container, List<String> cmd, String user, List<String> env) {
            createdOn = Thread.currentThread().getName();
            List<String> what = new ArrayList<>(List.of(container));
            what.addAll(cmd);
            what.add(user);
            what.addAll(env);
            created = what;
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refusal != null) {
                throw refusal;
            }
            return "engine-1";
        }

        @Override
        public ExecStream start(String execId) {
            asked.add("start " + execId);
            return stream;
        }

        @Override
        public void resize(String execId, int rows, int cols) {
            asked.add("resize " + execId + " " + rows + "x" + cols);
        }

        @Override
        public ExecState inspect(String execId) {
            asked.add("inspect " + execId);
            return new ExecState(false, 0);
        }
    }
}
