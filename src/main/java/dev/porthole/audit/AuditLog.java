package dev.porthole.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.security.SecurityEvents;
import dev.porthole.security.SignInFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records: one JSON object per line, each with {@code time}, {@code event} and {@code node} first. In a
 * cluster every node writes its own file; the node's name in each record keeps them one record when merged. Security's
 * events arrive here directly; the terminals' through {@link TerminalAudit}.
 */
final class AuditLog implements SecurityEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditFile file;
    private final String node;
    private final ObjectMapper json = new ObjectMapper();

    AuditLog(AuditFile file, String node) {
        this.file = file;
        this.node = node;
    }

    /** A record's fields in the order they are written; null values are written as null. */
    Map<String, Object> record(String event) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("time", Instant.now().toString());
        record.put("event", event);
        record.put("node", node);
        return record;
    }

    void write(Map<String, Object> record) {
        try {
            file.write(json.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            log.error("cannot write audit record {}", record.get("event"), e);
        }
    }

    @Override
    public void signedIn(String user, String client) {
        Map<String, Object> r = record("sign-in");
        r.put("user", user);
        r.put("client", client);
        write(r);
    }

    @Override
    public void signInFailed(String user, String client, SignInFailure failure) {
        Map<String, Object> r = record("sign-in-failed");
        r.put("user", user);
        r.put("client", client);
        r.put("reason", failure.reason());
        write(r);
    }

    @Override
    public void refused(int status, String method, String path, String user, String client, String reason) {
        Map<String, Object> r = record("refused");
        r.put("status", status);
        r.put("method", method);
        r.put("path", path);
        r.put("user", user);
        r.put("client", client);
        r.put("reason", reason);
        write(r);
    }

    @Override
    public void tokenIssued(String by, String tokenId, String user, Set<String> roles, String client) {
        Map<String, Object> r = record("token-issued");
        r.put("by", by);
        r.put("token", tokenId);
        r.put("user", user);
        r.put("roles", roles);
        r.put("client", client);
        write(r);
    }

    @Override
    public void tokenRevoked(String by, String tokenId, String client) {
        Map<String, Object> r = record("token-revoked");
        r.put("by", by);
        r.put("token", tokenId);
        r.put("client", client);
        write(r);
    }

    /** {@code node} died and this node ended the processes of its terminals, {@code processesEnded} of them. */
    void nodeDied(String node, int processesEnded) {
        Map<String, Object> r = record("node-died");
        r.put("deadNode", node);
        r.put("processesEnded", processesEnded);
        write(r);
    }

    @Override
    public void close() {
        file.close();
    }
}
