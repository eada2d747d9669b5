package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a cluster user runs it: a Spark standalone master and two workers, each its
 * own process on localhost (Spark's own Master and Worker, from the distribution's lib/spark), the
 * construct job submitted with the distribution's {@code bin/submit standalone} through
 * spark-submit, reading the repository's CIFAR-10 subset and writing to an in-process HDFS. The
 * workers find one fake GPU each through a discovery script, as real ones would through
 * conf/gpu-discovery.sh.
 */
class DistributionIT {

    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    @TempDir
    static Path base;
    private static Path dist;
    private static MiniDFSCluster hdfs;
    private static final List<Process> cluster = new ArrayList<>();
    private static String masterUrl;
    private static Path sparkHome;

    @BeforeAll
    static void startCluster() throws Exception {
        dist = Path.of(System.getProperty("nashpo.dist"));
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        sparkHome = Processes.sparkHome(base, dist);

        Process master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", "0", "--webui-port", "0"), List.of());
        masterUrl = awaitLine(master, MASTER_URL).group(1);
        for (int w = 0; w < 2; w++) {
            Path script = base.resolve("gpus-" + w + ".sh");
            Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"" + w + "\"]}'\n");
            Processes.executable(script);
            Process worker = start("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "2g", "--webui-port", "0",
                    "--work-dir", base.resolve("work-" + w).toString(), masterUrl),
                    List.of("-Dspark.worker.resource.gpu.amount=1",
                            "-Dspark.worker.resource.gpu.discoveryScript=" + script));
            awaitLine(worker, Pattern.compile("Successfully registered with master"));
        }
    }

    @AfterAll
    static void stopCluster() {
        try {
            for (Process p : cluster) {
                p.destroy();
            }
            for (Process p : cluster) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (hdfs != null) {
                hdfs.shutdown();
            }
        }
    }

    @Test
    void submitStandaloneBuildsTheTinySpecOnTwoWorkersIntoHdfs() throws Exception {
        String output = hdfs.getURI() + "/nashpo/tiny";
        Path spec = base.resolve("tiny.yaml");
        Path data = Path.of(System.getProperty("nashpo.miniData"));
        Files.writeString(spec, Files.readString(dist.resolve("examples/tiny.yaml"))
                .replace("uri: ../data/cifar-10-mini", "uri: " + data)
                .replace("output: ../target/tiny-runs", "output: " + output));

        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/submit").toString(), "standalone", masterUrl,
                "construct", "--spec", spec.toString(), "--json");
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("NASHPO_CORES_PER_TASK", "1");
        pb.environment().put("NASHPO_EXECUTOR_MEMORY", "1g");
        pb.environment().put("NASHPO_SPARK_CONF", "--conf spark.driver.host=127.0.0.1");
        pb.redirectError(base.resolve("submit.log").toFile());
        Process submit = pb.start();
        String stdout = new String(submit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(submit.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(submit.exitValue()).as("bin/submit exit; its log:%n%s", Processes.tail(base.resolve("submit.log")))
                .isZero();
        assertThat(stdout).contains("\"trained\" : 16").contains("\"failed\" : 0");

        // 16 run files on HDFS, trained on both workers' executors, each on the GPU its worker found
        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        List<GenericRecord> runs = new ArrayList<>();
        for (FileStatus f : fs.listStatus(new org.apache.hadoop.fs.Path(output + "/runs"))) {
            try (var in = fs.open(f.getPath());
                    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                records.forEach(runs::add);
            }
        }
        assertThat(runs).hasSize(16);
        List<String> executors = runs.stream()
                .map(r -> String.valueOf(((GenericRecord) r.get("provenance")).get("executorId"))).distinct().toList();
        assertThat(executors).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runs).allSatisfy(r -> assertThat(String.valueOf(((GenericRecord) r.get("provenance")).get("assignedGpu")))
                .isIn("0", "1"));
    }

    private static Matcher awaitLine(Process p, Pattern pattern) throws IOException {
        return Processes.awaitLine(p.getErrorStream(), pattern);
    }

    private static Process start(String name, List<String> mainAndArgs, List<String> jvmArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Processes.java()));
        command.addAll(Processes.opens());
        command.addAll(jvmArgs);
        command.addAll(List.of("-Xmx512m", "-cp", dist.resolve("lib/spark").toString() + "/*"));
        command.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(base.resolve(name + ".out").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        Process p = pb.start();
        cluster.add(p);
        return p;
    }
}
