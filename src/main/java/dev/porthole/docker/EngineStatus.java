package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Whether an engine answered its ping just now: {@code {"reachable":true}}, or false with the cause. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngineStatus(boolean reachable, String error) {
    static final EngineStatus REACHABLE = new EngineStatus(true, null);

    static EngineStatus unreachable(String error) {
        return new EngineStatus(false, error);
    }
}
