package org.nashpo.bench;

import java.nio.file.Path;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.synth.SyntheticBenchmark;

/** The full-size synthetic benchmark with seed 42, written and opened once per test JVM. */
public final class SyntheticFixture {

    public static final long SEED = 42;
    private static Path shared;
    private static Benchmark opened;

    private SyntheticFixture() {
    }

    public static synchronized Path shared() {
        if (shared == null) {
            shared = TempDirs.create("synthetic").resolve("bench");
            SyntheticBenchmark.write(shared, SEED);
        }
        return shared;
    }

    public static synchronized Benchmark open() {
        if (opened == null) {
            opened = Benchmark.open(shared());
        }
        return opened;
    }
}
