package org.nashpo.spark.construct;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.schema.RunStatus;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunStore;
import org.nashpo.worker.train.TrainingSets;

/**
 * Faults in tasks: a task whose first attempt throws is retried by Spark and its run published
 * once; a task that fails every attempt becomes a FAILED record, and the next construct retrains
 * it. Runs lost = 0 and runs duplicated = 0 in both.
 */
class RetryIT {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);
    /** Where Spark reports a failed task attempt: the executor's stack trace, the driver's "Lost task". */
    private static final String[] TASK_LOGGERS = {"org.apache.spark.executor.Executor",
        "org.apache.spark.scheduler.TaskSetManager"};

    @Test
    void aTaskFailingItsFirstAttemptIsRetriedAndPublishedOnce(@TempDir Path dir) {
        String mini = System.getProperty("nashpo.miniData");
        TrainingProtocol protocol = TrainingSets.load(TrainingSets.open(mini), new Subset(64, 32, 16), TINY).protocol();
        List<RunKey> keys = List.of(
                RunKey.of(protocol, new org.nashpo.core.grid.Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 222, 1),
                RunKey.of(protocol, new org.nashpo.core.grid.Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 555, 1));
        String output = dir.resolve("out").toUri().toString();
        ConstructPlan flaky = new ConstructPlan(output, "flaky://" + mini, protocol, keys, "h", 1, java.util.Map.of());
        // its own subset (so no other test's data is cached in this JVM): the first load's first open fails
        FlakyFileSystem.FAILURES.set(1);
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[1,2]").setAppName("RetryIT")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
                CapturedLog log = CapturedLog.of(TASK_LOGGERS)) {
            ConstructJob.Summary s = ConstructJob.run(sc, flaky, CostModel.UNCALIBRATED, new NoProgress());
            assertThat(FlakyFileSystem.FAILURES.get()).isZero();
            // the injected failure is what Spark reported, once, on the executor and on the driver
            assertThat(log.entries()).filteredOn(e -> e.text().contains("injected failure")).hasSize(2)
                    .extracting(CapturedLog.Entry::logger).containsExactlyInAnyOrder(TASK_LOGGERS);
            assertThat(s.trained()).isEqualTo(2);
            assertThat(s.completed()).isEqualTo(2);
            assertThat(s.failed()).isZero();
        }
        RunStore.Scan scan = new RunStore(URI.create(output), new org.apache.hadoop.conf.Configuration()).scan(2);
        assertThat(scan.runs().keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(scan.runs().values()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(RunStatus.COMPLETED));
    }

    @Test
    void aTaskFailingEveryAttemptIsAFailedRecordAndTrainedAgainNextTime(@TempDir Path dir) {
        String mini = System.getProperty("nashpo.miniData");
        TrainingProtocol protocol = TrainingSets.load(TrainingSets.open(mini), new Subset(64, 32, 32), TINY).protocol();
        List<RunKey> keys = List.of(
                RunKey.of(protocol, new org.nashpo.core.grid.Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 888, 1));
        String output = dir.resolve("out").toUri().toString();
        ConstructPlan plan = new ConstructPlan(output, "flaky://" + mini, protocol, keys, "h", 1, java.util.Map.of());
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[1,2]").setAppName("RetryIT")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
                CapturedLog log = CapturedLog.of(TASK_LOGGERS)) {
            FlakyFileSystem.FAILURES.set(1_000);
            ConstructJob.Summary failed = ConstructJob.run(sc, plan, CostModel.UNCALIBRATED, new NoProgress());
            assertThat(failed.failed()).isEqualTo(1);
            // the first attempt's failure reached Spark (which retried); the last one became the FAILED record
            assertThat(log.entries()).filteredOn(e -> e.text().contains("injected failure")).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.logger()).isIn((Object[]) TASK_LOGGERS));
            RunStore store = new RunStore(URI.create(output), new org.apache.hadoop.conf.Configuration());
            var record = store.scan(1).runs().get(keys.get(0));
            assertThat(record.getStatus()).isEqualTo(RunStatus.FAILED);
            assertThat(record.getStatusReason()).contains("attempt 2 of 2").contains("injected failure");

            FlakyFileSystem.FAILURES.set(0);
            ConstructJob.Summary retried = ConstructJob.run(sc, plan, CostModel.UNCALIBRATED, new NoProgress());
            assertThat(retried.trained()).isEqualTo(1);
            assertThat(retried.completed()).isEqualTo(1);
            assertThat(store.scan(1).runs().get(keys.get(0)).getStatus()).isEqualTo(RunStatus.COMPLETED);
        } finally {
            FlakyFileSystem.FAILURES.set(0);
        }
    }

    private static final class NoProgress implements Progress {
        @Override
        public void planned(int runs, int alreadyDone, List<String> unreadable) {
        }

        @Override
        public void update(int done, int total, long diverged, long failed, double runsPerHour, double etaSeconds) {
        }
    }
}
