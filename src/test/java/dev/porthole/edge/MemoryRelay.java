package dev.porthole.edge;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two bounded queues as the grid's, in memory, seen from both ends: {@link #terminalSide} polls output and offers
 * input, {@link #agentSide} the other way. {@link #nodeLeaves} makes both ends fail as when the other node left.
 */
final class MemoryRelay {
    final BlockingQueue<Object> output;
    final BlockingQueue<Object> input;
    final AtomicBoolean gone = new AtomicBoolean();
    final AtomicInteger destroyed = new AtomicInteger();
    final RelayLink terminalSide;
    final RelayLink agentSide;

    MemoryRelay(int bound) {
        output = new LinkedBlockingQueue<>(bound);
        input = new LinkedBlockingQueue<>(bound);
        terminalSide = new End(input, output);
        agentSide = new End(output, input);
    }

    void nodeLeaves() {
        gone.set(true);
    }

    private final class End implements RelayLink {
        private final BlockingQueue<Object> outbound;
        private final BlockingQueue<Object> inbound;

        End(BlockingQueue<Object> outbound, BlockingQueue<Object> inbound) {
            this.outbound = outbound;
            this.inbound = inbound;
        }

        @Override
        public boolean offer(Serializable item, Duration patience) throws Gone {
            requireBoth();
            try {
                return outbound.offer(item, patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new Gone("interrupted");
            }
        }

        @Override
        public Object poll(Duration patience) throws Gone {
            requireBoth();
            try {
                Object item = inbound.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    requireBoth();
                }
                return item;
            } catch (InterruptedException e) {
                throw new Gone("interrupted");
            }
        }

        private void requireBoth() throws Gone {
            if (gone.get()) {
                throw new Gone("node node-b left the cluster");
            }
            if (destroyed.get() > 0) {
                throw new IllegalStateException("used after it was destroyed");
            }
        }

        @Override
        public void destroy() {
            destroyed.incrementAndGet();
        }
    }
}
