package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentHelloTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aNewerAgentsHelloGivesItsBuildAndProtocol() throws Exception {
        AgentHello hello = AgentHello.of(json.readTree("{\"type\":\"hello\",\"version\":\"0.2.46\",\"protocol\":\"1.0\","
                + "\"agentName\":\"nas\",\"token\":\"t\",\"capabilities\":[\"exec\",\"metrics\"]}"));
        assertEquals("0.2.46", hello.version());
        assertEquals("1.0", hello.protocol());
        assertEquals(List.of("exec", "metrics"), hello.capabilities());
        assertEquals(AgentTokens.sha256Hex("t"), hello.tokenHash());
    }

    @Test
    void beforeVersion0214TheVersionFieldWasTheProtocol() throws Exception {
        AgentHello hello = AgentHello.of(json.readTree("{\"type\":\"hello\",\"version\":\"1.0\",\"token\":\"t\"}"));
        assertNull(hello.version());
        assertEquals("1.0", hello.protocol());
    }

    @Test
    void theTokenWinsOverAHashThatDoesNotMatchIt() throws Exception {
        AgentHello hello = AgentHello.of(json.readTree("{\"type\":\"hello\",\"token\":\"right\",\"tokenHash\":\""
                + AgentTokens.sha256Hex("other") + "\"}"));
        assertEquals(AgentTokens.sha256Hex("right"), hello.tokenHash());
        assertFalse(hello.toString().contains(hello.tokenHash()));
    }

    @Test
    void aHashAloneIsNoCredential() throws Exception {
        AgentHello hello = AgentHello.of(json.readTree("{\"type\":\"hello\",\"tokenHash\":\"" + AgentTokens.sha256Hex("t") + "\"}"));
        assertNull(hello.tokenHash());
    }

    @Test
    void whatTheAgentSaysOfItselfIsMadePrintable() throws Exception {
        AgentHello hello = AgentHello.of(json.readTree("{\"type\":\"hello\",\"token\":\"t\",\"protocol\":\"1.0\","
                + "\"agentName\":\"a\\nWARN forged\",\"hostname\":\"h\\u2028x\",\"version\":\"" + "v".repeat(500) + "\"}"));
        assertEquals("a?WARN forged", hello.agentName());
        assertEquals("h?x", hello.hostname());
        assertTrue(hello.version().length() < 200, hello.version());
    }

    @Test
    void tokensAreDockhandsShapeAndHashesCompareCaseBlind() {
        String token = new AgentTokens(new SecureRandom()).newToken();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AgentTokens.sha256Hex("test"));
        assertTrue(AgentTokens.sameHash(AgentTokens.sha256Hex("x"), AgentTokens.sha256Hex("x").toUpperCase()));
        assertFalse(AgentTokens.sameHash(AgentTokens.sha256Hex("x"), AgentTokens.sha256Hex("y")));
        assertFalse(AgentTokens.sameHash(null, "a"));
    }
}
