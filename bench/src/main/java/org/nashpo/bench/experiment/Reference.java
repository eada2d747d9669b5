package org.nashpo.bench.experiment;

import java.util.List;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;

/**
 * The optimum regret is measured against, within the space searched: the best short-schedule
 * (12-epoch) test accuracy for each training seed (a run reading seed s is compared with the best
 * test accuracy at seed s), and the best long-schedule (200-epoch) predicted accuracy, NaN when the
 * benchmark has no predictions for the space.
 *
 * @param seeds the training seeds, in the order of {@code bestTest12}
 * @param bestTest12 per seed
 * @param bestTest200 the best long-schedule accuracy of the space's configurations
 */
public record Reference(List<Integer> seeds, List<Double> bestTest12, double bestTest200) {

    public Reference {
        seeds = List.copyOf(seeds);
        bestTest12 = List.copyOf(bestTest12);
        if (bestTest12.size() != seeds.size()) {
            throw new IllegalArgumentException("bestTest12: needs one value per seed " + seeds + ", was " + bestTest12);
        }
    }

    /** Scans the space's configurations in the benchmark. */
    public static Reference of(Benchmark bench, BenchmarkSpace space) {
        int[] configurations = space.space().configurations();
        Double[] best = new Double[space.seeds().size()];
        for (int s = 0; s < best.length; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int index : configurations) {
                max = Math.max(max, bench.accuracy(index, Mode.TEST, bench.shortEpochs(), space.seeds().get(s)));
            }
            best[s] = max;
        }
        double max200 = Double.NaN;
        for (int index : configurations) {
            if (bench.hasLongAccuracy(index)) {
                double a = bench.longAccuracy(index);
                max200 = Double.isNaN(max200) ? a : Math.max(max200, a);
            }
        }
        return new Reference(space.seeds(), List.of(best), max200);
    }

    /** The best short-schedule test accuracy at a training seed. */
    public double bestTest12(int seed) {
        int s = seeds.indexOf(seed);
        if (s < 0) {
            throw new IllegalArgumentException("seed " + seed + " is not one of the benchmark's " + seeds);
        }
        return bestTest12.get(s);
    }
}
