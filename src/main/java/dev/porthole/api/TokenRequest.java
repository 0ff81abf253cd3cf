package dev.porthole.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Body of {@code POST /api/tokens}: whom the token acts as, with which roles, and a note for people. */
@Schema(requiredProperties = {"user", "roles"})
public record TokenRequest(@Schema(description = "whom the token acts as", example = "ci") String user,
        @Schema(description = "Porthole roles, e.g. porthole-exec-2 or porthole-metrics") List<String> roles,
        @Schema(description = "for people, at most 200 characters", example = "deploys") String note) {
}
