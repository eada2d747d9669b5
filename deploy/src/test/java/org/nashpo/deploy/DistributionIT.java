package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    private static List<String> opens;

    @BeforeAll
    static void startCluster() throws Exception {
        dist = Path.of(System.getProperty("nashpo.dist"));
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList();

        // A Spark home made of the distribution's Spark jars: what the workers start executors from,
        // and a bin/spark-submit that does what Spark's does (run SparkSubmit on those jars).
        sparkHome = base.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("bin"));
        Files.createSymbolicLink(sparkHome.resolve("jars"), dist.resolve("lib/spark"));
        Path submit = sparkHome.resolve("bin/spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nexec \"" + java() + "\" " + String.join(" ", opens)
                + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        executable(submit);

        Process master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", "0", "--webui-port", "0"), List.of());
        masterUrl = awaitLine(master, MASTER_URL).group(1);
        for (int w = 0; w < 2; w++) {
            Path script = base.resolve("gpus-" + w + ".sh");
            Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"" + w + "\"]}'\n");
            executable(script);
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
        assertThat(submit.exitValue()).as("bin/submit exit; its log:%n%s", tail(base.resolve("submit.log")))
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

    private static Process start(String name, List<String> mainAndArgs, List<String> jvmArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(opens);
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

    /** Reads the process's stderr (its log) until a line matches; the rest keeps draining in the background. */
    private static Matcher awaitLine(Process p, Pattern pattern) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            seen.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (err.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m;
            }
        }
        throw new IllegalStateException("process ended before \"" + pattern + "\"; it printed:\n" + String.join("\n", seen));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
