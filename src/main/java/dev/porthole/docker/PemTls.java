package dev.porthole.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SSLContext} of an https environment from its three PEM files: the CA to trust, and the client
 * certificate and key to present. Keys may be PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted.
 *
 * <p>No message here ever contains a key's contents: failures name the file and the kind of problem only. The
 * JVM's security providers are left alone (docker-java's own directory config registers BouncyCastle globally,
 * which a web app must not do); BouncyCastle only parses the PEM text.
 */
final class PemTls {
    private static final Logger log = LoggerFactory.getLogger(PemTls.class);
    private static final char[] IN_MEMORY = "porthole".toCharArray(); // protects nothing: the store never leaves memory
    private static final Set<PosixFilePermission> OTHERS_READ =
            EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private PemTls() {
    }

    /** Reads the files now; {@link IllegalArgumentException} names the file that cannot be used and why. */
    static SSLContext context(Environment environment) {
        TlsFiles files = environment.tls();
        try {
            KeyManager[] keys = files.clientCertificate() ? keyManagers(environment, files) : null;
            TrustManager[] trust;
            if (files.skipVerify()) {
                log.warn("TLS SERVER VERIFICATION IS OFF for {} at {} (tls.skip-verify=true): any server, an attacker's "
                        + "included, can pose as this engine and receive its terminals' keystrokes", environment, environment.url());
                trust = new TrustManager[] {new TrustAnything()};
            } else {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(files.ca() == null ? null : trustStore(files.ca()));
                trust = factory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for " + environment
                    + ": its key and certificates do not make a TLS configuration Java accepts");
        }
    }

    private static KeyManager[] keyManagers(Environment environment, TlsFiles files) throws GeneralSecurityException {
        warnIfOthersCanRead(environment, files.key());
        Collection<? extends Certificate> chain = certificates(files.cert(), "client certificate (tls.cert)");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        store.setKeyEntry("client", privateKey(files.key()), IN_MEMORY, chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY);
        return factory.getKeyManagers();
    }

    private static KeyStore trustStore(Path ca) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates(ca, "CA certificate (tls.ca)")) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(what + " " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + FileFailures.describe(e));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a PEM certificate");
        }
    }

    static PrivateKey privateKey(Path file) {
        Object pem;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        } catch (IOException e) {
            // The parser's messages may quote what it read: name the file only.
            throw new IllegalArgumentException("cannot read client key (tls.key) " + file + ": " + FileFailures.describe(e));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read client key (tls.key) " + file + ": it is not a PEM file");
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (pem instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("client key (tls.key) " + file + " is not a usable private key");
        }
        if (pem instanceof PEMEncryptedKeyPair || pem instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("client key (tls.key) " + file + " is encrypted; Porthole needs it unencrypted "
                    + "(and readable by its own user only)");
        }
        throw new IllegalArgumentException("client key (tls.key) " + file + " holds no PEM private key");
    }

    /** Logs a warning when the key file's group or others may read it; says nothing where POSIX modes do not exist. */
    static boolean warnIfOthersCanRead(Environment environment, Path key) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(key);
            if (mode.stream().anyMatch(OTHERS_READ::contains)) {
                log.warn("the client key of {}, {}, can be read by other users (mode {}): make it readable by Porthole's "
                        + "user only (chmod 600)", environment, key, java.nio.file.attribute.PosixFilePermissions.toString(mode));
                return true;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or not readable: reading the key reports the latter
        }
        return false;
    }

    /** tls.skip-verify: trusts every server certificate, which is exactly what the warning above says. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
