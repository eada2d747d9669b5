package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code bin/nashpo construct} of the tiny example on one output, as a user starts them (a job
 * resubmitted while the first still runs): between them they train each run once, and the output ends
 * with each run once and nothing else, no staging, no lease. On a local disk started together, as the
 * trouble was first seen; on HDFS the second once the first has trained a run, so that the first is sure
 * to be training when the second asks, and the second is refused naming it.
 */
class TwoDriversIT {

    private static final int RUNS = 16;

    @TempDir
    static Path base;
    private static Path dist;
    private static MiniDFSCluster hdfs;

    @BeforeAll
    static void startHdfs() throws IOException {
        dist = Path.of(System.getProperty("nashpo.dist"));
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void twoConstructsStartedTogetherOnALocalDiskTrainEachRunOnce() throws Exception {
        String output = base.resolve("local-out").toUri().toString();
        Path spec = spec("together", output, 1);
        Driver first = Driver.start(spec, "together-0");
        Driver second = Driver.start(spec, "together-1");
        first.awaitExit();
        second.awaitExit();

        int trained = 0;
        for (Driver d : List.of(first, second)) {
            Driver other = d == first ? second : first;
            if (d.exitCode() == 0) {
                trained += d.summary().get("trained").asInt();
                assertThat(d.summary().get("failed").asInt()).isZero();
            } else {
                assertThat(d.exitCode()).as("refused; its log:%n%s", d.log()).isEqualTo(1);
                assertThat(d.log()).contains(" is being built by another construct: nashpo construct together, pid "
                        + other.pid() + " on ");
            }
        }
        assertThat(trained).as("the runs the two drivers trained between them").isEqualTo(RUNS);
        onlyEachRunOnce(output);
    }

    @Test
    void aConstructStartedWhileAnotherTrainsOnHdfsIsRefusedNamingIt() throws Exception {
        String output = hdfs.getURI() + "/nashpo/two-drivers";
        // twelve epochs: the runs the first has left last long enough for the second to start, ask, and see the
        // lease renewed (every 5 s) — two epochs once did, until the engine got faster
        Path spec = spec("refused", output, 12);
        Driver first = Driver.start(spec, "refused-0");
        first.awaitLine(Pattern.compile("construct: [1-9]\\d*/" + RUNS + " runs done"));
        Driver second = Driver.start(spec, "refused-1");
        second.awaitExit();
        first.awaitExit();

        assertThat(first.exitCode()).as("the first finished; its log:%n%s", first.log()).isZero();
        assertThat(first.summary().get("trained").asInt()).isEqualTo(RUNS);
        assertThat(second.exitCode()).as("the second was refused; its log:%n%s", second.log()).isEqualTo(1);
        assertThat(second.stdout()).as("it trained nothing, so it reports nothing").isEmpty();
        assertThat(second.log()).contains(" is leased to nashpo construct refused, pid " + first.pid() + " on ")
                .contains("watching for up to 60 s whether it is alive")
                .contains("nashpo construct: ").contains(" is being built by another construct: nashpo construct "
                        + "refused, pid " + first.pid() + " on ")
                .doesNotContain("runs done").doesNotContain("Exception");
        onlyEachRunOnce(output);
    }

    /** Each run once, and nothing else left in the output: no staging, no lease, no checksum litter. */
    private static void onlyEachRunOnce(String output) throws IOException {
        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        List<String> everything = new ArrayList<>();
        for (FileStatus top : raw.listStatus(new org.apache.hadoop.fs.Path(output))) {
            everything.add(top.getPath().getName());
        }
        assertThat(everything).containsExactly("runs");
        List<String> keys = new ArrayList<>();
        for (FileStatus f : raw.listStatus(new org.apache.hadoop.fs.Path(output, "runs"))) {
            String name = f.getPath().getName();
            if (name.endsWith(".crc")) {
                assertThat(name).as("a local disk's checksum of a run file").startsWith(".").endsWith(".avro.crc");
                continue;
            }
            assertThat(name).endsWith(".avro");
            try (var in = fs.open(f.getPath());
                    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                records.forEach(r -> keys.add(String.valueOf(r.get("key"))));
            }
        }
        assertThat(keys).hasSize(RUNS).doesNotHaveDuplicates();
    }

    /** The distribution's tiny example on the repository's data into {@code output}, its runs {@code epochs} long. */
    private static Path spec(String name, String output, int epochs) throws IOException {
        Path data = Path.of(System.getProperty("nashpo.miniData"));
        String yaml = Files.readString(dist.resolve("examples/tiny.yaml"))
                .replace("name: tiny", "name: " + name)
                .replace("uri: ../data/cifar-10-mini", "uri: " + data)
                .replace("output: ../target/tiny-runs", "output: " + output)
                .replace("  - epochs: 1\n", "  - epochs: " + epochs + "\n");
        return Files.writeString(base.resolve(name + ".yaml"), yaml);
    }

    /** One {@code bin/nashpo construct --json}: its stderr in a log file, its stdout kept. */
    private record Driver(Process process, Path logFile, StringBuilder out, Thread reader) {

        static Driver start(Path spec, String label) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/nashpo").toString(), "construct", "--spec",
                    spec.toString(), "--json");
            pb.environment().put("NASHPO_MEMORY", "4g");
            Path log = base.resolve(label + ".log");
            pb.redirectError(log.toFile());
            Process p = pb.start();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (out) {
                        out.append(text);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Driver(p, log, out, reader);
        }

        long pid() {
            return process.pid();
        }

        /** Waits until the driver's log has a line matching {@code pattern} (polling the file; fails if it ends first). */
        void awaitLine(Pattern pattern) {
            LocalSlurm.await(java.time.Duration.ofMinutes(5), () -> {
                String log = log();
                if (pattern.matcher(log).find()) {
                    return java.util.Optional.of(true);
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the driver ended before \"" + pattern + "\"; its log:\n" + log);
                }
                return java.util.Optional.empty();
            }, () -> "no \"" + pattern + "\" in the driver's log:\n" + log());
        }

        void awaitExit() throws InterruptedException {
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("the driver ended").isTrue();
            reader.join();
        }

        int exitCode() {
            return process.exitValue();
        }

        String stdout() {
            synchronized (out) {
                return out.toString();
            }
        }

        JsonNode summary() throws IOException {
            return new ObjectMapper().readTree(stdout());
        }

        String log() {
            try {
                return Files.exists(logFile) ? Files.readString(logFile) : "";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
