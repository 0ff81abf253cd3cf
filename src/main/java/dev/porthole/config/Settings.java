package dev.porthole.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration values: an environment variable wins over the file, the file over the default.
 *
 * <p>A key {@code exec.attach-timeout} is overridden by {@code PORTHOLE_EXEC_ATTACH_TIMEOUT}: upper case,
 * with dots and dashes turned into underscores.
 */
public final class Settings {
    private static final Pattern ENV_ENVIRONMENT = Pattern.compile("PORTHOLE_ENVIRONMENTS_(\\d+)_[A-Z_]+");
    private static final Pattern FILE_ENVIRONMENT = Pattern.compile("environments\\.(\\d+)\\..+");

    private final Properties file;
    private final Map<String, String> env;
    private final String source;
    /** Every key asked for, with the default the code gave; see {@link #keysRead}. */
    private final Map<String, Read> read = Collections.synchronizedMap(new LinkedHashMap<>());

    /** A key the code asked for, and the default it gave: null where it gave none (the key is optional). */
    public record Read(String key, Object fallback) {
    }

    public Settings(Properties file, Map<String, String> env, String source) {
        this.file = file;
        this.env = env;
        this.source = source;
    }

    /** Loads {@code path} when given; without a file only environment variables and defaults apply. */
    public static Settings load(Optional<Path> path, Map<String, String> env) {
        Properties properties = new Properties();
        if (path.isEmpty()) {
            return new Settings(properties, env, "defaults");
        }
        try (Reader reader = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read configuration file " + path.get() + ": " + e.getMessage(), e);
        }
        return new Settings(properties, env, path.get().toString());
    }

    public static String envName(String key) {
        return "PORTHOLE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(String key) {
        asked(key, null);
        return lookup(key);
    }

    private Optional<String> lookup(String key) {
        String fromEnv = env.get(envName(key));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        String fromFile = file.getProperty(key);
        return fromFile == null || fromFile.isBlank() ? Optional.empty() : Optional.of(fromFile.trim());
    }

    public String get(String key, String fallback) {
        asked(key, fallback);
        return lookup(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        asked(key, fallback);
        return lookup(key).map(value -> parse(key, value, Integer::parseInt)).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        asked(key, fallback);
        return lookup(key).map(value -> parse(key, value, Long::parseLong)).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        asked(key, fallback);
        return lookup(key).map(value -> Boolean.parseBoolean(value.toLowerCase(Locale.ROOT))).orElse(fallback);
    }

    /** Durations are written in ISO-8601 ({@code PT60S}) or as a number with a unit: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 2h}. */
    public Duration getDuration(String key, Duration fallback) {
        asked(key, fallback);
        return lookup(key).map(value -> parse(key, value, Settings::duration)).orElse(fallback);
    }

    /**
     * Every key asked for so far, in the order first asked, with the default the code gave. What Porthole reads is
     * thereby known from the code itself: a test holds {@code deploy/porthole.properties} to it.
     */
    public List<Read> keysRead() {
        synchronized (read) {
            return List.copyOf(read.values());
        }
    }

    private void asked(String key, Object fallback) {
        read.merge(key, new Read(key, fallback), (old, now) -> now.fallback() == null ? old : now);
    }

    /** The ids of every configured environment, from the file and from environment variables. */
    public TreeSet<Integer> environmentIds() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String key : file.stringPropertyNames()) {
            Matcher m = FILE_ENVIRONMENT.matcher(key);
            if (m.matches()) {
                ids.add(parse(key, m.group(1), Integer::parseInt));
            }
        }
        for (String name : env.keySet()) {
            Matcher m = ENV_ENVIRONMENT.matcher(name);
            if (m.matches()) {
                ids.add(parse(name, m.group(1), Integer::parseInt));
            }
        }
        return ids;
    }

    public String source() {
        return source;
    }

    public static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(text.trim());
        }
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?").matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalStateException("configuration " + key + " (from " + source + "): cannot read '" + value + "'", e);
        }
    }
}
