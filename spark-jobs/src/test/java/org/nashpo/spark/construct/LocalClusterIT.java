package org.nashpo.spark.construct;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunStore;
import org.nashpo.worker.train.TrainingSets;
import org.nashpo.spark.testing.MiniHdfs;

/**
 * The construct job on {@code local-cluster[2,1,2048]}: a standalone master and two workers in
 * this JVM, each launching its executor as a separate JVM, as on a real cluster; runs are written
 * to an in-process HDFS. The workers find fake GPUs through a discovery script.
 */
class LocalClusterIT {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);
    private static final List<String> CELLS = List.of("0|10|210", "3|33|333", "0|03|323", "2|21|102", "1|01|011",
            "0|00|000");
    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;
    private static JavaSparkContext sc;
    private static TrainingProtocol protocol;
    private static String data;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(base);

        // the Spark home the failsafe configuration names: workers look for its jars/ directory;
        // executors get this JVM's class path instead
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        Path script = base.resolve("gpu/discover-fake-gpus.sh");
        Files.createDirectories(script.getParent());
        try (InputStream in = LocalClusterIT.class.getResourceAsStream("/gpu/discover-fake-gpus.sh")) {
            Files.copy(in, script);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
                .collect(Collectors.joining(" "));
        data = System.getProperty("nashpo.miniData");

        sc = new JavaSparkContext(new SparkConf().setMaster("local-cluster[2,1,2048]").setAppName("LocalClusterIT")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.memory", "1536m")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", opens + " -Dnashpo.miniData=" + data)
                .set("spark.worker.resource.gpu.amount", "2")
                .set("spark.worker.resource.gpu.discoveryScript", script.toString())
                .set("spark.executor.resource.gpu.amount", "2")
                .set("spark.task.resource.gpu.amount", "1")
                .set("spark.task.maxFailures", "4")
                .set("spark.hadoop.fs.defaultFS", hdfs.getURI().toString()));
        protocol = TrainingSets.load(TrainingSets.open(data), new Subset(64, 32, 32), TINY).protocol();
    }

    @AfterAll
    static void stop() throws Exception {
        MiniHdfs.stop(sc, hdfs);
    }

    private static List<RunKey> keys(int seed) {
        List<RunKey> keys = new ArrayList<>();
        for (String c : CELLS) {
            keys.add(RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(c), 0.05, 32), seed, 1));
        }
        return keys;
    }

    private static ConstructPlan plan(String output, List<RunKey> keys) {
        return new ConstructPlan(output, data, protocol, keys, "spec-hash", 1, ConstructJob.hadoopProperties(sc.getConf()));
    }

    private static Map<RunKey, TrainingRun> published(String output) {
        RunStore.Scan scan = new RunStore(URI.create(output), hdfs.getConfiguration(0)).scan(4);
        assertThat(scan.unreadable()).isEmpty();
        return scan.runs();
    }

    @Test
    void everyTaskRecordsTheGpuItWasGivenAndConcurrentTasksNeverShareOne() {
        String output = hdfs.getURI() + "/cluster/gpus";
        List<RunKey> keys = keys(222);
        ConstructJob.Summary s = ConstructJob.run(sc, plan(output, keys), CostModel.UNCALIBRATED, Progress.NONE);
        assertThat(s.completed()).isEqualTo(keys.size());

        Map<RunKey, TrainingRun> runs = published(output);
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        // what each task was given, as the driver saw it, is what its record says
        Map<String, String> given = new HashMap<>();
        s.results().forEach(r -> given.put(r.runId(), r.gpuAddress()));
        Map<String, Set<String>> byExecutor = new HashMap<>();
        for (var e : runs.entrySet()) {
            var p = e.getValue().getProvenance();
            assertThat(p.getAssignedGpu()).as("run %s", e.getKey().id()).isIn("0", "1", "2", "3")
                    .isEqualTo(given.get(e.getKey().id()));
            assertThat(p.getDevice()).isEqualTo("cpu"); // a CPU build says where it ran, and what it was given
            byExecutor.computeIfAbsent(p.getExecutorId(), x -> new TreeSet<>()).add(p.getAssignedGpu());
        }
        // two executor JVMs, each only ever handing out the GPUs its worker discovered
        assertThat(byExecutor).hasSize(2);
        assertThat(byExecutor.values()).allSatisfy(a -> assertThat(Set.of(Set.of("0", "1"), Set.of("2", "3")))
                .anySatisfy(pair -> assertThat(pair).containsAll(a)));
    }

    /**
     * Kills an executor JVM while it trains: on the first finished run, the executor still
     * training another is killed (SIGKILL); the standalone worker starts a new executor and Spark
     * runs the lost task again.
     */
    @Test
    void anExecutorKilledInTheMiddleOfARunLosesAndDuplicatesNothing() {
        String output = hdfs.getURI() + "/cluster/kill";
        List<RunKey> keys = keys(555);
        ExecutorKiller killer = new ExecutorKiller();
        sc.sc().addSparkListener(killer);
        ConstructJob.Summary s;
        try (CapturedLog log = CapturedLog.of("org.apache.spark.scheduler.TaskSchedulerImpl",
                "org.apache.spark.scheduler.TaskSetManager")) {
            s = ConstructJob.run(sc, plan(output, keys), CostModel.UNCALIBRATED, Progress.NONE);
            // the driver reported the kill as a lost executor and a lost task, not as a failure of the job
            assertThat(log.entries()).anySatisfy(e -> assertThat(e.text()).contains("Lost executor"));
            assertThat(log.entries()).anySatisfy(e -> assertThat(e.text()).contains("ExecutorLostFailure"));
        } finally {
            sc.sc().removeSparkListener(killer);
        }
        assertThat(killer.killed).as("an executor was killed during a run").isNotEmpty();
        assertThat(killer.lost).as("Spark saw a task lost with its executor").isNotEmpty();
        assertThat(s.failed()).isZero();
        assertThat(s.completed()).isEqualTo(keys.size());

        Map<RunKey, TrainingRun> runs = published(output);
        // runs lost = 0, runs duplicated = 0: every key published exactly once, one file each
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(s.results().stream().filter(TaskResult::published).map(TaskResult::runId))
                .doesNotHaveDuplicates().hasSize(keys.size());
    }

    /** Kills, once, an executor that is in the middle of a run. */
    private static final class ExecutorKiller extends SparkListener {
        final Map<Long, String> running = new ConcurrentHashMap<>();
        final List<String> killed = new CopyOnWriteArrayList<>();
        final List<String> lost = new CopyOnWriteArrayList<>();

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            running.put(start.taskInfo().taskId(), start.taskInfo().executorId());
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            running.remove(end.taskInfo().taskId());
            if (end.reason() instanceof ExecutorLostFailure) {
                lost.add(end.taskInfo().executorId());
            }
            if (end.reason() != Success$.MODULE$ || !killed.isEmpty()) {
                return;
            }
            running.values().stream().filter(e -> !e.equals(end.taskInfo().executorId())).findFirst()
                    .ifPresent(this::kill);
        }

        private void kill(String executorId) {
            List<ProcessHandle> jvms = ProcessHandle.allProcesses()
                    .filter(p -> {
                        String c = commandLine(p);
                        return c.contains("CoarseGrainedExecutorBackend") && c.contains(" --executor-id " + executorId + " ");
                    })
                    .toList();
            assertThat(jvms).as("executor %s's JVM", executorId).hasSize(1);
            jvms.get(0).destroyForcibly();
            killed.add(executorId);
        }

        /** The whole command line (ProcessHandle.Info shortens long ones), or "" if unreadable. */
        private static String commandLine(ProcessHandle p) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
