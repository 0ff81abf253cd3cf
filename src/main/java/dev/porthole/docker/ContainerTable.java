package dev.porthole.docker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One engine's containers as its event stream tells them: id, name, and whether each runs. Exec create asks it
 * instead of waiting for the engine ({@link ContainerWatch} fills it). It answers only what it knows for certain:
 * before the first list, after the stream broke, for a reference it cannot resolve to exactly one container, and
 * for a container whose state the events leave open, it answers null, and the caller asks the engine.
 *
 * <p>A reference resolves as the engine resolves it: the exact full id, else the exact name (with or without the
 * leading '/'), else the one id that starts with it. An id prefix shared by two containers is null here, not an
 * error: the engine then says what it says.
 */
final class ContainerTable {
    /** What an exec create on the container would meet. */
    enum State {
        RUNNING,
        /** Created, exited or dead: the engine refuses an exec with 409 "is not running". */
        STOPPED,
        /**
         * Paused, restarting, being removed, or just died (a restart policy may be starting it again): the engine
         * has its own answer for each, which the table leaves to it.
         */
        UNSURE
    }

    /** A container the table knows: its full id and state. */
    record Seen(String id, State state) {
    }

    /** A container as the table holds it; name is null once another container took it. */
    private record Entry(String name, State state) {
    }

    /** By full id, sorted so that an id prefix finds its neighbours. */
    private final TreeMap<String, Entry> byId = new TreeMap<>();
    private final Map<String, String> idByName = new HashMap<>();
    private boolean inSync;

    /** Starts over from a list of every container; from now on the table answers. */
    synchronized void load(List<ContainerSummary> containers) {
        byId.clear();
        idByName.clear();
        for (ContainerSummary c : containers) {
            put(c.id(), primaryName(c.names()), listedState(c.state()));
        }
        inSync = true;
    }

    /** The event stream broke or was never there: the table knows nothing until the next {@link #load}. */
    synchronized void lost() {
        inSync = false;
        byId.clear();
        idByName.clear();
    }

    synchronized boolean inSync() {
        return inSync;
    }

    /**
     * Applies one event. Each sets the container's state outright, whatever it was, so an event that the list
     * already reflected changes nothing when applied again after it.
     */
    synchronized void apply(ContainerEvent event) {
        if (!inSync || event.id() == null) {
            return;
        }
        Entry old = byId.get(event.id());
        switch (event.action()) {
            case "destroy" -> remove(event.id());
            case "create", "stop" -> put(event.id(), event.name(), State.STOPPED);
            case "start", "restart", "unpause" -> put(event.id(), event.name(), State.RUNNING);
            case "die", "pause" -> put(event.id(), event.name(), State.UNSURE);
            // A rename changes the name only; a container first heard of here has no known state.
            case "rename" -> put(event.id(), event.name(), old == null ? State.UNSURE : old.state());
            default -> {
                // not an event the table follows
            }
        }
    }

    /** What the table knows of {@code reference}; null when it cannot tell (see the class comment). */
    synchronized Seen lookup(String reference) {
        if (!inSync || reference == null || reference.isEmpty()) {
            return null;
        }
        String id = resolve(reference);
        if (id == null) {
            return null;
        }
        Entry entry = byId.get(id);
        return new Seen(id, entry.state());
    }

    private String resolve(String reference) {
        if (byId.containsKey(reference)) {
            return reference;
        }
        String byName = idByName.get(reference.startsWith("/") ? reference.substring(1) : reference);
        if (byName != null) {
            return byName;
        }
        String first = byId.ceilingKey(reference);
        if (first == null || !first.startsWith(reference)) {
            return null;
        }
        String second = byId.higherKey(first);
        return second != null && second.startsWith(reference) ? null : first;
    }

    private void put(String id, String name, State state) {
        Entry old = byId.get(id);
        String newName = name != null ? name : old == null ? null : old.name();
        if (old != null && old.name() != null && !old.name().equals(newName)) {
            idByName.remove(old.name(), id);
        }
        if (newName != null) {
            String holder = idByName.put(newName, id);
            // Names are unique in the engine: the holder gave it up in an event this one came after.
            if (holder != null && !holder.equals(id)) {
                Entry previous = byId.get(holder);
                if (previous != null) {
                    byId.put(holder, new Entry(null, previous.state()));
                }
            }
        }
        byId.put(id, new Entry(newName, state));
    }

    private void remove(String id) {
        Entry old = byId.remove(id);
        if (old != null && old.name() != null) {
            idByName.remove(old.name(), id);
        }
    }

    /** The container's own name; the list also names it by the links of others ({@code other/alias}). */
    private static String primaryName(List<String> names) {
        return names.stream().filter(n -> !n.contains("/")).findFirst().orElse(null);
    }

    private static State listedState(String state) {
        if (state == null) {
            return State.UNSURE;
        }
        return switch (state) {
            case "running" -> State.RUNNING;
            case "created", "exited", "dead" -> State.STOPPED;
            default -> State.UNSURE; // paused, restarting, removing
        };
    }
}
