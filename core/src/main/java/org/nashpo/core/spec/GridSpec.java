package org.nashpo.core.spec;

import java.util.List;
import org.nashpo.core.grid.HpGrid;

/**
 * The training hyperparameters every selected cell is trained with: each learning rate × each batch
 * size × each seed. Any positive values are allowed, so a spec may extend the benchmark's grid. Kept
 * sorted: the order in the file means nothing (and so does not change the spec's hash).
 *
 * @param lrs learning rates, each a finite number &gt; 0, distinct
 * @param batchSizes batch sizes, each ≥ 1, distinct
 * @param seeds seeds, distinct
 */
public record GridSpec(List<Double> lrs, List<Integer> batchSizes, List<Integer> seeds) {

    /** The benchmark's grid: 8 learning rates × 6 batch sizes × 3 seeds. */
    public static final GridSpec BENCHMARK = new GridSpec(HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES, HpGrid.SEEDS);

    public GridSpec {
        lrs = distinct("grid.lrs", lrs);
        batchSizes = distinct("grid.batchSizes", batchSizes);
        seeds = distinct("grid.seeds", seeds);
        for (int i = 0; i < lrs.size(); i++) {
            Rules.require("grid.lrs[" + i + "]", Rules.positiveFinite(lrs.get(i)));
        }
        for (int i = 0; i < batchSizes.size(); i++) {
            Rules.require("grid.batchSizes[" + i + "]", Rules.atLeast(1, batchSizes.get(i)));
        }
        lrs = sorted(lrs);
        batchSizes = sorted(batchSizes);
        seeds = sorted(seeds);
    }

    /** Learning rates × batch sizes × seeds: the runs of one cell class on one schedule. */
    public int runsPerCell() {
        return lrs.size() * batchSizes.size() * seeds.size();
    }

    private static <T> List<T> distinct(String path, List<T> values) {
        List<T> copy = List.copyOf(values);
        Rules.require(path, Rules.notEmpty(copy));
        Rules.requireDistinct(path, copy);
        return copy;
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> values) {
        return values.stream().sorted().toList();
    }
}
