package dev.porthole.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.IMap;
import dev.porthole.docker.AgentStatus;
import dev.porthole.edge.AgentPlaces;
import dev.porthole.edge.StartedExecFinder;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Where each edge environment's agent is connected, in a grid map from environment id to {@link Place} (the member,
 * its node name, and the one connection), and the calls routed there by the grid's executor. A place is written when
 * the agent says hello and removed when that same connection ends, so that the end of an old connection never
 * removes the place of the agent's newer one on another node; a place on a member that is no longer one counts as
 * none, since the membership is the truth (a node killed removes nothing).
 */
final class GridAgentPlaces implements AgentPlaces {
    static final String MAP = "porthole.agent-places";
    /** The key of this node's {@link Requests} in the grid's user context, where the routed calls find it. */
    static final String HERE = "porthole.agents.here";
    private static final String EXECUTOR = "porthole.agents";

    /** An agent's connection to one member, and what the agent said of itself at its hello. */
    record Place(UUID member, String node, String connection, AgentStatus status) implements Serializable {
        boolean sameConnection(Place other) {
            return other != null && Objects.equals(member, other.member) && connection.equals(other.connection);
        }
    }

    private final HazelcastInstance hazelcast;
    private final IMap<Integer, Place> map;
    private final String node;
    /** How long a routed call may take beyond the agent's own answer: the hops between the nodes. */
    private final Duration hops;

