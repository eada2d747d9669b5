package org.nashpo.core.grid;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The benchmark's training hyperparameters (PROTOCOL.md §1, §3): 8 learning rates × 6 batch sizes,
 * each trained with 3 seeds.
 */
public final class HpGrid {

    public static final List<Double> LEARNING_RATES =
            List.of(0.003125, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.2, 0.4);
    public static final List<Integer> BATCH_SIZES = List.of(16, 32, 64, 128, 256, 512);
    public static final List<Integer> SEEDS = List.of(222, 555, 888);
    /** Learning rates × batch sizes. */
    public static final int HP_COUNT = LEARNING_RATES.size() * BATCH_SIZES.size();

    private HpGrid() {
    }

    /** Position of a learning rate in {@link #LEARNING_RATES}; an error naming the value otherwise. */
    public static int lrIndex(double lr) {
        int i = LEARNING_RATES.indexOf(lr);
        if (i < 0) {
            throw new IllegalArgumentException("learning rate " + lr + " is not in the benchmark's grid; expected one of "
                    + join(LEARNING_RATES));
        }
        return i;
    }

    /** Position of a batch size in {@link #BATCH_SIZES}; an error naming the value otherwise. */
    public static int batchIndex(int batchSize) {
        int i = BATCH_SIZES.indexOf(batchSize);
        if (i < 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not in the benchmark's grid; expected one of "
                    + join(BATCH_SIZES));
        }
        return i;
    }

    /** Checks that a seed is one the benchmark trained; an error naming the value otherwise. */
    public static int requireSeed(int seed) {
        if (!SEEDS.contains(seed)) {
            throw new IllegalArgumentException("seed " + seed + " is not one of the benchmark's seeds; expected one of "
                    + join(SEEDS));
        }
        return seed;
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
