package dev.porthole.cluster;

import com.hazelcast.map.IMap;
import dev.porthole.security.FailureTable;
import dev.porthole.security.SignInFailures;
import java.util.function.UnaryOperator;

/**
 * Failed sign-ins in a grid map, which every node counts into. An update reads the key, computes, and writes only
 * if the key still holds what was read (compare-and-set on the key's partition owner), else reads again: two nodes
 * counting one name at once both count. The map forgets a key its time-to-live after the last change.
 */
final class GridFailures implements FailureTable {
    private final IMap<String, SignInFailures> map;

    GridFailures(IMap<String, SignInFailures> map) {
        this.map = map;
    }

    @Override
    public SignInFailures update(String key, UnaryOperator<SignInFailures> update) {
        while (true) {
            SignInFailures old = map.get(key);
            SignInFailures next = update.apply(old);
            boolean written;
            if (old == null) {
                written = next == null || map.putIfAbsent(key, next) == null;
            } else if (next == null) {
                written = map.remove(key, old);
            } else {
                written = next.equals(old) || map.replace(key, old, next);
            }
            if (written) {
                return next;
            }
        }
    }

    @Override
    public SignInFailures get(String key) {
        return map.get(key);
    }
}
