package org.nashpo.worker.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where an engine's passes spend their time, by kind of layer and direction: each layer's forward and
 * backward timed on its own while the profile is attached ({@link CellEngine#profile}), the update as one
 * more kind. On the CPU every op runs synchronously, so a layer's time is its ops' time.
 */
public final class StepProfile {

    /** The kinds a step's time is split into, in the order a report lists them. */
    public enum Kind {
        CONVOLUTION("convolution"), BATCH_NORM("BatchNorm"), RELU("ReLU"), POOLING("pooling"), ADD("sums"),
        HEAD("head (pool, dense, softmax, loss)"), UPDATE("update (SGD)");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Kind of(Graph.Kernel kernel) {
            return switch (kernel) {
                case CONV -> CONVOLUTION;
                case BATCH_NORM -> BATCH_NORM;
                case RELU -> RELU;
                case AVG_POOL -> POOLING;
                case SUM -> ADD;
                case HEAD -> HEAD;
            };
        }
    }

    /** A direction of a pass. */
    public enum Phase { FORWARD, BACKWARD }

    private final Map<Kind, long[]> nanos = new EnumMap<>(Kind.class);
    private final Map<Kind, long[]> calls = new EnumMap<>(Kind.class);

    public StepProfile() {
        for (Kind k : Kind.values()) {
            nanos.put(k, new long[Phase.values().length]);
            calls.put(k, new long[Phase.values().length]);
        }
    }

    void add(Kind kind, Phase phase, long elapsedNanos) {
        nanos.get(kind)[phase.ordinal()] += elapsedNanos;
        calls.get(kind)[phase.ordinal()]++;
    }

    /** Seconds spent in {@code kind}'s {@code phase} so far. */
    public double seconds(Kind kind, Phase phase) {
        return nanos.get(kind)[phase.ordinal()] / 1e9;
    }

    /** Layers of {@code kind} run in {@code phase} so far. */
    public long calls(Kind kind, Phase phase) {
        return calls.get(kind)[phase.ordinal()];
    }

    public void reset() {
        nanos.values().forEach(a -> java.util.Arrays.fill(a, 0));
        calls.values().forEach(a -> java.util.Arrays.fill(a, 0));
    }
}
