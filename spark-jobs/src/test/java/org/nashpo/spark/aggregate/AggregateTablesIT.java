package org.nashpo.spark.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.LocalFiles;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.io.RunStore;

/**
 * The tables aggregate writes, byte for byte, on an output of a few thousand runs with duplicates,
 * failures, divergences and damaged files: the same as the job this one replaced wrote (its
 * checksums, recorded by running it on this output), and cut into the same parts whatever the
 * partitioning.
 */
class AggregateTablesIT {

    @TempDir
    static Path base;
    private static JavaSparkContext sc;
    private static String output;

    /**
     * What the previous aggregate job (commit b8669e3, before it read each file's Hadoop configuration
     * once and shuffled once) wrote for {@link #fill}: path, rows, bytes, SHA-256 of each table file.
     */
    private static final List<String> PREVIOUS_JOB = List.of(
            "runs-3/part-00000.avro 2138 435049 7f11d2c24d61f8fd46b65691dba1fc8a1a0073857c1095ae0bc7d48667217469",
            "runs-9/part-00000.avro 120 56087 89a7acf13fa97efd83ab3d5f4d3c8af0c38fa755524fc4640435043af6376f6f",
            "configurations/part-00000.avro 840 135206 91b3171ebc58007f8f87d6140834cbb6ab229a49197ddef4debfd55befa49acf",
            "classes/part-00000.avro 60 13391 14ca81c90e1edacbdebd3c0dbba309eb722bb4f4b641e289cbf6f30ecd8e0220");

    @BeforeAll
    static void start() throws IOException {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("AggregateTablesIT")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        output = base.resolve("construct").toUri().toString();
        fill(output);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /**
     * 60 classes × 4 learning rates × 3 batch sizes × 3 seeds at 3 epochs (a few keys missing), 10
     * classes at 9 epochs; a later duplicate of every 50th run, a failure retried into a result, a
     * failure left alone, diverged runs, a truncated file and a file that is not Avro.
     */
    static void fill(String output) throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<CellClass> classes = SearchSpace.NAS_HPO_BENCH_2.classes().subList(0, 60);
        List<TrainingRun> runs = new ArrayList<>();
        int n = 0;
        for (CellClass c : classes) {
            String cell = c.representative().toString();
            for (double lr : List.of(0.01, 0.05, 0.1, 0.4)) {
                for (int batch : List.of(64, 128, 256)) {
                    for (int seed : List.of(222, 555, 888)) {
                        n++;
                        if (n % 97 == 0) {
                            continue; // never trained: listed as missing
                        }
                        boolean diverged = lr == 0.4 && n % 5 == 0;
                        runs.add(SyntheticRuns.run(cell, lr, batch, seed, 3,
                                diverged ? RunStatus.DIVERGED : RunStatus.COMPLETED, diverged ? 1 : 3,
                                t.plusSeconds(n)));
                        if (n % 50 == 0) {
                            TrainingRun later = SyntheticRuns.run(cell, lr, batch, seed, 3, RunStatus.COMPLETED, 3,
                                    t.plusSeconds(100_000 + n));
                            later.getPerEpoch().forEach(e -> e.setTestAccuracy(99));
                            runs.add(later);
                        }
                        if (n % 71 == 0) {
                            runs.add(SyntheticRuns.run(cell, lr, batch, seed, 3, RunStatus.FAILED, 0,
                                    t.plusSeconds(n - 1)));
                        }
                    }
                }
            }
            if (classes.indexOf(c) < 10) {
                for (double lr : List.of(0.01, 0.05, 0.1, 0.4)) {
                    for (int batch : List.of(64, 128, 256)) {
                        runs.add(SyntheticRuns.run(cell, lr, batch, 222, 9, RunStatus.COMPLETED, 9, t));
                    }
                }
            }
        }
        runs.add(SyntheticRuns.run(classes.get(0).representative().toString(), 0.2, 64, 222, 3, RunStatus.FAILED, 0,
                t));
        Configuration conf = new Configuration();
        try (var fs = LocalFiles.withoutForks(conf)) {
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(URI.create(output + "/" + RunStore.RUNS));
            for (int i = 0; i < runs.size(); i++) {
                RunFiles.write(fs, new org.apache.hadoop.fs.Path(dir, String.format("run-%05d.avro", i)),
                        List.of(runs.get(i)));
            }
        }
        Path runsDir = Path.of(URI.create(output + "/" + RunStore.RUNS));
        Files.write(runsDir.resolve("garbage.avro"), new byte[] {1, 2, 3});
        byte[] whole = Files.readAllBytes(runsDir.resolve("run-00000.avro"));
        Files.write(runsDir.resolve("truncated.avro"), java.util.Arrays.copyOf(whole, whole.length - 20));
    }

    private static BenchmarkManifest manifest(Path bench) throws IOException {
        try (InputStream in = Files.newInputStream(bench.resolve(BenchmarkLayout.MANIFEST))) {
            return Manifests.read(in, bench.toString());
        }
    }

    private static List<String> described(BenchmarkManifest m) {
        return m.getFiles().stream().map(f -> f.getPath() + " " + f.getRecords() + " " + f.getBytes() + " "
                + f.getSha256()).toList();
    }

    @Test
    void theTablesAreByteForByteThoseOfThePreviousJob() throws IOException {
        Path bench = base.resolve("bench");
        AggregateJob.Summary s = AggregateJob.run(sc, new AggregatePlan(output, bench.toUri().toString(), false,
                Map.of()));

        assertThat(s.read().invalid()).hasSize(2);
        assertThat(described(manifest(bench))).containsExactlyElementsOf(PREVIOUS_JOB);
    }

    /** Parts of exactly N rows but the last, in sort order: the same rows as one part, cut where the count says. */
    @Test
    void partsHoldExactlyTheirShareOfTheSortedRows() throws IOException {
        Path whole = base.resolve("whole");
        Path cut = base.resolve("cut");
        AggregateJob.run(sc, new AggregatePlan(output, whole.toUri().toString(), false, Map.of()));
        AggregateJob.run(sc, new AggregatePlan(output, cut.toUri().toString(), false, Map.of()), 700);

        BenchmarkManifest one = manifest(whole);
        BenchmarkManifest parts = manifest(cut);
        for (BenchmarkFile table : one.getFiles()) {
            List<BenchmarkFile> tableParts = parts.getFiles().stream()
                    .filter(f -> f.getTable().equals(table.getTable())).toList();
            assertThat(tableParts).as(table.getTable()).hasSize((int) ((table.getRecords() + 699) / 700));
            List<GenericRecord> rows = new ArrayList<>();
            for (int p = 0; p < tableParts.size(); p++) {
                BenchmarkFile part = tableParts.get(p);
                assertThat(part.getPath()).isEqualTo(table.getTable() + String.format("/part-%05d.avro", p));
                assertThat(part.getRecords()).isEqualTo(p < tableParts.size() - 1 ? 700
                        : table.getRecords() - 700L * (tableParts.size() - 1));
                rows.addAll(rows(cut.resolve(part.getPath())));
            }
            assertThat(rows).as(table.getTable()).containsExactlyElementsOf(rows(whole.resolve(table.getPath())));
        }
    }

    private static List<GenericRecord> rows(Path file) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                DataFileStream<GenericRecord> reader = new DataFileStream<>(in, new GenericDatumReader<>())) {
            reader.forEach(rows::add);
        }
        return rows;
    }
}
