package org.nashpo.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.BenchmarkTables;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;

/**
 * A format-2 benchmark that is partial and has another schedule: S = 3, L = 6, 2 classes × 2 learning
 * rates × 1 batch size × 2 seeds with one key missing, predictions for two configurations.
 */
class PartialBenchmarkTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;
    private static final String A = "0|10|210";
    private static final String B = "0|00|333";
    @TempDir
    static Path dir;
    private static Benchmark bench;

    /** Test accuracy of a row at a 0-based epoch: encodes the key. */
    private static float acc(String cell, double lr, int seed, int epoch) {
        return (float) (10 + NHB2.parse(cell).index() % 50 + 100 * lr + seed % 10 + epoch);
    }

    private static BenchmarkRun row(String cell, double lr, int seed) {
        List<Float> accs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            accs.add(acc(cell, lr, seed, e));
        }
        List<Float> losses = List.of(2f, 1.5f, 1f);
        return BenchmarkRun.newBuilder()
                .setCellClassId(NHB2.classOf(NHB2.parse(cell)).id()).setCellcode(cell)
                .setLearningRate(lr).setBatchSize(64).setSeed(seed).setEpochs(3).setEpochsCompleted(3)
                .setParameters(100L).setMultiplyAdds(200L)
                .setTrainLoss(losses).setTrainAccuracy(accs).setValidLoss(losses).setValidAccuracy(accs)
                .setTestLoss(losses).setTestAccuracy(accs)
                .setTrainSeconds(List.of(1f, 2f, 3f)).setValidSeconds(Collections.nCopies(3, 0.5f))
                .setTestSeconds(Collections.nCopies(3, 0.25f))
                .setTotalTrainSeconds(6f).setTotalTrainValidSeconds(7.5f).setTotalTestSeconds(0.75f)
                .build();
    }

    private static <T extends SpecificRecord> BenchmarkFile write(Path bench, String table, List<T> rows)
            throws IOException {
        Path file = Files.createDirectories(bench.resolve(table)).resolve("part-00000.avro");
        try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<T>(rows.get(0).getSchema()))) {
            w.create(rows.get(0).getSchema(), file.toFile());
            rows.forEach(r -> {
                try {
                    w.append(r);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new BenchmarkFile(table + "/part-00000.avro", table, (long) rows.size(), Files.size(file),
                    Manifests.sha256(in));
        }
    }

    @BeforeAll
    static void writeAndOpen() throws IOException {
        List<BenchmarkRun> runs = new ArrayList<>();
        for (String cell : List.of(A, B)) {
            for (double lr : List.of(0.05, 0.1)) {
                for (int seed : List.of(222, 555)) {
                    if (!(cell.equals(B) && lr == 0.1 && seed == 555)) {
                        runs.add(row(cell, lr, seed));
                    }
                }
            }
        }
        List<SurrogatePrediction> predictions = List.of(new SurrogatePrediction(A, 0.05, 64, 6, 71.5f),
                new SurrogatePrediction(B, 0.1, 64, 6, 55.25f));
        List<BenchmarkFile> files = new ArrayList<>();
        files.add(write(dir, "runs-3", runs));
        files.add(write(dir, "predictions-6", predictions));
        files.add(write(dir, "classes", List.of(BenchmarkTables.classRow(NHB2, A, 100L, 200L))));
        BenchmarkManifest m = BenchmarkManifest.newBuilder()
                .setFormatVersion(2).setProtocolId("p").setSource("aggregate").setCreatedAt("2026-01-01T00:00:00Z")
                .setShortEpochs(3).setLongEpochs(6)
                .setLearningRates(List.of(0.05, 0.1)).setBatchSizes(List.of(64)).setSeeds(List.of(222, 555))
                .setCounts(new BenchmarkCounts(2, 0, (long) runs.size(), 0L, 2L))
                .setFiles(files).setProvenance(Map.of())
                .build();
        try (OutputStream out = Files.newOutputStream(dir.resolve(BenchmarkLayout.MANIFEST))) {
            Manifests.write(m, out);
        }
        bench = Benchmark.open(dir);
    }

    private static int index(String cell, double lr) {
        return ConfigIndex.indexOf(new Configuration(NHB2.parse(cell), lr, 64));
    }

    @Test
    void answersTheKeysItHoldsOnItsOwnSchedule() {
        assertThat(bench.shortEpochs()).isEqualTo(3);
        assertThat(bench.longEpochs()).isEqualTo(6);
        int a = index(A, 0.1);
        assertThat(bench.accuracy(a, Mode.TEST, 2, 555)).isCloseTo(acc(A, 0.1, 555, 1), within(1e-4));
        // every member of a class answers with its row: 3|33|333 is in the class of 0|00|333
        assertThat(bench.accuracy(index("3|33|333", 0.05), Mode.VALID, 3, 222))
                .isCloseTo(acc(B, 0.05, 222, 2), within(1e-4));
        assertThat(bench.cost(a, Mode.TRAIN, 2, 222)).isCloseTo(1 + 2, within(1e-6));
        assertThat(bench.cost(a, Mode.VALID, 2, 222)).isCloseTo(1 + 2 + 0.5 + 0.5, within(1e-6));
        assertThat(bench.cost(a, Mode.TEST, 3, 222)).isCloseTo(7.5 + 0.75, within(1e-6));

        Answer answer = bench.query(Query.of(NHB2.parse(A), 0.1, 64).withEpoch(3).withIepoch(1).withSeed(555));
        assertThat(answer.accuracy()).isCloseTo(acc(A, 0.1, 555, 0), within(1e-4));
        assertThat(answer.cost()).hasValue(1 + 0.5);
        assertThat(bench.query(Query.of(NHB2.parse(A), 0.05, 64).withEpoch(6)).accuracy()).isEqualTo(71.5);
    }

    @Test
    void aKeyItDoesNotHoldIsAnErrorNamingItAndScansSkipIt() {
        int missing = index(B, 0.1);
        assertThat(bench.has(missing, 222)).isTrue();
        assertThat(bench.has(missing, 555)).isFalse();
        assertThatThrownBy(() -> bench.accuracy(missing, Mode.VALID, 3, 555))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0|00|333 lr=0.1 batch=64 seed=555")
                .hasMessageContaining("runs-3")
                .hasMessageContaining("completeness");
        // an HP pair of the protocol the benchmark was not built with
        assertThatThrownBy(() -> bench.cost(index(A, 0.2), Mode.VALID, 3, 222))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lr=0.2").hasMessageContaining("not in the benchmark's grid");
        // a protocol seed the benchmark was not built with
        assertThatThrownBy(() -> bench.accuracy(index(A, 0.1), Mode.VALID, 3, 888))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 888 is not one of this benchmark's seeds; expected one of 222, 555");
        assertThatThrownBy(() -> bench.accuracy(index(A, 0.1), Mode.VALID, 4, 222))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 ≤ iepoch ≤ 3");
        assertThatThrownBy(() -> bench.query(Query.of(NHB2.parse(A), 0.1, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epoch 12 is not a schedule of the benchmark; expected one of 3, 6");
        assertThatThrownBy(() -> bench.longAccuracy(index(A, 0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no prediction for 0|10|210 lr=0.1 batch=64 in predictions-6");

        List<Integer> scanned = new ArrayList<>();
        bench.scan(Mode.VALID, 3, 555, (i, acc, cost) -> scanned.add(i));
        // every member cellcode of each class held, 2 lrs each, less the missing key
        int membersA = NHB2.classOf(NHB2.parse(A)).size();
        int membersB = NHB2.classOf(NHB2.parse(B)).size();
        assertThat(scanned).hasSize(2 * membersA + membersB).doesNotContain(missing).isSorted();
        List<Integer> predicted = new ArrayList<>();
        bench.scanLong((i, acc, cost) -> predicted.add(i));
        assertThat(predicted).hasSize(2);
    }

    @Test
    void aSessionLogsShortScheduleQueriesAndReportsNoLongAccuracyWithoutAPrediction() {
        Session session = bench.newSession();
        session.query(Query.of(NHB2.parse(A), 0.1, 64).withEpoch(3));
        session.query(Query.of(NHB2.parse(A), 0.05, 64).withEpoch(6));

        assertThat(session.size()).isEqualTo(1);
        assertThat(session.totalCost()).isCloseTo(7.5, within(1e-6));
        assertThat(session.result().testAccuracy200()).isNaN();
    }
}
