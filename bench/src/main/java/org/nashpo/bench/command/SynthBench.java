package org.nashpo.bench.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * {@code nashpo synth-bench --out DIR [--seed S] [--spec SPEC]}: writes a synthetic benchmark, by default
 * NAS-HPO-Bench-II's full size, or the space, network, grid and schedules of a spec.
 */
public final class SynthBench {

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42;

    private SynthBench() {
    }

    /**
     * What was written.
     *
     * @param directory the benchmark directory
     * @param seed the seed every value derives from
     * @param space the cell space's operations in digit order and the network family
     * @param shortEpochs S, the runs table's schedule
     * @param longEpochs L, the predictions' schedule (0: none)
     * @param runs rows of the S-epoch table
     * @param divergedRuns of those, runs that diverged
     * @param predictions rows of the L-epoch table
     * @param bytes size of the data files
     * @param seconds wall time of writing
     */
    public record Result(String directory, long seed, String space, int shortEpochs, int longEpochs, long runs,
            long divergedRuns, long predictions, long bytes, double seconds) {

        public Result {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(space, "space");
        }

        public List<String> text() {
            return List.of(
                    String.format("benchmark        %s", directory),
                    String.format("seed             %d", seed),
                    String.format("space            %s", space),
                    String.format("%-16s %,d (%,d diverged)", "runs (" + shortEpochs + " epochs)", runs, divergedRuns),
                    longEpochs > 0 ? String.format("predictions      %,d (%d epochs)", predictions, longEpochs)
                            : "predictions      none (no long schedule)",
                    String.format("size             %,.1f MB", bytes / 1e6),
                    String.format("written in       %.1f s", seconds));
        }
    }

    /** Writes NAS-HPO-Bench-II's full-size synthetic benchmark to {@code out}, which must be absent or empty. */
    public static Result run(Path out, long seed) {
        return run(out, seed, SyntheticBenchmark.Design.published());
    }

    /**
     * Writes the synthetic benchmark a spec describes ({@link SyntheticBenchmark.Design#of}: its space,
     * network, grid and schedules) to {@code out}, which must be absent or empty.
     */
    public static Result run(Path out, long seed, BenchmarkSpec spec) {
        return run(out, seed, SyntheticBenchmark.Design.of(spec));
    }

    /** Writes the synthetic benchmark of a design to {@code out}, which must be absent or empty. */
    public static Result run(Path out, long seed, SyntheticBenchmark.Design design) {
        long start = System.nanoTime();
        BenchmarkManifest m = SyntheticBenchmark.write(out, seed, design);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = m.getFiles().stream().mapToLong(BenchmarkFile::getBytes).sum();
        String space = Benchmark.describe(Manifests.searchSpace(m), Manifests.family(m));
        return new Result(out.toString(), seed, space, m.getShortEpochs(), m.getLongEpochs(), m.getCounts().getRuns(),
                m.getCounts().getDivergedRuns(), m.getCounts().getPredictions(), bytes, seconds);
    }
}
