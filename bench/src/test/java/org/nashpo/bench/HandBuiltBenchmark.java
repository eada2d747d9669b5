package org.nashpo.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.avro.file.CodecFactory;
import org.nashpo.bench.format.BenchmarkGrid;
import org.nashpo.bench.format.BenchmarkWriter;
import org.nashpo.bench.format.Metric;
import org.nashpo.bench.format.PredictionRow;
import org.nashpo.bench.format.RunRow;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * A full-size benchmark whose every value is a closed formula of its key, each exact in a float, so
 * tests can state the expected answer of any query by hand. Run totals deliberately differ from the
 * sums of the epoch times, so tests see which of the two a query used.
 */
public final class HandBuiltBenchmark {

    public static final String PROTOCOL_ID = "hand-built";
    public static final float TOTAL_TRAIN_EXTRA = 0.5f;
    public static final float TOTAL_TRAIN_VALID_EXTRA = 0.75f;
    public static final float TOTAL_TEST_EXTRA = 0.125f;
    /** The one diverged run: class ordinal 7, the last HP pair, the first seed, after 5 epochs. */
    public static final int DIVERGED_CLASS = 7;
    public static final int DIVERGED_HP = 47;
    public static final int DIVERGED_EPOCHS = 5;

    private static Path shared;
    private static Benchmark opened;

    private HandBuiltBenchmark() {
    }

    /** The default hand-built benchmark, written once per test JVM. */
    public static synchronized Path shared() {
        if (shared == null) {
            shared = write(TempDirs.create("hand-built").resolve("bench"));
        }
        return shared;
    }

    /** {@link #shared()}, opened once per test JVM. */
    public static synchronized Benchmark open() {
        if (opened == null) {
            opened = Benchmark.open(shared());
        }
        return opened;
    }

    /** Valid accuracy of class ordinal c, HP pair hp, seed position s, after 0-based epoch e. */
    public static float validAccuracy(int c, int hp, int s, int e) {
        return (c % 50) + hp * 0.5f + s * 0.125f + e * 0.0625f;
    }

    public static float trainAccuracy(int c, int hp, int s, int e) {
        return validAccuracy(c, hp, s, e) + 20;
    }

    public static float testAccuracy(int c, int hp, int s, int e) {
        return validAccuracy(c, hp, s, e) + 10;
    }

    public static float trainSeconds(int s, int e) {
        return 10 + e + s;
    }

    public static float validSeconds(int e) {
        return 2 + 0.5f * e;
    }

    public static float testSeconds(int e) {
        return 1 + 0.25f * e;
    }

    /** 200-epoch prediction of a configuration: differs between members of one class, to pin the index. */
    public static float longAccuracy(int configIndex) {
        return (configIndex % 1000) / 10f;
    }

    public static Path write(Path directory) {
        return write(directory, slot -> true, slot -> false, CodecFactory.nullCodec());
    }

    /**
     * @param keep which run slots ({@code (class·48 + hp)·3 + seed}) to write
     * @param twice which slots to write a second time
     */
    public static Path write(Path directory, IntPredicate keep, IntPredicate twice, CodecFactory codec) {
        List<CellClass> classes = SearchSpace.NAS_HPO_BENCH_2.classes();
        try (BenchmarkWriter writer = BenchmarkWriter.create(directory, BenchmarkGrid.PUBLISHED, PROTOCOL_ID,
                "hand-built", Map.of("test", HandBuiltBenchmark.class.getName()), codec)) {
            RunRow row = new RunRow(SearchSpace.NAS_HPO_BENCH_2);
            for (int c = 0; c < classes.size(); c++) {
                for (int hp = 0; hp < HpGrid.HP_COUNT; hp++) {
                    for (int s = 0; s < HpGrid.SEEDS.size(); s++) {
                        int slot = (c * HpGrid.HP_COUNT + hp) * HpGrid.SEEDS.size() + s;
                        if (!keep.test(slot)) {
                            continue;
                        }
                        fill(row, classes.get(c).representative(), c, hp, s);
                        writer.append(row);
                        if (twice.test(slot)) {
                            writer.append(row);
                        }
                    }
                }
            }
            PredictionRow p = new PredictionRow(SearchSpace.NAS_HPO_BENCH_2).epochs(200);
            for (int index = 0; index < SearchSpace.NAS_HPO_BENCH_2.size() * HpGrid.HP_COUNT; index++) {
                int hp = index % HpGrid.HP_COUNT;
                writer.append(p.cell(index / HpGrid.HP_COUNT).learningRate(lr(hp)).batchSize(batch(hp))
                        .meanTestAccuracy(longAccuracy(index)));
            }
            writer.finish();
        }
        return directory;
    }

    public static void fill(RunRow row, CellCode cell, int c, int hp, int s) {
        double train = 0;
        double valid = 0;
        double test = 0;
        for (int e = 0; e < RunRow.EPOCHS; e++) {
            row.value(Metric.TRAIN_ACCURACY, e, trainAccuracy(c, hp, s, e))
                    .value(Metric.VALID_ACCURACY, e, validAccuracy(c, hp, s, e))
                    .value(Metric.TEST_ACCURACY, e, testAccuracy(c, hp, s, e))
                    .value(Metric.TRAIN_LOSS, e, 3 - 0.125f * e)
                    .value(Metric.VALID_LOSS, e, 2 - 0.125f * e)
                    .value(Metric.TEST_LOSS, e, 2.5f - 0.125f * e)
                    .value(Metric.TRAIN_SECONDS, e, trainSeconds(s, e))
                    .value(Metric.VALID_SECONDS, e, validSeconds(e))
                    .value(Metric.TEST_SECONDS, e, testSeconds(e));
            train += trainSeconds(s, e);
            valid += validSeconds(e);
            test += testSeconds(e);
        }
        boolean diverged = c == DIVERGED_CLASS && hp == DIVERGED_HP && s == 0;
        row.cell(cell.index()).learningRate(lr(hp)).batchSize(batch(hp)).seed(HpGrid.SEEDS.get(s)).epochs(RunRow.EPOCHS)
                .epochsCompleted(diverged ? DIVERGED_EPOCHS : RunRow.EPOCHS).parameters(1000L + c)
                .multiplyAdds(2000L + c)
                .totals((float) train + TOTAL_TRAIN_EXTRA, (float) (train + valid) + TOTAL_TRAIN_VALID_EXTRA,
                        (float) test + TOTAL_TEST_EXTRA);
    }

    public static double lr(int hp) {
        return HpGrid.LEARNING_RATES.get(hp / HpGrid.BATCH_SIZES.size());
    }

    public static int batch(int hp) {
        return HpGrid.BATCH_SIZES.get(hp % HpGrid.BATCH_SIZES.size());
    }
}
