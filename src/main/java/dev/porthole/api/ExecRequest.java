package dev.porthole.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /api/containers/{id}/exec}; either field may be left out. */
public record ExecRequest(
        @Schema(description = "the path of one program, no arguments", defaultValue = "/bin/sh", example = "/bin/bash")
        String shell,
        @Schema(description = "a name, UID, or UID:GID", defaultValue = "root", example = "www-data")
        String user) {
}
