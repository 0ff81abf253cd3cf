package dev.porthole.docker;

import dev.porthole.config.Settings;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.error.Printable;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What an admin may do with environments: read one, add, change and remove. Every change is checked first (a bad
 * url or an unreadable TLS file is a 400 and changes nothing), written to the configuration file, and applied by
 * reading the file back, exactly as an edit by hand would be. Authorisation is the caller's job.
 */
public final class EnvironmentAdmin {
    private static final Pattern ID = Pattern.compile("[0-9]{1,9}");

    private final EnvironmentConfig config;
    private final Environments environments;

    public EnvironmentAdmin(EnvironmentConfig config, Environments environments) {
        this.config = config;
        this.environments = environments;
    }

    public EnvironmentDetails get(String id) {
        int envId = parseId(id);
        Environment environment = environments.find(envId)
                .orElseThrow(() -> PortholeException.notFound("unknown environment " + envId));
        return EnvironmentDetails.of(environment, config.catalog().specs().get(envId));
    }

    /** Adds an environment under the id in {@code spec}, or the next free one; 409 when that id is taken. */
    public EnvironmentDetails create(EnvironmentSpec spec) {
        synchronized (config) {
            int id = spec.id() != null ? spec.id()
                    : environments.all().stream().mapToInt(Environment::id).max().orElse(0) + 1;
            if (id < 1) {
                throw PortholeException.badRequest("id must be a positive number");
            }
            if (environments.find(id).isPresent()) {
                throw new PortholeException(Problem.CONFLICT, "environment " + id + " exists; change it with PUT");
            }
            return save(id, spec.withId(id).withAgentTokenSha256(null));
        }
    }

    public EnvironmentDetails update(String id, EnvironmentSpec spec) {
        int envId = parseId(id);
        if (spec.id() != null && spec.id() != envId) {
            throw PortholeException.badRequest("the body's id " + spec.id() + " is not the path's " + envId);
        }
        synchronized (config) {
            requireExisting(envId);
            // The body never carries the agent token's hash: an edge environment keeps the one it has.
            EnvironmentSpec old = config.catalog().specs().get(envId);
            String hash = spec.isEdge() && old != null && old.isEdge() ? old.agentTokenSha256() : null;
            return save(envId, spec.withId(envId).withAgentTokenSha256(hash));
        }
    }

    /**
     * Keeps {@code sha256Hex} as the hash of the agent token of edge environment {@code id}, replacing the one
     * before; the caller made the token and shows it once. 404 for an unknown id, 409 for one that is not an edge.
     */
    public Environment setAgentToken(String id, String sha256Hex) {
        int envId = parseId(id);
        synchronized (config) {
            requireExisting(envId);
            EnvironmentSpec old = config.catalog().specs().get(envId);
            if (old == null || !old.isEdge()) {
                throw new PortholeException(Problem.CONFLICT, "environment " + envId + " is not of type "
                        + EnvironmentSpec.EDGE_TYPE + ": only its agents have tokens");
            }
            save(envId, old.withAgentTokenSha256(sha256Hex));
            return environments.find(envId).orElseThrow();
        }
    }

    public void delete(String id) {
        int envId = parseId(id);
        synchronized (config) {
            requireExisting(envId);
            if (environments.all().size() == 1) {
                throw new PortholeException(Problem.CONFLICT, "environment " + envId + " is the last one and cannot be removed");
            }
            requireWritable(envId);
            try {
                config.write(envId, null);
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }
    }

    private EnvironmentDetails save(int id, EnvironmentSpec spec) {
        requireWritable(id);
        Environment environment = check(id, spec);
        try {
            config.write(id, spec);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        return EnvironmentDetails.of(environments.find(id).orElse(environment), spec);
    }

    /** Resolves the settings and reads the TLS files once, so that a mistake is a 400 now rather than a 502 later. */
    private Environment check(int id, EnvironmentSpec spec) {
        try {
            Environment environment = spec.resolve(id, EnvironmentSpec.Defaults.from(currentSettings()));
            if (environment.tls() != null) {
                PemTls.context(environment);
            }
            return environment;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw PortholeException.badRequest(e.getMessage());
        }
    }

    private Settings currentSettings() {
        return config.settings();
    }

    private void requireExisting(int id) {
        if (environments.find(id).isEmpty()) {
            throw PortholeException.notFound("unknown environment " + id);
        }
    }

    private void requireWritable(int id) {
        if (config.file().isEmpty()) {
            throw new PortholeException(Problem.CONFLICT,
                    "no configuration file to keep the change in: start Porthole with one (porthole.config)");
        }
        if (config.catalog().fromProcessEnv().contains(id)) {
            throw new PortholeException(Problem.CONFLICT, "environment " + id
                    + " is set by PORTHOLE_ENVIRONMENTS_" + id + "_* variables, which a file change would not override");
        }
    }

    private static PortholeException cannotWrite(IOException e) {
        return new PortholeException(Problem.INTERNAL, "cannot write the configuration file: " + FileFailures.describe(e), e);
    }

    /** ASCII digits only, as {@link Environments#require} reads an envId: no sign, no spaces, no other scripts' digits. */
    private static int parseId(String id) {
        if (id != null && ID.matcher(id).matches() && Integer.parseInt(id) > 0) {
            return Integer.parseInt(id);
        }
        throw PortholeException.badRequest("environment id must be a positive number, not '"
                + Printable.of(String.valueOf(id), 40) + "'");
    }
}
