package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnvironmentSpecTest {
    private static final EnvironmentSpec.Defaults DEFAULTS = new EnvironmentSpec.Defaults(Duration.ofSeconds(5), Duration.ofSeconds(60));

    private static Environment resolve(String url, EnvironmentSpec.Tls tls, String apiVersion) {
        return new EnvironmentSpec(null, "e", url, tls, apiVersion, null, null).resolve(7, DEFAULTS);
    }

    @Test
    void eachUrlSchemeGivesItsConnectionInfo() {
        assertEquals(new ConnectionInfo("socket", "/run/docker.sock", null), resolve("unix:///run/docker.sock", null, null).connectionInfo());
        assertEquals(new ConnectionInfo("http", "10.0.0.5", 2375), resolve("tcp://10.0.0.5", null, null).connectionInfo());
        assertEquals(new ConnectionInfo("http", "10.0.0.5", 4243), resolve("http://10.0.0.5:4243", null, null).connectionInfo());
        assertEquals(new ConnectionInfo("https", "engine.example", 2376), resolve("https://engine.example", null, null).connectionInfo());
    }

    @Test
    void dockerJavaAlwaysGetsTcpForNetworkEngines() {
        assertEquals("tcp://engine.example:2376", resolve("https://engine.example", null, null).dockerHost().toString());
        assertEquals("unix:///run/docker.sock", resolve("unix:///run/docker.sock", null, null).dockerHost().toString());
    }

    @Test
    void tlsSettingsNeedAnHttpsUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("tcp://10.0.0.5:2375", new EnvironmentSpec.Tls(null, null, null, true), null));
        assertTrue(e.getMessage().contains("https://"), e.getMessage());
    }

    @Test
    void aClientCertificateNeedsItsKey() {
        assertThrows(IllegalArgumentException.class,
                () -> resolve("https://h", new EnvironmentSpec.Tls(null, "/etc/porthole/cert.pem", null, null), null));
    }

    @Test
    void theApiVersionIsCheckedAndDefaultsToTheEngines() {
        assertNull(resolve("tcp://h", null, null).apiVersion());
        assertEquals("1.41", resolve("tcp://h", null, "v1.41").apiVersion());
        assertThrows(IllegalArgumentException.class, () -> resolve("tcp://h", null, "latest"));
    }

    @Test
    void unsupportedOrMalformedUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> resolve("ssh://user@host", null, null));
        assertThrows(IllegalArgumentException.class, () -> resolve("tcp://host:2375/path", null, null));
        assertThrows(IllegalArgumentException.class, () -> resolve(null, null, null));
    }

    @Test
    void propertiesRoundTripWithoutUnsetKeys() {
        EnvironmentSpec spec = new EnvironmentSpec(3, "tls", "https://h:2376",
                new EnvironmentSpec.Tls("/a/ca.pem", "/a/cert.pem", "/a/key.pem", false), null, "3s", null);
        assertEquals(java.util.List.of("environments.3.name", "environments.3.url", "environments.3.tls.ca",
                "environments.3.tls.cert", "environments.3.tls.key", "environments.3.connect-timeout"),
                java.util.List.copyOf(spec.toProperties(3).keySet()));
        assertEquals(Duration.ofSeconds(3), spec.resolve(3, DEFAULTS).connectTimeout());
        assertEquals(Duration.ofSeconds(60), spec.resolve(3, DEFAULTS).readTimeout());
    }
}
