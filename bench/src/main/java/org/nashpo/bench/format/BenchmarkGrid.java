package org.nashpo.bench.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;

/**
 * What a benchmark is built on: its cell space and network family, its schedules and the part of the
 * protocol's grid it holds. {@link #PUBLISHED} is NAS-HPO-Bench-II's; {@link BenchmarkWriter} writes
 * format 1 for it, format 2 for any other.
 *
 * @param space the cells' operations, in the cellcodes' digit order
 * @param family the network the cells are trained in
 * @param shortEpochs S, the runs table's schedule: 1..127
 * @param longEpochs L, the predictions' schedule: 0 (none) or more than S
 * @param learningRates distinct, from {@link HpGrid#LEARNING_RATES}; kept sorted
 * @param batchSizes distinct, from {@link HpGrid#BATCH_SIZES}; kept sorted
 * @param seeds distinct, from {@link HpGrid#SEEDS}; kept sorted
 */
public record BenchmarkGrid(SearchSpace space, NetworkFamily family, int shortEpochs, int longEpochs,
        List<Double> learningRates, List<Integer> batchSizes, List<Integer> seeds) {

    /** NAS-HPO-Bench-II's: its space and network, 12 and 200 epochs, 8 learning rates × 6 batch sizes × 3 seeds. */
    public static final BenchmarkGrid PUBLISHED = full(SearchSpace.NAS_HPO_BENCH_2, NetworkFamily.NAS_HPO_BENCH_2);

    public BenchmarkGrid {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(family, "family");
        List<String> problems = new ArrayList<>();
        if (shortEpochs < 1 || shortEpochs > Byte.MAX_VALUE) {
            problems.add("shortEpochs: must be in 1.." + Byte.MAX_VALUE + ", was " + shortEpochs);
        }
        if (longEpochs != 0 && longEpochs <= shortEpochs) {
            problems.add("longEpochs: must be 0 (none) or more than shortEpochs (" + shortEpochs + "), was "
                    + longEpochs);
        }
        learningRates = subset("learningRates", learningRates, HpGrid.LEARNING_RATES, problems);
        batchSizes = subset("batchSizes", batchSizes, HpGrid.BATCH_SIZES, problems);
        seeds = subset("seeds", seeds, HpGrid.SEEDS, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("benchmark grid: " + String.join("; ", problems));
        }
    }

    /** The published shape (12 and 200 epochs, the whole grid) in another space and network family. */
    public static BenchmarkGrid full(SearchSpace space, NetworkFamily family) {
        return new BenchmarkGrid(space, family, BenchmarkLayout.SHORT_EPOCHS, BenchmarkLayout.LONG_EPOCHS,
                HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES, HpGrid.SEEDS);
    }

    /** Learning rates × batch sizes. */
    public int hps() {
        return learningRates.size() * batchSizes.size();
    }

    private static <T extends Comparable<T>> List<T> subset(String field, List<T> values, List<T> grid,
            List<String> problems) {
        Objects.requireNonNull(values, field);
        if (values.isEmpty()) {
            problems.add(field + ": is empty; expected some of " + grid);
        }
        for (T v : values) {
            if (!grid.contains(v)) {
                problems.add(field + ": holds " + v + ", which is not in the protocol's grid " + grid);
            }
        }
        if (values.stream().distinct().count() != values.size()) {
            problems.add(field + ": holds a value twice: " + values);
        }
        return values.stream().sorted().toList();
    }
}
