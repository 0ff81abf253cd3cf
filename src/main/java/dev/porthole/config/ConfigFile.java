package dev.porthole.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Edits the configuration file in place for the admin API: replaces every key under one prefix and leaves every
 * other line (comments, blank lines, other keys, their order) as the operator wrote it. The new file is written
 * beside the old one, mode 600 (it may hold agent token hashes: {@link PrivateFiles}), and moved over it atomically,
 * so a reader (the file watcher, an editor, a crash) sees either the old file or the new one.
 */
public final class ConfigFile {
    private final Path path;

    public ConfigFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Removes every key starting with {@code prefix}, and writes {@code values} where the first of them was (else at the end). */
    public synchronized void replace(String prefix, Map<String, String> values) throws IOException {
        List<String> lines = Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        int insertAt = -1;
        boolean dropping = false; // inside a dropped key's continuation lines
        for (String line : lines) {
            if (dropping) {
                dropping = continues(line);
                continue;
            }
            String key = keyOf(line);
            if (key != null && key.startsWith(prefix)) {
                insertAt = insertAt < 0 ? out.size() : insertAt;
                dropping = continues(line);
                continue;
            }
            out.add(line);
        }
        List<String> added = values.entrySet().stream().map(e -> e.getKey() + "=" + escape(e.getValue())).toList();
        if (insertAt >= 0) {
            out.addAll(insertAt, added);
        } else if (!added.isEmpty()) {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.addAll(added);
        }
        write(out);
    }

    /** What identifies the file's current version, cheaply: its modification time and size. */
    public String stamp() {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            return modified.toMillis() + "/" + Files.size(path);
        } catch (IOException e) {
            return "missing";
        }
    }

    private void write(List<String> lines) throws IOException {
        Path dir = Objects.requireNonNullElse(path.toAbsolutePath().getParent(), Path.of("."));
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            PosixFileAttributeView to = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (to != null) {
                to.setPermissions(PrivateFiles.OWNER_ONLY);
            }
            PrivateFiles.warnIfNarrowed(path, "the configuration file");
            Files.writeString(temp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The key of a {@code key=value} line, or null for comments and blank lines (the properties format's rules). */
    static String keyOf(String line) {
        String s = line.stripLeading();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith("!")) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                key.append(s.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** A line ending in an odd number of backslashes continues on the next one. */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Escapes a value so that {@link java.util.Properties#load} reads it back unchanged. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
