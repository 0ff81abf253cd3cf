package dev.porthole.docker;

import dev.porthole.config.Settings;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environments a configuration describes: each one as written ({@link EnvironmentSpec}) and resolved
 * ({@link Environment}), which of them environment variables set, and whether none is configured at all, in which
 * case environment 1 is the local engine: {@code DOCKER_HOST}, or {@code unix:///var/run/docker.sock}.
 */
record EnvironmentCatalog(Map<Integer, EnvironmentSpec> specs, Map<Integer, Environment> environments,
        Set<Integer> fromProcessEnv, boolean implicit) {
    static final String LOCAL_SOCKET = "unix:///var/run/docker.sock";

    /** Reads every {@code environments.N.*}; {@link IllegalStateException} names the environment and key at fault. */
    static EnvironmentCatalog read(Settings settings, Map<String, String> processEnv) {
        EnvironmentSpec.Defaults defaults = EnvironmentSpec.Defaults.from(settings);
        Map<Integer, EnvironmentSpec> specs = new LinkedHashMap<>();
        Map<Integer, Environment> environments = new LinkedHashMap<>();
        for (int id : settings.environmentIds()) {
            EnvironmentSpec spec = EnvironmentSpec.read(settings, id);
            try {
                environments.put(id, spec.resolve(id, defaults));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("configuration environments." + id + ".* (from " + settings.source()
                        + "): " + e.getMessage(), e);
            }
            specs.put(id, spec);
        }
        Set<Integer> fromProcessEnv = new TreeSet<>();
        for (String name : processEnv.keySet()) {
            if (name.matches("PORTHOLE_ENVIRONMENTS_\\d+_[A-Z_]+")) {
                fromProcessEnv.add(Integer.parseInt(name.split("_")[2]));
            }
        }
        boolean implicit = environments.isEmpty();
        if (implicit) {
            String local = processEnv.getOrDefault("DOCKER_HOST", LOCAL_SOCKET).trim();
            EnvironmentSpec spec = new EnvironmentSpec(1, "local", local, null, null, null, null);
            specs.put(1, spec);
            environments.put(1, new Environment(1, "local", URI.create(local), defaults.connectTimeout(),
                    defaults.readTimeout()));
        }
        return new EnvironmentCatalog(Collections.unmodifiableMap(specs), Collections.unmodifiableMap(environments),
                Collections.unmodifiableSet(fromProcessEnv), implicit);
    }
}
