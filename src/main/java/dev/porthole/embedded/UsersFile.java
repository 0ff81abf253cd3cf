package dev.porthole.embedded;

import dev.porthole.config.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.realm.SecretKeyCredentialHandler;

/**
 * The embedded realm's users, in Tomcat's {@code tomcat-users.xml} format with hashed passwords. On first start
 * there is none: one admin is created with a random password that is printed once and stored only as a hash.
 */
public final class UsersFile {
    /** A user to write: name, clear password (hashed before it is written) and roles. */
    public record User(String name, String password, List<String> roles) {
    }

    private UsersFile() {
    }

    /** Creates the file with an admin if it does not exist; answers the admin's password when it did so. */
    public static Optional<String> ensureAdmin(Path file) throws IOException {
        if (Files.exists(file)) {
            return Optional.empty();
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        write(file, List.of(new User("admin", password, List.of("porthole-admin"))));
        return Optional.of(password);
    }

    public static void write(Path file, List<User> users) throws IOException {
        SecretKeyCredentialHandler handler = Credentials.handler();
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Porthole users. Passwords are PBKDF2 hashes (salt$iterations$hash) made by Tomcat's
                     SecretKeyCredentialHandler, algorithm %s, key length %d. -->
                <tomcat-users>
                """.formatted(Credentials.ALGORITHM, Credentials.KEY_LENGTH));
        for (User user : users) {
            xml.append("  <user username=\"").append(attribute(user.name()))
                    .append("\" password=\"").append(handler.mutate(user.password()))
                    .append("\" roles=\"").append(attribute(String.join(",", user.roles()))).append("\"/>\n");
        }
        xml.append("</tomcat-users>\n");
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".users", ".xml", PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY));
        Files.writeString(temp, xml, StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
