package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.porthole.docker.ContainerTable.Seen;
import dev.porthole.docker.ContainerTable.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table resolves references as the engine does, follows events, and answers nothing when it cannot be sure. */
class ContainerTableTest {
    private static final String WEB = "abc123" + "0".repeat(58);
    private static final String DB = "abd456" + "1".repeat(58);
    private static final String OLD = "f00" + "2".repeat(61);

    private static ContainerSummary listed(String id, String state, String... names) {
        return new ContainerSummary(id, List.of(names), "image", state, "");
    }

    private static ContainerTable loaded() {
        ContainerTable table = new ContainerTable();
        table.load(List.of(listed(WEB, "running", "web", "db/web-link"), listed(DB, "running", "db"),
                listed(OLD, "exited", "old")));
        return table;
    }

    @Test
    void answersNothingUntilLoadedAndAfterTheStreamBroke() {
        ContainerTable table = new ContainerTable();
        assertNull(table.lookup("web"));
        table.load(List.of(listed(WEB, "running", "web")));
        assertEquals(new Seen(WEB, State.RUNNING), table.lookup("web"));
        table.lost();
        assertNull(table.lookup("web"));
        table.apply(new ContainerEvent("start", DB, "db")); // an event while lost does not bring it back
        assertNull(table.lookup("db"));
    }

    @Test
    void resolvesLikeTheEngineFullIdThenNameThenUniquePrefix() {
        ContainerTable table = loaded();
        assertEquals(WEB, table.lookup(WEB).id());
        assertEquals(WEB, table.lookup("web").id());
        assertEquals(WEB, table.lookup("/web").id());
        assertEquals(WEB, table.lookup("abc").id());
        assertEquals(DB, table.lookup("abd4").id());
        assertNull(table.lookup("ab"), "a prefix of two ids is the engine's to refuse");
        assertNull(table.lookup("nothing"));
        assertNull(table.lookup("web-link"), "a link's alias is not a name of the container");
        assertNull(table.lookup("db/web-link"));
        assertEquals(new Seen(OLD, State.STOPPED), table.lookup("old"));
    }

    @Test
    void aNameWinsOverAnIdPrefix() {
        ContainerTable table = new ContainerTable();
        table.load(List.of(listed(WEB, "running", "web"), listed(DB, "exited", "abc")));
        assertEquals(DB, table.lookup("abc").id());
        assertEquals(WEB, table.lookup("abc1").id());
    }

    @Test
    void listedStatesTheTableCannotAnswerForAreUnsure() {
        ContainerTable table = new ContainerTable();
        table.load(List.of(listed(WEB, "paused", "p"), listed(DB, "restarting", "r"), listed(OLD, "created", "c")));
        assertEquals(State.UNSURE, table.lookup("p").state());
        assertEquals(State.UNSURE, table.lookup("r").state());
        assertEquals(State.STOPPED, table.lookup("c").state());
    }

    @Test
    void eventsSetTheState() {
        ContainerTable table = loaded();
        table.apply(new ContainerEvent("stop", WEB, "web"));
        assertEquals(State.STOPPED, table.lookup("web").state());
        table.apply(new ContainerEvent("start", WEB, "web"));
        assertEquals(State.RUNNING, table.lookup("web").state());
        // A death may be followed by a restart (restart policy): the engine knows, the table does not.
        table.apply(new ContainerEvent("die", WEB, "web"));
        assertEquals(State.UNSURE, table.lookup("web").state());
        table.apply(new ContainerEvent("start", WEB, "web"));
        table.apply(new ContainerEvent("pause", WEB, "web"));
        assertEquals(State.UNSURE, table.lookup("web").state());
        table.apply(new ContainerEvent("unpause", WEB, "web"));
        assertEquals(State.RUNNING, table.lookup("web").state());
        table.apply(new ContainerEvent("exec_create: sh", WEB, "web")); // not followed: changes nothing
        assertEquals(State.RUNNING, table.lookup("web").state());
    }

    @Test
    void aNewContainerIsKnownFromItsCreateAndRunsFromItsStart() {
        ContainerTable table = loaded();
        String fresh = "9".repeat(64);
        table.apply(new ContainerEvent("create", fresh, "fresh"));
        assertEquals(new Seen(fresh, State.STOPPED), table.lookup("fresh"));
        table.apply(new ContainerEvent("start", fresh, "fresh"));
        assertEquals(new Seen(fresh, State.RUNNING), table.lookup("99"));
    }

    @Test
    void aRenameMovesTheNameAndKeepsTheState() {
        ContainerTable table = loaded();
        table.apply(new ContainerEvent("rename", WEB, "front"));
        assertEquals(new Seen(WEB, State.RUNNING), table.lookup("front"));
        assertNull(table.lookup("web"));
        assertEquals(WEB, table.lookup("abc").id());
    }

    @Test
    void aDestroyedContainerIsForgottenAndItsNameMayBeTakenAgain() {
        ContainerTable table = loaded();
        table.apply(new ContainerEvent("destroy", DB, "db"));
        assertNull(table.lookup("db"));
        assertNull(table.lookup(DB));
        assertEquals(WEB, table.lookup("ab").id(), "the prefix is no longer shared");
        String again = "d".repeat(64);
        table.apply(new ContainerEvent("create", again, "db"));
        table.apply(new ContainerEvent("start", again, "db"));
        assertEquals(new Seen(again, State.RUNNING), table.lookup("db"));
    }

    @Test
    void eventsThatTheListAlreadyShowedChangeNothingWhenAppliedAgain() {
        // The watch applies every event since it read the clock, also those that came before the list.
        ContainerTable table = new ContainerTable();
        String gone = "e".repeat(64);
        table.load(List.of(listed(WEB, "running", "web"), listed(DB, "running", "old-name")));
        table.apply(new ContainerEvent("create", gone, "web")); // before the list: it had the name then
        table.apply(new ContainerEvent("destroy", gone, "web"));
        table.apply(new ContainerEvent("create", WEB, "web"));
        table.apply(new ContainerEvent("start", WEB, "web"));
        table.apply(new ContainerEvent("rename", DB, "old-name"));
        assertEquals(new Seen(WEB, State.RUNNING), table.lookup("web"));
        assertEquals(new Seen(DB, State.RUNNING), table.lookup("old-name"));
        assertNull(table.lookup(gone));
    }

    @Test
    void aNameTakenByAnotherContainerLeavesTheFormerHolderNameless() {
        ContainerTable table = loaded();
        String other = "7".repeat(64);
        table.apply(new ContainerEvent("create", other, "web"));
        assertEquals(other, table.lookup("web").id());
        table.apply(new ContainerEvent("rename", WEB, "web2"));
        assertEquals(WEB, table.lookup("web2").id());
        assertEquals(other, table.lookup("web").id());
    }
}
