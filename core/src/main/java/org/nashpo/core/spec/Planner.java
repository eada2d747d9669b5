package org.nashpo.core.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * What a grid of runs costs on N identical GPUs, one run per GPU at a time: the total work, the
 * makespan of construct's order (longest predicted first, each run to the GPU that frees first —
 * LPT list scheduling, within 4/3 of the optimum) and, for comparison, the lower bound and the two
 * ways an array job without a cost model spreads the same runs.
 */
public final class Planner {

    /**
     * The cell {@link #scaleFor} is calibrated on: every edge a 3×3 convolution, the most expensive cell of
     * NAS-HPO-Bench-II's and NAS-Bench-201's spaces (counted in the protocol's network family).
     */
    public static final CellCode REFERENCE_CELL = SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000");
    /** The batch size {@link #scaleFor} is calibrated on. */
    public static final int REFERENCE_BATCH = 256;

    /**
     * @param runs how many runs
     * @param totalSeconds sum of the runs' predicted times (GPU-seconds)
     * @param longestSeconds the longest run
     * @param lowerBound no schedule beats max(total / GPUs, longest run)
     * @param longestFirst construct's makespan: longest first, to the GPU that frees first
     * @param unorderedGreedy an array job taking runs in spec order, each to the GPU that frees first
     * @param unorderedStatic an array job giving GPU i the i-th contiguous share of the runs in spec order
     */
    public record Makespan(int gpus, int runs, double totalSeconds, double longestSeconds, double lowerBound,
            double longestFirst, double unorderedGreedy, double unorderedStatic) {
    }

    private Planner() {
    }

    /**
     * The cost model of a GPU that trains {@code imagesPerSecond} CIFAR images (32×32) per second of
     * {@link #REFERENCE_CELL} at batch {@link #REFERENCE_BATCH} in the protocol's network (what {@code nashpo
     * perf-train --batch-size 256} reports), keeping {@code model}'s step overhead. The rate is of CIFAR's images
     * whatever the protocol's data set, so a network on ImageNet16's 16×16 images costs a quarter of the time per
     * image.
     */
    public static CostModel scaleFor(CostModel model, double imagesPerSecond, TrainingProtocol protocol) {
        if (!(imagesPerSecond > 0) || Double.isInfinite(imagesPerSecond)) {
            throw new IllegalArgumentException("images per second: must be a finite number > 0, was " + imagesPerSecond);
        }
        double perImage = NetworkCost.of(REFERENCE_CELL, protocol.network().withDataset(Dataset.CIFAR10))
                .multiplyAdds() * CostModel.TRAIN_PASSES
                * (1 + model.stepOverheadImages() / REFERENCE_BATCH);
        return new CostModel(1 / (imagesPerSecond * perImage), model.stepOverheadImages());
    }

    /** The makespans of {@code keys} (in spec order) on {@code gpus} GPUs under {@code cost}. */
    public static Makespan makespan(List<RunKey> keys, CostModel cost, TrainingProtocol protocol, int gpus) {
        if (gpus < 1) {
            throw new IllegalArgumentException("GPUs: must be ≥ 1, was " + gpus);
        }
        double[] seconds = keys.stream().mapToDouble(k -> cost.predictedSeconds(k, protocol)).toArray();
        double total = 0;
        double longest = 0;
        for (double s : seconds) {
            total += s;
            longest = Math.max(longest, s);
        }
        List<Double> sorted = new ArrayList<>(seconds.length);
        for (double s : seconds) {
            sorted.add(s);
        }
        sorted.sort(Comparator.reverseOrder());
        double[] longestFirstOrder = sorted.stream().mapToDouble(Double::doubleValue).toArray();
        return new Makespan(gpus, seconds.length, total, longest, Math.max(total / gpus, longest),
                greedy(longestFirstOrder, gpus), greedy(seconds, gpus), contiguous(seconds, gpus));
    }

    /** List scheduling: each run, in order, to the GPU that frees first; the time the last one frees. */
    static double greedy(double[] seconds, int gpus) {
        PriorityQueue<Double> freeAt = new PriorityQueue<>();
        for (int g = 0; g < gpus; g++) {
            freeAt.add(0.0);
        }
        double end = 0;
        for (double s : seconds) {
            double done = freeAt.poll() + s;
            end = Math.max(end, done);
            freeAt.add(done);
        }
        return end;
    }

    /** GPU i trains runs [i·n/gpus, (i+1)·n/gpus) one after another; the longest share. */
    static double contiguous(double[] seconds, int gpus) {
        double worst = 0;
        int n = seconds.length;
        for (int g = 0; g < gpus; g++) {
            double share = 0;
            for (int i = (int) ((long) g * n / gpus); i < (int) ((long) (g + 1) * n / gpus); i++) {
                share += seconds[i];
            }
            worst = Math.max(worst, share);
        }
        return worst;
    }
}
