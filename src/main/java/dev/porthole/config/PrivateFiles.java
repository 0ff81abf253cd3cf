package dev.porthole.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that hold secrets or their hashes (the users file of the embedded start, the API tokens, a configuration
 * file with agent token hashes) are for their owner only, mode 600: a hash lets anyone who reads it guess offline.
 * Porthole writes them so, and narrows one it finds wider, with a warning; where it cannot (another owner), it warns.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Narrows {@code file}, described as {@code what}, to mode 600 if its group or others may use it. */
    public static void restrict(Path file, String what) {
        Set<PosixFilePermission> permissions = wider(file);
        if (permissions == null) {
            return;
        }
        String mode = PosixFilePermissions.toString(permissions);
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            log.warn("{} {} was mode {}: others could read it; it is now mode 600", what, file, mode);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("{} {} is mode {}: others can read it, and Porthole cannot change that ({}); make it mode 600",
                    what, file, mode, e.getMessage());
        }
    }

    /**
     * For a file about to be replaced by one of mode 600: warns, naming it as {@code what}, when it was wider, so that
     * the operator knows why the mode changed.
     */
    public static void warnIfNarrowed(Path file, String what) {
        Set<PosixFilePermission> permissions = wider(file);
        if (permissions != null) {
            log.warn("{} {} was mode {}; it is written mode 600 from now on", what, file,
                    PosixFilePermissions.toString(permissions));
        }
    }

    /** The permissions of {@code file} when its group or others have any; null otherwise, or where there are none. */
    private static Set<PosixFilePermission> wider(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !Files.exists(file)) {
            return null;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            return permissions.stream().anyMatch(OTHERS::contains) ? permissions : null;
        } catch (IOException e) {
            return null;
        }
    }
}
