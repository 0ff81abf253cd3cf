package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.List;

/**
 * Finds the shells a terminal could start in a container, best first, with one short non-interactive exec. It
 * runs as UID 0 (a name needs an {@code /etc/passwd}); a container without {@code /bin/sh} has no shell to
 * offer and answers an empty list.
 */
public final class ShellService {
    /** For each shell the first of /bin and /usr/bin that holds it, so a merged /usr does not list it twice. */
    static final String SCRIPT = "for s in bash zsh fish ash sh; do for d in /bin /usr/bin; do "
            + "if [ -x \"$d/$s\" ]; then echo \"$d/$s\"; break; fi; done; done; exit 0";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_OUTPUT_BYTES = 1024;

    private final Environments environments;

    public ShellService(Environments environments) {
        this.environments = environments;
    }

    public List<String> find(SignedInUser user, String envId, String container) {
        Environment environment = environments.require(envId);
        String containerRef = ExecService.requireContainer(container);
        if (!user.mayExec(environment)) {
            throw PortholeException.forbidden("you may not open terminals in " + environment);
        }
        DockerEngine engine = environments.engine(environment);
        DockerEngine.Captured found = engine.capture(containerRef, List.of("/bin/sh", "-c", SCRIPT), "0", TIMEOUT,
                MAX_OUTPUT_BYTES);
        // Without /bin/sh the engine's own complaint may arrive as output: keep only what the script prints.
        return found.stdout().lines()
                .map(String::trim)
                .filter(line -> line.matches("/(usr/)?bin/(bash|zsh|fish|ash|sh)"))
                .distinct()
                .toList();
    }
}
