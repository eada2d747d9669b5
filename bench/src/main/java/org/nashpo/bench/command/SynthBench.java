package org.nashpo.bench.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/** {@code nashpo synth-bench --out DIR [--seed S]}: writes the full-size synthetic benchmark. */
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
     * @param runs rows of the 12-epoch table
     * @param divergedRuns of those, runs that diverged
     * @param predictions rows of the 200-epoch table
     * @param bytes size of the data files
     * @param seconds wall time of writing
     */
    public record Result(String directory, long seed, long runs, long divergedRuns, long predictions, long bytes,
            double seconds) {

        public Result {
            Objects.requireNonNull(directory, "directory");
        }

        public List<String> text() {
            return List.of(
                    String.format("benchmark        %s", directory),
                    String.format("seed             %d", seed),
                    String.format("runs (12 epochs) %,d (%,d diverged)", runs, divergedRuns),
                    String.format("predictions      %,d (200 epochs)", predictions),
                    String.format("size             %,.1f MB", bytes / 1e6),
                    String.format("written in       %.1f s", seconds));
        }
    }

    /** Writes the benchmark to {@code out}, which must be absent or empty. */
    public static Result run(Path out, long seed) {
        long start = System.nanoTime();
        BenchmarkManifest m = SyntheticBenchmark.write(out, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = m.getFiles().stream().mapToLong(BenchmarkFile::getBytes).sum();
        return new Result(out.toString(), seed, m.getCounts().getRuns(), m.getCounts().getDivergedRuns(),
                m.getCounts().getPredictions(), bytes, seconds);
    }
}
