package org.nashpo.bench.experiment;

import java.util.List;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.bench.BenchmarkLayout;
import org.nashpo.core.grid.HpGrid;

/**
 * The optimum regret is measured against: the best 12-epoch test accuracy in the benchmark for each
 * training seed (a run reading seed s is compared with the best test accuracy at seed s), and the
 * best 200-epoch predicted accuracy.
 *
 * @param bestTest12 per seed of {@link HpGrid#SEEDS}, in that order
 * @param bestTest200 the best 200-epoch accuracy of all configurations
 */
public record Reference(List<Double> bestTest12, double bestTest200) {

    public Reference {
        bestTest12 = List.copyOf(bestTest12);
        if (bestTest12.size() != HpGrid.SEEDS.size()) {
            throw new IllegalArgumentException("bestTest12: needs one value per seed " + HpGrid.SEEDS + ", was "
                    + bestTest12);
        }
    }

    /** Scans the benchmark's whole tables. */
    public static Reference of(Benchmark bench) {
        Double[] best = new Double[HpGrid.SEEDS.size()];
        for (int s = 0; s < best.length; s++) {
            double[] max = {Double.NEGATIVE_INFINITY};
            bench.scan(Mode.TEST, BenchmarkLayout.SHORT_EPOCHS, HpGrid.SEEDS.get(s),
                    (index, accuracy, cost) -> max[0] = Math.max(max[0], accuracy));
            best[s] = max[0];
        }
        double[] max200 = {Double.NEGATIVE_INFINITY};
        bench.scanLong((index, accuracy, cost) -> max200[0] = Math.max(max200[0], accuracy));
        return new Reference(List.of(best), max200[0]);
    }

    /** The best 12-epoch test accuracy at a training seed. */
    public double bestTest12(int seed) {
        return bestTest12.get(HpGrid.SEEDS.indexOf(HpGrid.requireSeed(seed)));
    }
}
