package org.nashpo.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/**
 * The space optimizers search on a benchmark, and the training seeds runs read. A full benchmark is
 * the joint space of its cell space ({@link Benchmark#space()}: K operations); a benchmark built on
 * part of it (a spec's {@code {operations: [...]}} cells, fewer learning rates or batch sizes) is
 * searched as the largest product sub-space it holds completely: its learning rates and batch sizes,
 * and the largest subset of the K operations such that every cellcode made of them has results at
 * every seed. A benchmark that holds no such space of at least two configurations is refused, naming
 * what it lacks.
 *
 * @param space the configurations optimizers may propose
 * @param seeds the training seeds the benchmark holds; run r reads {@code seeds[r mod n]}
 */
public record BenchmarkSpace(Domain space, List<Integer> seeds) {

    public BenchmarkSpace {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: a benchmark space needs at least one seed");
        }
    }

    /** The space of {@code bench}, as described above. */
    public static BenchmarkSpace of(Benchmark bench) {
        List<Integer> seeds = List.copyOf(bench.manifest().getSeeds());
        int[] lrs = bench.manifest().getLearningRates().stream()
                .mapToInt(lr -> HpGrid.LEARNING_RATES.indexOf(lr)).sorted().toArray();
        int[] batches = bench.manifest().getBatchSizes().stream()
                .mapToInt(b -> HpGrid.BATCH_SIZES.indexOf(b)).sorted().toArray();
        if (seeds.isEmpty() || lrs.length == 0 || batches.length == 0 || lrs[0] < 0 || batches[0] < 0) {
            throw new IllegalArgumentException("benchmark " + bench.directory() + ": its grid (learning rates "
                    + bench.manifest().getLearningRates() + ", batch sizes " + bench.manifest().getBatchSizes()
                    + ", seeds " + seeds + ") is not part of the benchmark's grid " + HpGrid.LEARNING_RATES + " × "
                    + HpGrid.BATCH_SIZES);
        }
        SearchSpace cells = bench.space();
        int operations = cells.operationCount();
        Domain best = null;
        // operation subsets, largest first; among equals, the one with the lowest digits
        for (int size = operations; size >= 1 && best == null; size--) {
            for (int mask = 0; mask < 1 << operations && best == null; mask++) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                Domain candidate = Domain.of(cells, values(operations, mask, lrs, batches));
                if (candidate.count() >= 2 && holdsAll(bench, candidate, seeds)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("benchmark " + bench.directory() + " holds no product space to search: "
                    + "for no set of the operations " + cells + " does it have every cellcode made of them at every "
                    + "learning rate " + bench.manifest().getLearningRates() + ", batch size "
                    + bench.manifest().getBatchSizes()
                    + " and seed " + seeds + " (build one with a spec's cells: {operations: [...]} or all)");
        }
        return new BenchmarkSpace(best, seeds);
    }

    private static int[][] values(int operations, int mask, int[] lrs, int[] batches) {
        List<Integer> ops = new ArrayList<>();
        for (int op = 0; op < operations; op++) {
            if ((mask & (1 << op)) != 0) {
                ops.add(op);
            }
        }
        int[] edge = ops.stream().mapToInt(Integer::intValue).toArray();
        int[][] values = new int[CellCode.EDGES + 2][];
        for (int e = 0; e < CellCode.EDGES; e++) {
            values[e] = edge;
        }
        values[CellCode.EDGES] = lrs;
        values[CellCode.EDGES + 1] = batches;
        return values;
    }

    private static boolean holdsAll(Benchmark bench, Domain space, List<Integer> seeds) {
        for (int index : space.configurations()) {
            for (int seed : seeds) {
                if (!bench.has(index, seed)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The operations the space's cells are made of, in digit order. */
    public List<Op> operations() {
        return space.operations(0);
    }

    /** The seed run {@code run} reads. */
    public int seedOfRun(int run) {
        return seeds.get(run % seeds.size());
    }
}
