package org.nashpo.spark.aggregate;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.spec.CostModel;
import org.nashpo.schema.BenchmarkClass;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkConfiguration;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.construct.ConstructPlan;
import org.nashpo.spark.construct.Progress;
import org.nashpo.spark.testing.MiniHdfs;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.io.RunStore;
import org.nashpo.worker.train.TrainingSets;

/** The aggregate job on Spark local[2] over an in-process HDFS, on real construct runs and on synthetic records. */
class AggregateJobIT {

    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;
    private static JavaSparkContext sc;
    private static FileSystem fs;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(base);
        fs = hdfs.getFileSystem();
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("AggregateJobIT")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.hadoop.fs.defaultFS", hdfs.getURI().toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        MiniHdfs.stop(sc, hdfs);
    }

    private static AggregatePlan plan(String runs, String out, boolean overwrite) {
        return new AggregatePlan(runs, out, overwrite, ConstructJob.hadoopProperties(sc.getConf()));
    }

    private static void writeRuns(String output, String name, List<TrainingRun> runs) {
        RunFiles.write(URI.create(output + "/" + RunStore.RUNS + "/" + name + ".avro"), runs, hdfs.getConfiguration(0));
    }

    static <T extends SpecificRecord> List<T> table(String bench, BenchmarkManifest m, String table, Class<T> type)
            throws IOException {
        List<T> rows = new ArrayList<>();
        for (BenchmarkFile f : m.getFiles()) {
            if (f.getTable().equals(table)) {
                try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(bench + "/" + f.getPath()));
                        DataFileStream<T> reader = new DataFileStream<>(in, new SpecificDatumReader<>(type))) {
                    reader.forEach(rows::add);
                }
            }
        }
        return rows;
    }

    static BenchmarkManifest manifest(String bench) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(bench + "/" + BenchmarkLayout.MANIFEST))) {
            return Manifests.read(in, bench);
        }
    }

    /** A construct output of synthetic records: 2 cells × 2 lrs × 1 batch × 2 seeds at 3 epochs, 1 cell at 6. */
    static String syntheticOutput(String output) throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (String cell : List.of("0|10|210", "3|33|333")) {
            for (double lr : List.of(0.05, 0.1)) {
                for (int seed : List.of(222, 555)) {
                    if (cell.equals("3|33|333") && lr == 0.1 && seed == 555) {
                        continue; // missing: listed, not filled in from seed 222
                    }
                    String name = cell.replace('|', '_') + "-" + lr + "-" + seed;
                    writeRuns(output, name, List.of(SyntheticRuns.completed(cell, lr, 64, seed, 3)));
                }
            }
        }
        // 0|10|210 is its class's representative; 3|33|333's is 0|00|333 (rows name the cell trained)
        // a duplicate finished later (dropped), a diverged run, a failure, a long-schedule run
        TrainingRun duplicate = SyntheticRuns.run("0|10|210", 0.05, 64, 222, 3, RunStatus.COMPLETED, 3,
                t.plusSeconds(3600));
        duplicate.getPerEpoch().forEach(e -> e.setTestAccuracy(99));
        writeRuns(output, "zz-duplicate", List.of(duplicate));
        writeRuns(output, "diverged", List.of(SyntheticRuns.run("0|10|210", 0.4, 64, 222, 3, RunStatus.DIVERGED, 1,
                t)));
        writeRuns(output, "failed", List.of(SyntheticRuns.run("3|33|333", 0.4, 64, 222, 3, RunStatus.FAILED, 0, t)));
        writeRuns(output, "long", List.of(SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 6)));
        // a truncated file and a file that is not Avro: skipped and listed
        try (FSDataOutputStream o = fs.create(new org.apache.hadoop.fs.Path(output + "/runs/garbage.avro"))) {
            o.write(new byte[] {1, 2, 3});
        }
        return output;
    }

    @Test
    void syntheticRunsBecomeAFormat2BenchmarkWithCompletenessPerSeed() throws IOException {
        String runs = syntheticOutput(hdfs.getURI() + "/synthetic/construct");
        String bench = hdfs.getURI() + "/synthetic/bench";

        AggregateJob.Summary s = AggregateJob.run(sc, plan(runs, bench, false));

        assertThat(s.read().invalid()).singleElement().satisfies(m -> assertThat(m).contains("garbage.avro"));
        assertThat(s.read().duplicates()).isEqualTo(1);
        assertThat(s.read().failed()).isEqualTo(1);
        assertThat(s.tables().shortEpochs()).isEqualTo(3);
        assertThat(s.tables().longEpochs()).isEqualTo(6);
        assertThat(s.tables().shortRuns()).isEqualTo(8);
        assertThat(s.tables().longRuns()).isEqualTo(1);
        assertThat(s.tables().divergedRuns()).isEqualTo(1);

        BenchmarkManifest m = manifest(bench);
        assertThat(m.getFormatVersion()).isEqualTo(2);
        assertThat(m.getShortEpochs()).isEqualTo(3);
        assertThat(m.getLongEpochs()).isEqualTo(6);
        assertThat(m.getLearningRates()).containsExactly(0.05, 0.1, 0.4);
        assertThat(m.getBatchSizes()).containsExactly(64);
        assertThat(m.getSeeds()).containsExactly(222, 555);
        assertThat(m.getCounts().getRuns()).isEqualTo(8);
        assertThat(m.getFiles()).extracting(BenchmarkFile::getTable)
                .containsExactlyInAnyOrder("runs-3", "runs-6", "configurations", "classes");
        // the files are what the manifest says
        for (BenchmarkFile f : m.getFiles()) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(bench + "/" + f.getPath());
            assertThat(fs.getFileStatus(p).getLen()).isEqualTo(f.getBytes());
            try (InputStream in = fs.open(p)) {
                assertThat(Manifests.sha256(in)).isEqualTo(f.getSha256());
            }
        }

        List<BenchmarkRun> rows = table(bench, m, "runs-3", BenchmarkRun.class);
        assertThat(rows).hasSize(8);
        BenchmarkRun kept = rows.stream().filter(r -> r.getCellcode().equals("0|10|210") && r.getLearningRate() == 0.05
                && r.getSeed() == 222).findFirst().orElseThrow();
        assertThat(kept.getTestAccuracy().get(2))
                .isCloseTo((float) SyntheticRuns.testAccuracy("0|10|210", 0.05, 64, 222, 2), within(1e-4f));
        BenchmarkRun diverged = rows.stream().filter(r -> r.getLearningRate() == 0.4).findFirst().orElseThrow();
        assertThat(diverged.getEpochsCompleted()).isEqualTo(1);
        assertThat(diverged.getTestAccuracy().get(2)).isEqualTo(BenchmarkLayout.CHANCE_ACCURACY);
        assertThat(rows).extracting(BenchmarkRun::getCellcode).isSorted();

        // completeness: grid 2 classes × 3 lrs × 1 batch per seed; seed 555 misses what was never trained
        BenchmarkCompleteness s222 = m.getCompleteness().stream()
                .filter(c -> c.getTable().equals("runs-3") && c.getSeed() == 222).findFirst().orElseThrow();
        assertThat(s222.getExpected()).isEqualTo(6);
        assertThat(s222.getPresent()).isEqualTo(5);
        assertThat(s222.getDiverged()).isEqualTo(1);
        assertThat(s222.getMissing()).containsExactly("0|00|333 lr=0.4 batch=64");
        BenchmarkCompleteness s555 = m.getCompleteness().stream()
                .filter(c -> c.getTable().equals("runs-3") && c.getSeed() == 555).findFirst().orElseThrow();
        assertThat(s555.getMissing()).containsExactly("0|00|333 lr=0.1 batch=64", "0|00|333 lr=0.4 batch=64",
                "0|10|210 lr=0.4 batch=64");
        BenchmarkCompleteness long222 = m.getCompleteness().stream()
                .filter(c -> c.getTable().equals("runs-6") && c.getSeed() == 222).findFirst().orElseThrow();
        assertThat(long222.getExpected()).isEqualTo(3);
        assertThat(long222.getPresent()).isEqualTo(1);

        List<BenchmarkConfiguration> configs = table(bench, m, "configurations", BenchmarkConfiguration.class);
        // runs-3: 0|10|210 × 3 lrs, 3|33|333 × 2 lrs; runs-6: 1
        assertThat(configs).hasSize(6);
        BenchmarkConfiguration c = configs.stream().filter(x -> x.getCellcode().equals("0|10|210")
                && x.getLearningRate() == 0.1 && x.getEpochs() == 3).findFirst().orElseThrow();
        double a = SyntheticRuns.testAccuracy("0|10|210", 0.1, 64, 222, 2);
        double b = SyntheticRuns.testAccuracy("0|10|210", 0.1, 64, 555, 2);
        assertThat(c.getSeeds()).isEqualTo(2);
        assertThat(c.getMeanTestAccuracy()).isCloseTo((a + b) / 2, within(1e-4));
        assertThat(c.getStdTestAccuracy()).isCloseTo(Math.abs(a - b) / 2, within(1e-4));

        List<BenchmarkClass> classes = table(bench, m, "classes", BenchmarkClass.class);
        assertThat(classes).extracting(BenchmarkClass::getCellcode).containsExactly("0|00|333", "0|10|210");
        assertThat(classes.get(1).getParameters()).isEqualTo(1000L + SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210").index());
        assertThat(classes.get(0).getCellcodes()).contains("3|33|333", "0|00|333");

        // published by rename: no staging directory left beside it
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path(hdfs.getURI() + "/synthetic")))
                .extracting(st -> st.getPath().getName()).containsExactlyInAnyOrder("construct", "bench");
    }

    @Test
    void anExistingBenchmarkIsReplacedOnlyWithOverwriteAndAFailedRunLeavesNothing() throws IOException {
        String runs = hdfs.getURI() + "/over/construct";
        writeRuns(runs, "a", List.of(SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2)));
        String bench = hdfs.getURI() + "/over/bench";
        AggregateJob.run(sc, plan(runs, bench, false));

        assertThatThrownBy(() -> AggregateJob.run(sc, plan(runs, bench, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists").hasMessageContaining("--overwrite");

        writeRuns(runs, "b", List.of(SyntheticRuns.completed("0|10|210", 0.1, 64, 222, 2)));
        AggregateJob.Summary s = AggregateJob.run(sc, plan(runs, bench, true));
        assertThat(s.tables().shortRuns()).isEqualTo(2);
        assertThat(manifest(bench).getCounts().getRuns()).isEqualTo(2);

        // runs of two protocols: refused, and the benchmark stays as it was
        TrainingRun other = SyntheticRuns.completed("0|10|210", 0.2, 64, 222, 2);
        other.getKey().setProtocolId("another-protocol");
        writeRuns(runs, "c", List.of(other));
        assertThatThrownBy(() -> AggregateJob.run(sc, plan(runs, bench, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 protocols");
        assertThat(manifest(bench).getCounts().getRuns()).isEqualTo(2);
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path(hdfs.getURI() + "/over")))
                .extracting(st -> st.getPath().getName()).containsExactlyInAnyOrder("construct", "bench");

        // --overwrite never replaces something that is not a benchmark
        fs.mkdirs(new org.apache.hadoop.fs.Path(hdfs.getURI() + "/over/notbench/x"));
        assertThatThrownBy(() -> AggregateJob.run(sc, plan(runs, hdfs.getURI() + "/over/notbench", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a benchmark directory");
    }

    /** A synthetic run under a protocol id: SyntheticRuns' network and data under today's recipe, or another. */
    private static TrainingRun under(String protocolId, TrainingRun run) {
        run.getKey().setProtocolId(protocolId);
        return run;
    }

    /**
     * An output holding the runs of an older recipe beside today's: aggregate takes today's by default and the
     * other with its id, counting what it left out in its summary and the manifest; an unknown id, or two protocols
     * of today's recipe with none chosen, is an error listing the protocols with their runs.
     */
    @Test
    void anOutputOfTwoProtocolsAggregatesTodaysRecipeByDefaultAndAnotherByItsId() throws IOException {
        // SyntheticRuns' records: NAS-HPO-Bench-II's network 4/1/3 on 64/32/32 CIFAR-10 images, no data files
        String today = new org.nashpo.core.run.TrainingProtocol(new NetworkShape(4, 1, 3), 64, 32, 32,
                java.util.Map.of()).id();
        String older = SyntheticRuns.PROTOCOL;
        String runs = hdfs.getURI() + "/protocols/construct";
        writeRuns(runs, "today", List.of(under(today, SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2)),
                under(today, SyntheticRuns.completed("0|10|210", 0.1, 64, 222, 2))));
        writeRuns(runs, "older", List.of(SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2),
                SyntheticRuns.completed("0|10|210", 0.05, 64, 555, 2),
                SyntheticRuns.completed("3|33|333", 0.05, 64, 222, 2)));

        String todays = hdfs.getURI() + "/protocols/today";
        AggregateJob.Summary s = AggregateJob.run(sc, plan(runs, todays, false));

        assertThat(s.protocols()).isEqualTo(new AggregateJob.Protocols(today, true,
                List.of(new AggregateJob.ProtocolRuns(older, 3, false))));
        assertThat(s.read().records()).isEqualTo(2);
        assertThat(s.tables().shortRuns()).isEqualTo(2);
        BenchmarkManifest m = manifest(todays);
        assertThat(m.getProtocolId()).isEqualTo(today);
        assertThat(m.getProvenance()).containsEntry("protocolRecipe", "this version's")
                .containsEntry("otherProtocolsLeftOut", older + ": 3");
        assertThat(table(todays, m, "runs-2", BenchmarkRun.class)).extracting(BenchmarkRun::getLearningRate)
                .containsExactly(0.05, 0.1);

        String olders = hdfs.getURI() + "/protocols/older";
        AggregateJob.Summary o = AggregateJob.run(sc, new AggregatePlan(runs, olders, false,
                ConstructJob.hadoopProperties(sc.getConf()), null, older));

        assertThat(o.protocols()).isEqualTo(new AggregateJob.Protocols(older, false,
                List.of(new AggregateJob.ProtocolRuns(today, 2, true))));
        assertThat(o.tables().shortRuns()).isEqualTo(3);
        BenchmarkManifest om = manifest(olders);
        assertThat(om.getProtocolId()).isEqualTo(older);
        assertThat(om.getSeeds()).containsExactly(222, 555);
        assertThat(om.getProvenance()).containsEntry("protocolRecipe", "older")
                .containsEntry("otherProtocolsLeftOut", today + ": 2");

        assertThatThrownBy(() -> AggregateJob.run(sc, new AggregatePlan(runs, hdfs.getURI() + "/protocols/none",
                false, ConstructJob.hadoopProperties(sc.getConf()), null, "fedcba9876543210")))
                .isInstanceOf(IllegalArgumentException.class)
                // protocols listed by id: a hex id sorts before "synthetic-protocol"
                .hasMessage("protocol fedcba9876543210: " + runs + " holds no run of it; it holds " + today
                        + " (2 runs, this version's recipe), " + older + " (3 runs, an older recipe)");

        // a wider network's runs, also of today's recipe: two protocols of today's recipe, and none chosen
        TrainingRun wide = SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2);
        wide.getNetwork().setWidth(8);
        String wideId = new org.nashpo.core.run.TrainingProtocol(new NetworkShape(8, 1, 3), 64, 32, 32,
                java.util.Map.of()).id();
        writeRuns(runs, "wide", List.of(under(wideId, wide)));
        assertThatThrownBy(() -> AggregateJob.run(sc, plan(runs, hdfs.getURI() + "/protocols/either", false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds runs of 3 protocols")
                .hasMessageContaining("2 of them are of this version's recipe (other networks or data)")
                .hasMessageEndingWith("choose it with --protocol ID");
    }

    /** A synthetic run on another data set: its protocol is another, its record names the data set and split. */
    private static TrainingRun on(String dataset, TrainingRun run) {
        run.getKey().setProtocolId(SyntheticRuns.PROTOCOL + "-" + dataset);
        run.getData().setDataset(dataset);
        run.getData().setSplit("nas-bench-201");
        return run;
    }

    /**
     * One construct output may hold the runs of several data sets (their protocols differ): aggregating it whole is
     * refused naming them; --dataset aggregates one into its subdirectory of a directory of data sets, leaving the
     * others out, and the manifest names the data set; a diverged run's untrained epochs are the chance of its
     * data set's classes.
     */
    @Test
    void runsOfSeveralDataSetsAggregateOneDataSetAtATime() throws IOException {
        String runs = hdfs.getURI() + "/datasets/construct";
        writeRuns(runs, "c10", List.of(SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2)));
        writeRuns(runs, "c100", List.of(on("cifar100", SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2)),
                on("cifar100", SyntheticRuns.completed("0|10|210", 0.1, 64, 222, 2))));
        writeRuns(runs, "c100-diverged", List.of(on("cifar100", SyntheticRuns.run("3|33|333", 0.4, 64, 222, 2,
                RunStatus.DIVERGED, 1, Instant.parse("2026-01-01T00:00:00Z")))));
        writeRuns(runs, "in16", List.of(on("imagenet16-120", SyntheticRuns.completed("3|33|333", 0.05, 64, 222, 2))));
        String benches = hdfs.getURI() + "/datasets/bench";

        assertThatThrownBy(() -> AggregateJob.run(sc, plan(runs, benches, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(runs + ": holds runs of the data sets [cifar10, cifar100, imagenet16-120]; a benchmark "
                        + "holds the runs of one: aggregate each with --dataset NAME, into a directory of data sets ("
                        + benches + "/NAME)");

        AggregateJob.Summary c100 = AggregateJob.run(sc, new AggregatePlan(runs, benches, false,
                ConstructJob.hadoopProperties(sc.getConf()), "cifar100"));
        assertThat(c100.out()).isEqualTo(benches + "/cifar100");
        assertThat(c100.data()).isEqualTo(new AggregateJob.Data("cifar100", "nas-bench-201"));
        assertThat(c100.read().records()).isEqualTo(3);
        assertThat(c100.read().otherDatasets()).isEqualTo(2);
        assertThat(c100.tables().shortRuns()).isEqualTo(3);
        BenchmarkManifest m = manifest(benches + "/cifar100");
        assertThat(Manifests.dataset(m)).isEqualTo(org.nashpo.core.data.Dataset.CIFAR100);
        assertThat(m.getProtocolId()).isEqualTo(SyntheticRuns.PROTOCOL + "-cifar100");
        assertThat(m.getProvenance()).containsEntry("dataset", "cifar100").containsEntry("otherDatasetsLeftOut", "2");
        BenchmarkRun diverged = table(benches + "/cifar100", m, "runs-2", BenchmarkRun.class).stream()
                .filter(r -> r.getEpochsCompleted() == 1).findFirst().orElseThrow();
        assertThat(diverged.getTestAccuracy().get(1)).isEqualTo(1f);
        assertThat(diverged.getTestLoss().get(1)).isEqualTo((float) Math.log(100));

        AggregateJob.run(sc, new AggregatePlan(runs, benches, false, ConstructJob.hadoopProperties(sc.getConf()),
                "cifar10"));
        assertThat(Manifests.dataset(manifest(benches + "/cifar10"))).isEqualTo(org.nashpo.core.data.Dataset.CIFAR10);
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(benches + "/" + BenchmarkLayout.MANIFEST))).isFalse();

        // a benchmark of one data set is not a directory of data sets
        String single = hdfs.getURI() + "/datasets/single";
        writeRuns(hdfs.getURI() + "/datasets/one", "a", List.of(SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 2)));
        AggregateJob.run(sc, plan(hdfs.getURI() + "/datasets/one", single, false));
        assertThatThrownBy(() -> AggregateJob.run(sc, new AggregatePlan(runs, single, false,
                ConstructJob.hadoopProperties(sc.getConf()), "imagenet16-120")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is the benchmark of one data set (it holds manifest.json)");
        assertThatThrownBy(() -> AggregateJob.run(sc, new AggregatePlan(runs, benches, false,
                ConstructJob.hadoopProperties(sc.getConf()), "cifar1000")))
                .hasMessageStartingWith("dataset: unknown data set \"cifar1000\"");
    }

    /** Real runs of the construct job: a 1-epoch schedule on 3 cells, a 2-epoch one on a subset of them. */
    @Test
    void runsOfTheConstructJobAggregate() throws IOException {
        NetworkShape tiny = new NetworkShape(4, 1, 3);
        String data = System.getProperty("nashpo.miniData");
        var protocol = TrainingSets.load(TrainingSets.open(data), new Subset(64, 32, 32), tiny).protocol();
        List<RunKey> keys = new ArrayList<>();
        for (String c : List.of("0|10|210", "3|33|333", "0|03|323")) {
            keys.add(RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(c), 0.05, 32), 222, 1));
        }
        keys.add(RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 222, 2));
        String output = hdfs.getURI() + "/real/construct";
        ConstructJob.Summary trained = ConstructJob.run(sc, new ConstructPlan(output, data, protocol, keys, "spec", 1,
                ConstructJob.hadoopProperties(sc.getConf())), CostModel.UNCALIBRATED, Progress.NONE);
        assertThat(trained.failed()).isZero();
        String bench = hdfs.getURI() + "/real/bench";

        AggregateJob.Summary s = AggregateJob.run(sc, plan(output, bench, false));

        assertThat(s.read().invalid()).isEmpty();
        // the trainer's records state their protocol: aggregate recognises this version's recipe in them
        assertThat(s.protocols()).isEqualTo(new AggregateJob.Protocols(protocol.id(), true, List.of()));
        assertThat(s.tables().shortEpochs()).isEqualTo(1);
        assertThat(s.tables().longEpochs()).isEqualTo(2);
        assertThat(s.tables().shortRuns()).isEqualTo(3);
        assertThat(s.tables().longRuns()).isEqualTo(1);
        BenchmarkManifest m = manifest(bench);
        assertThat(m.getProtocolId()).isEqualTo(protocol.id());
        assertThat(m.getCompleteness()).filteredOn(c -> c.getTable().equals("runs-1"))
                .singleElement().satisfies(c -> assertThat(c.getMissing()).isEmpty());
        RunStore.Scan scan = new RunStore(URI.create(output), hdfs.getConfiguration(0)).scan(2);
        List<BenchmarkRun> rows = table(bench, m, "runs-2", BenchmarkRun.class);
        assertThat(rows).singleElement().satisfies(r -> {
            TrainingRun source = scan.runs().get(keys.get(3));
            assertThat(r.getEpochs()).isEqualTo(2);
            assertThat(r.getTestAccuracy().get(1)).isEqualTo((float) source.getPerEpoch().get(1).getTestAccuracy());
            assertThat(r.getParameters()).isEqualTo(source.getParameters());
        });
    }
}
