package org.nashpo.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nashpo.bench.format.BenchmarkGrid;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;

/**
 * A synthetic benchmark of NAS-Bench-201's space and network at full size but for one seed: every one
 * of its 5,425 classes × 48 HPs × seed 222 for 12 epochs, and 200-epoch predictions for all 15,625
 * cellcodes × 48 = 750,000 configurations. Written and opened once per test JVM.
 */
public final class Nb201Fixture {

    public static final long SEED = 7;
    public static final int TRAINING_SEED = 222;
    public static final SyntheticBenchmark.Design DESIGN = new SyntheticBenchmark.Design(
            new BenchmarkGrid(SearchSpace.NAS_BENCH_201, NetworkFamily.NAS_BENCH_201, BenchmarkLayout.SHORT_EPOCHS,
                    BenchmarkLayout.LONG_EPOCHS, HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES, List.of(TRAINING_SEED)),
            NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201), SearchSpace.NAS_BENCH_201.classes(),
            Map.of());
    private static Path shared;
    private static Benchmark opened;

    private Nb201Fixture() {
    }

    public static synchronized Path shared() {
        if (shared == null) {
            shared = TempDirs.create("nb201").resolve("bench");
            SyntheticBenchmark.write(shared, SEED, DESIGN);
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
