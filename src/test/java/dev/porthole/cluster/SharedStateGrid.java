package dev.porthole.cluster;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Two members of one grid for a test class ({@code @RegisterExtension static}), left at its end. */
final class SharedStateGrid implements BeforeAllCallback, AfterAllCallback {
    private List<Grid> members;

    @Override
    public void beforeAll(ExtensionContext context) {
        members = TestGrids.start(2);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        members.forEach(Grid::close);
    }

    Grid member(int index) {
        return members.get(index);
    }
}
