package dev.porthole.docker;

import dev.porthole.config.ConfigFile;
import dev.porthole.config.PrivateFiles;
import dev.porthole.config.Settings;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the environments come from, and how a change reaches the running server: the configuration file is read
 * again when it (or a TLS file it names) changes, and its environments are reconciled with the running ones (see
 * {@link Environments#reconcile}). The admin API writes through here too, and applies what it wrote by the same
 * path, so the file stays the one source of truth on a single node. Only {@code environments.*} and the
 * {@code docker.*} timeouts take effect on a reload; every other key needs a restart.
 *
 * <p>In a cluster each change the admin API writes is also told to the {@link Listener}s, which hand it to the other
 * nodes; a change heard from another node is {@link #apply applied} here as if written here, without being told on.
 */
public final class EnvironmentConfig {
    private static final Logger log = LoggerFactory.getLogger(EnvironmentConfig.class);

    private final Optional<ConfigFile> file;
    private final Map<String, String> processEnv;
    private final Environments environments;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private EnvironmentCatalog catalog;
    private String seen; // the file's stamp when last read

    public EnvironmentConfig(Optional<ConfigFile> file, Map<String, String> processEnv, Environments environments,
            Settings loaded) {
        this.file = file;
        this.processEnv = processEnv;
        this.environments = environments;
        this.seen = file.map(ConfigFile::stamp).orElse("");
        this.catalog = EnvironmentCatalog.read(loaded, processEnv);
        keepPrivate();
    }

    /** Told of every environment the admin API wrote: its keys as the file has them, empty when it was removed. */
    public interface Listener {
        void written(int id, Map<String, String> properties);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The environments the file defines (not the process's environment variables), each as its keys: what a cluster shares. */
    public synchronized Map<Integer, Map<String, String>> written() {
        Map<Integer, Map<String, String>> written = new LinkedHashMap<>();
        catalog.specs().forEach((id, spec) -> {
            if (!catalog.fromProcessEnv().contains(id) && !catalog.implicit()) {
                written.put(id, spec.toProperties(id));
            }
        });
        return written;
    }

    /**
     * Makes environment {@code id} what another node wrote ({@code properties}, or removed when empty): written to this
     * node's file and applied like a change of its own, but not told on. Fails, changing nothing, without a file.
     */
    public synchronized void apply(int id, Map<String, String> properties) throws IOException {
        ConfigFile target = file.orElseThrow(() -> new IOException("no configuration file to keep the change in"));
        if (catalog.fromProcessEnv().contains(id)) {
            log.warn("environment {} changed on another node is set here by PORTHOLE_ENVIRONMENTS_{}_* variables, which win", id, id);
        }
        target.replace(EnvironmentSpec.prefix(id), properties);
        seen = target.stamp();
        reload();
    }

    /** A file that holds agent token hashes is its owner's only; see {@link PrivateFiles}. */
    private void keepPrivate() {
        boolean holdsHashes = catalog.specs().entrySet().stream()
                .anyMatch(e -> e.getValue().agentTokenSha256() != null && !catalog.fromProcessEnv().contains(e.getKey()));
        if (holdsHashes) {
            file.ifPresent(f -> PrivateFiles.restrict(f.path(), "the configuration file, which holds agent token hashes,"));
        }
    }

    synchronized EnvironmentCatalog catalog() {
        return catalog;
    }

    Optional<ConfigFile> file() {
        return file;
    }

    /** For the watcher: reloads when the file or a TLS file changed; an unusable file is logged and changes nothing. */
    public synchronized void reloadIfChanged() {
        String stamp = file.map(ConfigFile::stamp).orElse("");
        boolean certificatesChanged = environments.all().stream()
                .anyMatch(e -> e.tls() != null && !e.tls().equals(e.tls().restamped()));
        if (stamp.equals(seen) && !certificatesChanged) {
            return;
        }
        seen = stamp;
        try {
            reload();
            log.info("configuration reloaded from {}", file.map(ConfigFile::path).map(Object::toString).orElse("the environment"));
        } catch (RuntimeException e) {
            log.error("configuration not reloaded, the running environments stay as they were: {}", e.getMessage());
        }
    }

    /** The configuration as it is on disk now, with the process's environment variables over it. */
    Settings settings() {
        return Settings.load(file.map(ConfigFile::path), processEnv);
    }

    /** Reads the configuration again and applies its environments; throws, changing nothing, when it is unusable. */
    synchronized void reload() {
        EnvironmentCatalog next = EnvironmentCatalog.read(settings(), processEnv);
        environments.reconcile(next.environments());
        catalog = next;
        keepPrivate();
    }

    /** Replaces (or with null removes) environment {@code id} in the file, then applies the file. */
    synchronized void write(int id, EnvironmentSpec spec) throws IOException {
        ConfigFile target = file.orElseThrow();
        Map<Integer, Map<String, String>> written = new LinkedHashMap<>();
        if (catalog.implicit() && id != 1) {
            // Environment 1 exists only while no environment is configured: write it down before adding another.
            written.put(1, catalog.specs().get(1).toProperties(1));
            target.replace(EnvironmentSpec.prefix(1), written.get(1));
        }
        written.put(id, spec == null ? Map.of() : spec.toProperties(id));
        target.replace(EnvironmentSpec.prefix(id), written.get(id));
        seen = target.stamp();
        try {
            reload();
        } catch (RuntimeException e) {
            throw new PortholeException(Problem.INTERNAL,
                    "the change was written, but the configuration file cannot be applied: " + e.getMessage(), e);
        }
        written.forEach((changed, properties) -> listeners.forEach(listener -> listener.written(changed, properties)));
    }
}
