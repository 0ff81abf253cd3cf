package dev.porthole.docker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/** An engine of {@code environment} that answers nothing of interest: tests override what they look at. */
public abstract class StubEngine implements DockerEngine {
    private final Environment environment;

    protected StubEngine(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public void ping() {
    }

    @Override
    public List<ContainerSummary> containers() {
        return List.of();
    }

    @Override
    public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isRunning(String container) {
        return true;
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        return 0;
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        return new Captured(0, "");
    }

    @Override
    public void close() {
    }
}
