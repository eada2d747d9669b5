package org.nashpo.bench.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.bench.format.BenchmarkFiles;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;

/**
 * {@code nashpo perf-query --bench DIR [--verify] [--json]}: opens a benchmark and measures what
 * users feel: the time to open it, the heap it keeps, and single-thread queries per second (random
 * configurations, each query an accuracy and a cost, as an optimizer asks them).
 */
public final class PerfQuery {

    /** How long the measured query loop runs at least, after a warm-up of {@link #WARM_UP_SECONDS}. */
    public static final double MEASURE_SECONDS = 1.0;
    public static final double WARM_UP_SECONDS = 0.3;
    /** The loops run whole passes over this many random configurations. */
    public static final int INDICES = 1 << 20;

    private PerfQuery() {
    }

    /**
     * The measurements.
     *
     * @param directory the benchmark
     * @param protocolId its protocol id
     * @param source aggregate or synthetic
     * @param space its cell space's operations in digit order and its network family
     * @param shortEpochs S, its short schedule
     * @param runs rows of its S-epoch table
     * @param openSeconds wall time of {@link Benchmark#open}
     * @param heapBytes heap retained by the opened benchmark (used heap after a GC, minus before)
     * @param footprintBytes bytes of the arrays holding it
     * @param queriesPerSecond single-thread accuracy-and-cost queries per second
     * @param checksumProblems with verification, one line per file whose checksum differs; else empty
     * @param checksumsVerified whether checksums were verified
     */
    public record Result(String directory, String protocolId, String source, String space, int shortEpochs, long runs,
            double openSeconds, long heapBytes, long footprintBytes, double queriesPerSecond, boolean checksumsVerified,
            List<String> checksumProblems) {

        public Result {
            Objects.requireNonNull(directory, "directory");
            checksumProblems = List.copyOf(checksumProblems);
        }

        public List<String> text() {
            List<String> lines = new ArrayList<>(List.of(
                    String.format("benchmark        %s", directory),
                    String.format("protocol         %s (%s)", protocolId, source),
                    String.format("space            %s", space),
                    String.format("%-16s %,d", "runs (" + shortEpochs + " epochs)", runs),
                    String.format("open             %.3f s", openSeconds),
                    String.format("heap retained    %,.1f MB (arrays %,.1f MB)", heapBytes / 1e6, footprintBytes / 1e6),
                    String.format("queries          %,.0f per second on one thread", queriesPerSecond)));
            if (checksumsVerified) {
                lines.add(checksumProblems.isEmpty() ? "checksums        all files match the manifest"
                        : "checksums        " + String.join("; ", checksumProblems));
            }
            return lines;
        }
    }

    public static Result run(Path directory, boolean verifyChecksums) {
        long before = usedHeapAfterGc();
        long start = System.nanoTime();
        Benchmark bench = Benchmark.open(directory);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        long heap = usedHeapAfterGc() - before;
        double qps = queriesPerSecond(bench);
        List<String> problems = verifyChecksums ? BenchmarkFiles.verifyChecksums(directory, bench.manifest()) : List.of();
        return new Result(directory.toString(), bench.manifest().getProtocolId(), bench.manifest().getSource(),
                bench.describeSpace(), bench.shortEpochs(), bench.manifest().getCounts().getRuns(), openSeconds, heap,
                bench.footprintBytes(), qps, verifyChecksums, problems);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Queries per second over random configurations; the checksum of answers keeps the JIT honest. */
    static double queriesPerSecond(Benchmark bench) {
        // a partial benchmark answers the configurations it holds: draw among those of its first seed
        int seed = bench.manifest().getSeeds().get(0);
        int[] held = new int[bench.configurationCount()];
        int[] count = new int[1];
        bench.scan(Mode.VALID, bench.shortEpochs(), seed, (index, accuracy, cost) -> held[count[0]++] = index);
        if (count[0] == 0) {
            throw new IllegalArgumentException("benchmark " + bench.directory() + " holds no run with seed " + seed
                    + " to query");
        }
        int[] indices = new int[INDICES];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < INDICES; i++) {
            indices[i] = held[rng.nextInt(count[0])];
        }
        loop(bench, indices, seed, WARM_UP_SECONDS);
        return loop(bench, indices, seed, MEASURE_SECONDS);
    }

    private static double loop(Benchmark bench, int[] indices, int seed, double seconds) {
        int iepoch = bench.shortEpochs();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long queries = 0;
        double sink = 0;
        long now;
        do {
            for (int i = 0; i < INDICES; i++) {
                int index = indices[i];
                sink += bench.accuracy(index, Mode.VALID, iepoch, seed) + bench.cost(index, Mode.VALID, iepoch, seed);
            }
            queries += INDICES;
            now = System.nanoTime();
        } while (now < deadline);
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("benchmark answered NaN");
        }
        return queries / ((now - start) / 1e9);
    }
}