    GridAgentPlaces(HazelcastInstance hazelcast, String node, Duration hops) {
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP);
        this.node = node;
        this.hops = hops;
    }

    /**
     * Written without waiting: the agent's reader thread tells this, and must not block. Both writes of one
     * environment go to the partition of its key from this member, one after the other, and a removal removes only
     * its own connection's place.
     */
    @Override
    public void connected(int environmentId, String connection, AgentStatus status) {
        map.setAsync(environmentId, here(connection, status));
    }

    @Override
    public void disconnected(int environmentId, String connection) {
        map.submitToKey(environmentId, new Gone(here(connection, null)));
    }

    /** Removes the place of one connection, if it is still the environment's. */
    record Gone(Place place) implements EntryProcessor<Integer, Place, Void> {
        @Override
        public Void process(Map.Entry<Integer, Place> entry) {
            if (place.sameConnection(entry.getValue())) {
                entry.setValue(null);
            }
            return null;
        }
    }

    private Place here(String connection, AgentStatus status) {
        return new Place(hazelcast.getCluster().getLocalMember().getUuid(), node, connection, status);
    }

    @Override
    public Optional<String> elsewhere(int environmentId) {
        return placeElsewhere(environmentId).map(found -> found.place().node());
    }

    @Override
    public Optional<AgentStatus> statusElsewhere(int environmentId) {
        return placeElsewhere(environmentId).map(found -> found.place().status());
    }

    /** A place and the live member it names. */
    private record Found(Place place, Member member) {
    }

    /** The environment's place, if it is on a member other than this one that is still a member. */
    private Optional<Found> placeElsewhere(int environmentId) {
        Place place = map.get(environmentId);
        if (place == null || place.member().equals(hazelcast.getCluster().getLocalMember().getUuid())) {
            return Optional.empty();
        }
        return Grid.member(hazelcast, place.member()).map(member -> new Found(place, member));
    }

    /** Waits as long as the agent may take there (the environment's read timeout), and the hops to it and back. */
    @Override
    public Optional<AgentReply> request(int environmentId, AgentRequest request, Duration agentPatience) {
        Optional<Member> member = placeElsewhere(environmentId).map(Found::member);
        if (member.isEmpty()) {
            return Optional.empty();
        }
        String name = Grid.nameOf(member.get());
        Future<AgentReply> reply = hazelcast.getExecutorService(EXECUTOR)
                .submitToMember(new RoutedAgentRequest(environmentId, request), member.get());
        return Optional.of(MemberCalls.await(reply, name, "call the agent of environment " + environmentId
                + " (" + request + ")", agentPatience.plus(hops), new PortholeException(Problem.ENGINE_UNREACHABLE,
                "the Hawser agent of environment " + environmentId + " is offline: node " + name
                        + ", which it was connected to, left")));
    }

    /**
     * Asks the agent's node to start the terminal and to keep its bytes in two queues it owns (see
     * {@link GridRelayLink}); this node reads and writes them from then on.
     */
    @Override
    public Optional<RelayedStart> startElsewhere(int environmentId, ExecStart start, Duration patience) {
        Optional<Member> member = placeElsewhere(environmentId).map(Found::member);
        if (member.isEmpty()) {
            return Optional.empty();
        }
        String name = Grid.nameOf(member.get());
        Future<RelayStarted> reply = hazelcast.getExecutorService(EXECUTOR).submitToMember(
                new RoutedExecStart(environmentId, start, hazelcast.getCluster().getLocalMember().getUuid()),
                member.get());
        RelayStarted started = MemberCalls.await(reply, name, "start a terminal through the agent of environment "
                + environmentId, patience.plus(hops), new PortholeException(Problem.ENGINE_UNREACHABLE,
                "the Hawser agent of environment " + environmentId + " is offline: node " + name
                        + ", which it was connected to, left"));
        return Optional.of(new RelayedStart(GridRelayLink.terminalSide(hazelcast, started.names(), member.get()),
                started.found(), name));
    }

    /** What the agent's node answers to a start: its queues' names, and what the start learnt. */
    record RelayStarted(GridRelayLink.Names names, StartedExecFinder.Found found) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public void serve(Requests requests) {
        hazelcast.getUserContext().put(HERE, requests);
    }

    @Override
    public void onConnectedElsewhere(IntConsumer listener) {
        map.addEntryListener(new ConnectedElsewhere(hazelcast.getCluster().getLocalMember().getUuid(), listener), true);
    }

    /** Tells of the places written by other members. */
    private record ConnectedElsewhere(UUID local, IntConsumer listener) implements EntryAddedListener<Integer, Place>,
            EntryUpdatedListener<Integer, Place> {
        @Override
        public void entryAdded(EntryEvent<Integer, Place> event) {
            told(event);
        }

        @Override
        public void entryUpdated(EntryEvent<Integer, Place> event) {
            told(event);
        }

        private void told(EntryEvent<Integer, Place> event) {
            if (event.getValue() != null && !local.equals(event.getValue().member())) {
                listener.accept(event.getKey());
            }
        }
    }

    /** What makes the calls routed to this member through its agents. */
    private static Requests servedHere(HazelcastInstance hazelcast, int environmentId) {
        if (!(hazelcast.getUserContext().get(HERE) instanceof Requests requests)) {
            throw new PortholeException(Problem.ENGINE_UNREACHABLE, "the Hawser agent of environment "
                    + environmentId + " is offline: its node is not serving agents");
        }
        return requests;
    }

    /**
     * A terminal started through the agent connected to the member that runs this, for the member {@code asker}, which
     * runs the terminal. Its queues are made on this member's partitions; if the start fails, they go with it.
     */
    static final class RoutedExecStart implements Callable<RelayStarted>, Serializable, HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;

        private final int environmentId;
        private final ExecStart start;
        private final UUID asker;
        private transient HazelcastInstance hazelcast;

        RoutedExecStart(int environmentId, ExecStart start, UUID asker) {
            this.environmentId = environmentId;
            this.start = start;
            this.asker = asker;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcast) {
            this.hazelcast = hazelcast;
        }

        @Override
        public RelayStarted call() {
            Requests requests = servedHere(hazelcast, environmentId);
            Member member = Grid.member(hazelcast, asker).orElseThrow(() -> new PortholeException(
                    Problem.ENGINE_UNREACHABLE, "the node that asked for the terminal left"));
            GridRelayLink.Names names = GridRelayLink.ownedHere(hazelcast, start.execId());
            GridRelayLink link = GridRelayLink.agentSide(hazelcast, names, member);
            try {
                return new RelayStarted(names, requests.start(environmentId, start, link));
            } catch (RuntimeException e) {
                link.destroy();
                throw e;
            }
        }
    }

    /** A call through the agent connected to the member that runs it. */
    static final class RoutedAgentRequest implements Callable<AgentReply>, Serializable, HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;

        private final int environmentId;
        private final AgentRequest request;
        private transient HazelcastInstance hazelcast;

        RoutedAgentRequest(int environmentId, AgentRequest request) {
            this.environmentId = environmentId;
            this.request = request;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcast) {
            this.hazelcast = hazelcast;
        }

        @Override
        public AgentReply call() {
            Requests requests = servedHere(hazelcast, environmentId);
            return requests.request(environmentId, request);
        }
    }
}
