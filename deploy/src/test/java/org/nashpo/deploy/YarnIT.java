package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/submit yarn} as a cluster user runs it, against a real YARN: Hadoop's MiniYARNCluster (a
 * ResourceManager and two NodeManagers, in this JVM) over an in-process HDFS, configured as a GPU
 * cluster is: {@code yarn.io/gpu} a resource type, one GPU per NodeManager, the dominant-resource
 * calculator (so GPUs are scheduled, not only memory), physical-memory checks on (a container that
 * outgrows its size is killed). Executors find their GPU with the distribution's
 * conf/gpu-discovery.sh, which finds the node's (fake) nvidia-smi on the containers' PATH. The
 * driver runs in spark-submit's JVM (client mode, what bin/submit uses); the tiny spec's 16 runs land
 * on HDFS. Faults: the application killed and submitted again, a NodeManager lost mid-job (last: the
 * cluster has one NodeManager after it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnIT {

    private static final int RUNS = 16;
    private static final Pattern SUBMITTED = Pattern.compile("Submitted application (application_\\d+_\\d+)");
    private static final Pattern PROGRESS = Pattern.compile("construct: (\\d+)/" + RUNS + " runs done");

    @TempDir
    static Path base;
    private static Path dist;
    private static Path sparkHome;
    private static Path confDir;
    private static MiniDFSCluster hdfs;
    private static MiniYARNCluster yarn;
    private static YarnClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        dist = Path.of(System.getProperty("nashpo.dist"));
        Configuration dfsConf = new Configuration();
        dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
        hdfs.waitActive();

        // each node's NVIDIA driver: an nvidia-smi that lists one GPU, as gpu-discovery.sh asks it
        Path nodeBin = Files.createDirectories(base.resolve("node-bin"));
        Path smi = nodeBin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho 0\n");
        Processes.executable(smi);

        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", hdfs.getURI().toString());
        conf.set(YarnConfiguration.RESOURCE_TYPES, "yarn.io/gpu");
        conf.set(YarnConfiguration.NM_RESOURCES_PREFIX + "yarn.io/gpu", "1");
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
        conf.setInt(YarnConfiguration.NM_VCORES, 2);
        // containers as large as asked (a coarser minimum would round the too-small one up to what suffices)
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 32);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        // MiniYARNCluster turns the NodeManagers' memory monitor off unless told to leave it as configured
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_CONTROL_RESOURCE_MONITORING, true);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        // and leaves the check to cgroups' OOM killer while memory.enforced is true (its default): these NodeManagers
        // have no cgroups, so they poll each container's resident memory and kill one above its size
        conf.setBoolean(YarnConfiguration.NM_MEMORY_RESOURCE_ENFORCED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 500);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home") + ",PATH="
                + nodeBin + ":/usr/local/bin:/usr/bin:/bin");
        conf.setLong(YarnConfiguration.RM_NM_EXPIRY_INTERVAL_MS, 5_000);
        // capacity-scheduler.xml is not in hadoop-client-minicluster: one queue with all of the cluster
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        conf.set("yarn.scheduler.capacity.resource-calculator",
                "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator");
        yarn = new MiniYARNCluster("YarnIT", 2, 1, 1);
        yarn.init(conf);
        yarn.start();
        assertThat(yarn.waitForNodeManagersToConnect(60_000)).as("both NodeManagers registered").isTrue();

        // the client side's Hadoop configuration, as a cluster's gateway node has it
        confDir = Files.createDirectories(base.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        Files.writeString(confDir.resolve("core-site.xml"), "<?xml version=\"1.0\"?>\n<configuration>\n"
                + "  <property><name>fs.defaultFS</name><value>" + hdfs.getURI() + "</value></property>\n"
                + "</configuration>\n");
        sparkHome = Processes.sparkHome(base, dist);
        client = YarnClient.createYarnClient();
        client.init(yarn.getConfig());
        client.start();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (client != null) {
                client.stop();
            }
            if (yarn != null) {
                yarn.stop();
            }
        } finally {
            if (hdfs != null) {
                hdfs.shutdown();
            }
        }
    }

    @Test
    @Order(1)
    void submitYarnBuildsTheTinySpecOnTwoGpuNodesIntoHdfs() throws Exception {
        String output = hdfs.getURI() + "/nashpo/yarn";
        Submission s = Submission.start("happy", spec(output), Map.of());
        s.awaitExit();
        assertThat(s.exitCode()).as("bin/submit exit; its log:%n%s", s.log()).isZero();
        assertThat(s.stdout()).contains("\"trained\" : " + RUNS).contains("\"failed\" : 0");
        assertThat(s.log()).doesNotContainIgnoringCase("physical memory");

        List<GenericRecord> runs = exactlyOnce(output);
        // both NodeManagers' executors trained, each run on the GPU its node offered
        assertThat(runs.stream().map(r -> provenance(r, "executorId")).distinct()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runs).allSatisfy(r -> assertThat(provenance(r, "assignedGpu")).isEqualTo("0"));
        // YARN scheduled the GPUs: the application is charged GPU-seconds
        ApplicationReport app = client.getApplicationReport(s.applicationId());
        assertThat(app.getApplicationResourceUsageReport().getResourceSecondsMap()).containsKey("yarn.io/gpu");
        assertThat(app.getApplicationResourceUsageReport().getResourceSecondsMap().get("yarn.io/gpu")).isPositive();
    }

    @Test
    @Order(2)
    void anApplicationKilledMidJobAndSubmittedAgainTrainsOnlyWhatIsMissing() throws Exception {
        String output = hdfs.getURI() + "/nashpo/killed";
        Submission first = Submission.start("killed", spec(output), Map.of());
        int done = first.awaitProgress(2);
        client.killApplication(first.applicationId());
        first.awaitExit();
        assertThat(first.exitCode()).as("the killed application's bin/submit").isNotZero();
        int published = published(output).size();
        assertThat(published).isBetween(done, RUNS - 1);

        Submission again = Submission.start("again", spec(output), Map.of());
        again.awaitExit();
        assertThat(again.exitCode()).as("bin/submit exit; its log:%n%s", again.log()).isZero();
        assertThat(again.stdout()).contains("\"skippedAlreadyPresent\" : " + published).contains("\"trained\" : " + (RUNS - published))
                .contains("\"failed\" : 0");
        exactlyOnce(output);
    }

    @Test
    @Order(3)
    void anOverheadTooSmallForTheEngineGetsExecutorsKilledByYarn() throws Exception {
        String output = hdfs.getURI() + "/nashpo/small";
        // the container then holds the heap and 32 MB, less than the JVM and ND4J need beside it; the executors commit
        // and touch their whole heap at start (as a long-running one ends up doing), so they outgrow it at once
        try (NodeManagerLog nm = new NodeManagerLog()) {
            Submission s = Submission.start("small", spec(output), Map.of("NASHPO_EXTRA_CONF",
                    "--conf spark.executor.memoryOverhead=32m"
                            + " --conf spark.executor.defaultJavaOptions=-Xms512m"
                            + " --conf spark.executorEnv.JAVA_TOOL_OPTIONS=-XX:+AlwaysPreTouch"));
            ApplicationId app = s.applicationId();
            // the NodeManagers' own word: this application's containers killed for their resident memory (Spark asks
            // for new ones each time, so the application itself is ended here)
            List<String> kills = nm.awaitKills(app, 2);
            client.killApplication(app);
            s.awaitExit();
            assertThat(kills).allSatisfy(line -> assertThat(line).contains("beyond the 'PHYSICAL' memory limit")
                    .contains("of 544 MB physical memory used").contains("Killing container"));
            assertThat(published(output)).as("no run finished in a container too small for it").isEmpty();
        }
    }

    @Test
    @Order(4)
    void aNodeManagerLostMidJobLosesAndDuplicatesNothing() throws Exception {
        String output = hdfs.getURI() + "/nashpo/lost";
        Submission s = Submission.start("lost", spec(output), Map.of());
        s.awaitProgress(1);
        // stop the NodeManager that does not hold the application master: its executor and its runs in flight go
        NodeId am = client.getContainerReport(client.getApplicationAttemptReport(
                client.getApplicationReport(s.applicationId()).getCurrentApplicationAttemptId()).getAMContainerId())
                .getAssignedNode();
        int victim = yarn.getNodeManager(0).getNMContext().getNodeId().equals(am) ? 1 : 0;
        yarn.getNodeManager(victim).stop();
        s.awaitExit();
        assertThat(s.exitCode()).as("bin/submit exit; its log:%n%s", s.log()).isZero();
        assertThat(s.stdout()).contains("\"failed\" : 0");
        exactlyOnce(output);
    }

    /** The distribution's tiny spec (16 runs) with the repository's data and an HDFS output. */
    private static Path spec(String output) throws IOException {
        Path data = Path.of(System.getProperty("nashpo.miniData"));
        Path spec = Files.createTempFile(base, "tiny-", ".yaml");
        Files.writeString(spec, Files.readString(dist.resolve("examples/tiny.yaml"))
                .replace("uri: ../data/cifar-10-mini", "uri: " + data)
                .replace("output: ../target/tiny-runs", "output: " + output));
        return spec;
    }

    /** Every run published once: one file per key, every key of the spec, read back as records. */
    private static List<GenericRecord> exactlyOnce(String output) throws IOException {
        List<GenericRecord> runs = published(output);
        assertThat(runs).hasSize(RUNS);
        assertThat(runs.stream().map(r -> String.valueOf(r.get("key"))).distinct()).hasSize(RUNS);
        return runs;
    }

    private static List<GenericRecord> published(String output) throws IOException {
        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        List<GenericRecord> runs = new ArrayList<>();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(output + "/runs");
        if (!fs.exists(dir)) {
            return runs;
        }
        for (FileStatus f : fs.listStatus(dir)) {
            try (var in = fs.open(f.getPath());
                    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                records.forEach(runs::add);
            }
        }
        return runs;
    }

    private static String provenance(GenericRecord run, String field) {
        return String.valueOf(((GenericRecord) run.get("provenance")).get(field));
    }

    /**
     * One {@code bin/submit yarn ... construct} run, as a user starts it. Its stderr (the driver's log
     * and progress) is read as it comes; waiting for progress blocks on those lines, never on a clock.
     */
    private static final class Submission {
        private final Process process;
        private final Path logFile;
        private final List<String> log = new ArrayList<>();
        private final Thread stdoutReader;
        private final Thread stderrReader;
        private volatile String stdout = "";
        private boolean ended;

        private Submission(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
            this.stdoutReader = new Thread(() -> {
                try {
                    stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    // the process ended
                }
            });
            this.stderrReader = new Thread(() -> {
                try (var lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        synchronized (this) {
                            log.add(line);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                } finally {
                    synchronized (this) {
                        ended = true;
                        notifyAll();
                    }
                }
            });
            stdoutReader.setDaemon(true);
            stderrReader.setDaemon(true);
            stdoutReader.start();
            stderrReader.start();
        }

        /** {@code extra.NASHPO_EXTRA_CONF} adds spark-submit options after the cluster's. */
        static Submission start(String label, Path spec, Map<String, String> extra) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/submit").toString(), "yarn", "yarn", "construct",
                    "--spec", spec.toString(), "--json");
            Map<String, String> env = pb.environment();
            env.put("SPARK_HOME", sparkHome.toString());
            env.put("HADOOP_CONF_DIR", confDir.toString());
            env.put("NASHPO_EXECUTORS", "2");
            env.put("NASHPO_CORES_PER_TASK", "1");
            env.put("NASHPO_EXECUTOR_MEMORY", "512m");
            env.put("NASHPO_RUN_OFFHEAP", "512m");
            env.put("NASHPO_JVM_NATIVE", "768m");
            Map<String, String> own = new HashMap<>(extra);
            // what a cluster's spark-defaults.conf would say: Spark's jars are on every node already
            env.put("NASHPO_SPARK_CONF", "--conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false"
                    + " --conf spark.yarn.am.memory=384m"
                    + " --conf spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*"
                    + " " + own.getOrDefault("NASHPO_EXTRA_CONF", ""));
            own.remove("NASHPO_EXTRA_CONF");
            env.putAll(own);
            return new Submission(pb.start(), base.resolve("submit-" + label + ".log"));
        }

        /** The YARN application spark-submit created, as its log names it ("Submitted application ..."). */
        synchronized ApplicationId applicationId() throws InterruptedException, IOException {
            for (int seen = 0; ; ) {
                for (; seen < log.size(); seen++) {
                    var m = SUBMITTED.matcher(log.get(seen));
                    if (m.find()) {
                        return ApplicationId.fromString(m.group(1));
                    }
                }
                if (ended) {
                    throw new AssertionError("bin/submit ended before submitting an application; its log:\n" + log());
                }
                wait();
            }
        }

        /** Waits for the driver's progress line saying at least {@code runs} runs are done; returns how many. */
        synchronized int awaitProgress(int runs) throws InterruptedException, IOException {
            for (int seen = 0; ; ) {
                for (; seen < log.size(); seen++) {
                    var m = PROGRESS.matcher(log.get(seen));
                    if (m.find() && Integer.parseInt(m.group(1)) >= runs) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                if (ended) {
                    throw new AssertionError("bin/submit ended before " + runs + " runs were done; its log:\n" + log());
                }
                wait();
            }
        }

        void awaitExit() throws InterruptedException {
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("bin/submit ended").isTrue();
            stdoutReader.join();
            stderrReader.join();
        }

        int exitCode() {
            return process.exitValue();
        }

        String stdout() {
            return stdout;
        }

        /** The log so far, also written to submit-LABEL.log under the test's directory. */
        synchronized String log() throws IOException {
            String text = String.join("\n", log);
            Files.writeString(logFile, text);
            return text;
        }
    }

    /** What the NodeManagers' container monitor reports while open: its warnings, kept here instead of logged. */
    private static final class NodeManagerLog implements AutoCloseable {
        private static final String MONITOR =
                "org.apache.hadoop.yarn.server.nodemanager.containermanager.monitor.ContainersMonitorImpl";
        private final List<String> lines = new ArrayList<>();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final AbstractAppender appender = new AbstractAppender("yarn-it-monitor", null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (NodeManagerLog.this) {
                    lines.add(event.getMessage().getFormattedMessage());
                    NodeManagerLog.this.notifyAll();
                }
            }
        };

        NodeManagerLog() {
            appender.start();
            LoggerConfig own = new LoggerConfig(MONITOR, Level.WARN, false);
            own.addAppender(appender, Level.WARN, null);
            context.getConfiguration().addLogger(MONITOR, own);
            context.updateLoggers();
        }

        /** Waits until the monitor has killed {@code count} containers of {@code app}; returns its lines saying so. */
        synchronized List<String> awaitKills(ApplicationId app, int count) throws InterruptedException {
            String containers = "container_" + app.getClusterTimestamp() + "_" + String.format("%04d", app.getId());
            while (true) {
                List<String> kills = lines.stream().filter(l -> l.contains(containers) && l.contains("Killing container"))
                        .toList();
                if (kills.size() >= count) {
                    return kills;
                }
                wait();
            }
        }

        @Override
        public void close() {
            context.getConfiguration().removeLogger(MONITOR);
            context.updateLoggers();
            appender.stop();
        }
    }
}
