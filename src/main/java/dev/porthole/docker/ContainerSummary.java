package dev.porthole.docker;

import com.github.dockerjava.api.model.Container;
import java.util.Arrays;
import java.util.List;

/**
 * One container as {@code GET /api/containers} lists it. Names lose the engine's leading slash; {@code state} is
 * the engine's word ({@code running}, {@code exited}, {@code paused}, ...), {@code status} its sentence for people.
 */
public record ContainerSummary(String id, List<String> names, String image, String state, String status) {

    static ContainerSummary of(Container c) {
        List<String> names = c.getNames() == null ? List.of()
                : Arrays.stream(c.getNames()).map(n -> n.startsWith("/") ? n.substring(1) : n).toList();
        return new ContainerSummary(c.getId(), names, c.getImage(), c.getState(), c.getStatus());
    }
}
