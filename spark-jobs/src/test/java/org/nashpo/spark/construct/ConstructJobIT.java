package org.nashpo.spark.construct;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunStore;
import org.nashpo.worker.train.TrainingSets;
import org.nashpo.spark.testing.MiniHdfs;

/** The construct job on Spark local[2], writing to an in-process HDFS through hdfs:// URIs. */
class ConstructJobIT {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);
    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;
    private static JavaSparkContext sc;
    private static org.nashpo.core.run.TrainingProtocol protocol;
    private static String data;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(base);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("ConstructJobIT")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.hadoop.fs.defaultFS", hdfs.getURI().toString()));
        data = System.getProperty("nashpo.miniData");
        protocol = TrainingSets.load(TrainingSets.open(data), new Subset(64, 32, 32), TINY).protocol();
    }

    @AfterAll
    static void stop() throws Exception {
        MiniHdfs.stop(sc, hdfs);
    }

    private static List<RunKey> keys(List<String> cells, List<Integer> seeds) {
        List<RunKey> keys = new ArrayList<>();
        for (String c : cells) {
            for (int seed : seeds) {
                keys.add(RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(c), 0.05, 32), seed, 1));
            }
        }
        return keys;
    }

    private static ConstructPlan plan(String output, List<RunKey> keys) {
        return new ConstructPlan(output, data, protocol, keys, "spec-hash", 1, ConstructJob.hadoopProperties(sc.getConf()));
    }

    private static List<String> names(String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = p.getFileSystem(hdfs.getConfiguration(0));
        List<String> names = new ArrayList<>();
        if (fs.exists(p)) {
            for (FileStatus f : fs.listStatus(p)) {
                names.add(f.getPath().getName());
            }
        }
        return names;
    }

    private static final class Recorder implements Progress {
        final List<Integer> done = new ArrayList<>();
        long diverged;
        int alreadyDone = -1;

        @Override
        public void planned(int runs, int alreadyDone, List<String> unreadable) {
            this.alreadyDone = alreadyDone;
        }

        @Override
        public synchronized void update(int done, int total, long diverged, long failed, double runsPerHour,
                double etaSeconds) {
            this.done.add(done);
            this.diverged = diverged;
            assertThat(runsPerHour).isPositive();
        }
    }

    @Test
    void trainsWhatIsMissingOnlyAndPublishesEveryRunOnce() throws IOException {
        String output = hdfs.getURI() + "/construct/a";
        List<RunKey> first = keys(List.of("0|10|210", "3|33|333", "0|03|323"), List.of(222));
        Recorder progress = new Recorder();
        ConstructJob.Summary s1 = ConstructJob.run(sc, plan(output, first), CostModel.UNCALIBRATED, progress);
        assertThat(s1.trained()).isEqualTo(3);
        assertThat(s1.completed()).isEqualTo(3);
        assertThat(s1.skipped()).isZero();
        assertThat(progress.done).containsExactly(1, 2, 3);
        assertThat(names(output + "/runs")).hasSize(3);

        ConstructJob.Summary again = ConstructJob.run(sc, plan(output, first), CostModel.UNCALIBRATED, new Recorder());
        assertThat(again.trained()).isZero();
        assertThat(again.skipped()).isEqualTo(3);

        List<RunKey> extended = keys(List.of("0|10|210", "3|33|333", "0|03|323"), List.of(222, 555));
        ConstructJob.Summary s3 = ConstructJob.run(sc, plan(output, extended), CostModel.UNCALIBRATED, new Recorder());
        assertThat(s3.trained()).isEqualTo(3);
        assertThat(s3.skipped()).isEqualTo(3);

        RunStore.Scan scan = new RunStore(URI.create(output), hdfs.getConfiguration(0)).scan(4);
        assertThat(scan.runs().keySet()).containsExactlyInAnyOrderElementsOf(extended);
        assertThat(scan.unreadable()).isEmpty();
        Set<String> devices = new HashSet<>();
        scan.runs().values().forEach(r -> devices.add(r.getProvenance().getDevice()));
        assertThat(devices).containsExactly("cpu");
        assertThat(scan.runs().values()).allSatisfy(r -> assertThat(r.getProvenance().getExecutorId()).isNotNull());
        // published by rename, each attempt's directory removed with it, then the empty staging directory
        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(output + "/" + RunStore.STAGING))).isFalse();
        assertThat(names(output)).containsExactly(RunStore.RUNS);
    }

    @Test
    void aDivergedRunIsAResultCountedOnceNotAFailureToRetry() {
        String output = hdfs.getURI() + "/construct/diverge";
        RunKey exploding = RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"), 1e9, 32), 222, 2);
        RunKey fine = keys(List.of("0|10|210"), List.of(222)).get(0);
        Recorder progress = new Recorder();
        ConstructJob.Summary s = ConstructJob.run(sc, plan(output, List.of(exploding, fine)), CostModel.UNCALIBRATED,
                progress);
        assertThat(s.trained()).isEqualTo(2);
        assertThat(s.diverged()).isEqualTo(1);
        assertThat(s.completed()).isEqualTo(1);
        assertThat(s.failed()).isZero();
        assertThat(progress.diverged).as("the progress counts it").isEqualTo(1);
        TrainingRun run = new RunStore(URI.create(output), hdfs.getConfiguration(0)).scan(2).runs().get(exploding);
        assertThat(run.getStatus()).isEqualTo(RunStatus.DIVERGED);
        assertThat(run.getStatusReason()).contains("loss became");
        // a result: the next construct does not train it again
        ConstructJob.Summary again = ConstructJob.run(sc, plan(output, List.of(exploding, fine)), CostModel.UNCALIBRATED,
                new Recorder());
        assertThat(again.trained()).isZero();
        assertThat(again.skipped()).isEqualTo(2);
    }

    @Test
    void aTruncatedRunFileIsReportedKeptAndItsRunTrainedAgain() throws IOException {
        String output = hdfs.getURI() + "/construct/b";
        List<RunKey> keys = keys(List.of("0|10|210", "3|33|333"), List.of(222));
        ConstructJob.run(sc, plan(output, keys), CostModel.UNCALIBRATED, new Recorder());

        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        org.apache.hadoop.fs.Path victim = new org.apache.hadoop.fs.Path(output + "/runs/" + keys.get(0).id() + ".avro");
        byte[] bytes;
        try (var in = fs.open(victim)) {
            bytes = in.readAllBytes();
        }
        try (FSDataOutputStream out = fs.create(victim, true)) {
            out.write(bytes, 0, bytes.length - 30);
        }
        try (FSDataOutputStream stray = fs.create(new org.apache.hadoop.fs.Path(output + "/_staging/old-attempt/x.avro"))) {
            stray.write(new byte[] {1, 2, 3});
        }

        ConstructJob.Summary s = ConstructJob.run(sc, plan(output, keys), CostModel.UNCALIBRATED, new Recorder());
        assertThat(s.unreadable()).hasSize(1);
        assertThat(s.unreadable().get(0)).contains(keys.get(0).id());
        assertThat(s.trained()).isEqualTo(1);
        assertThat(s.skipped()).isEqualTo(1);
        RunStore.Scan scan = new RunStore(URI.create(output), hdfs.getConfiguration(0)).scan(2);
        assertThat(scan.runs().keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(scan.unreadable()).isEmpty();
        // a stray left by an attempt of an earlier job is not this job's to delete
        assertThat(names(output + "/" + RunStore.STAGING)).containsExactly("old-attempt");
        assertThat(names(output + "/" + RunStore.STAGING + "/old-attempt")).containsExactly("x.avro");
        // the damaged file was moved aside, not deleted
        assertThat(names(output + "/" + RunStore.UNREADABLE)).singleElement()
                .satisfies(n -> assertThat(n).startsWith(keys.get(0).id()));
    }
}
