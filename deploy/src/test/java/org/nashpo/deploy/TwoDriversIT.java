package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Two {@code bin/nashpo construct} started together on one output, as a user would (a job resubmitted
 * while the first still runs): one trains every run, the other is refused naming it, and the output
 * ends with each run once and nothing else, no staging, no lease. On a local disk with the tiny example
 * (16 runs), and on HDFS with a quarter of it.
 */
class TwoDriversIT {

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
    void twoConstructsOfTheTinyExampleOnALocalDiskTrainEachRunOnce() throws Exception {
        String output = base.resolve("local-out").toUri().toString();
        race(spec("local", output, false), output, 16);
    }

    @Test
    void twoConstructsOnHdfsTrainEachRunOnce() throws Exception {
        String output = hdfs.getURI() + "/nashpo/two-drivers";
        race(spec("hdfs", output, true), output, 4);
    }

    private static void race(Path spec, String output, int runs) throws Exception {
        List<Process> drivers = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/nashpo").toString(), "construct", "--spec",
                    spec.toString(), "--json");
            pb.environment().put("NASHPO_MEMORY", "4g");
            pb.redirectError(base.resolve(spec.getFileName() + "-driver-" + d + ".log").toFile());
            drivers.add(pb.start());
        }
        List<String> stdout = new ArrayList<>();
        for (Process p : drivers) {
            stdout.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        }
        int winner = drivers.get(0).exitValue() == 0 ? 0 : 1;
        Process won = drivers.get(winner);
        Process lost = drivers.get(1 - winner);
        String wonLog = Files.readString(base.resolve(spec.getFileName() + "-driver-" + winner + ".log"));
        String lostLog = Files.readString(base.resolve(spec.getFileName() + "-driver-" + (1 - winner) + ".log"));

        assertThat(won.exitValue()).as("one construct finished; its log:%n%s", wonLog).isZero();
        assertThat(stdout.get(winner)).contains("\"trained\" : " + runs).contains("\"failed\" : 0");
        assertThat(lost.exitValue()).as("the other was refused; its log:%n%s", lostLog).isEqualTo(1);
        assertThat(stdout.get(1 - winner)).as("it trained nothing, so it reports nothing").isEmpty();
        assertThat(lostLog).contains("nashpo construct: ").contains(" is being built by another construct: nashpo "
                + "construct " + spec.getFileName().toString().replace(".yaml", "") + ", pid " + won.pid() + " on ")
                .doesNotContain("runs done").doesNotContain("Exception");

        // each run once, and nothing else left in the output: no staging, no lease, no checksum litter
        FileSystem fs = new org.apache.hadoop.fs.Path(output).getFileSystem(hdfs.getConfiguration(0));
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        List<String> everything = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (FileStatus top : raw.listStatus(new org.apache.hadoop.fs.Path(output))) {
            everything.add(top.getPath().getName());
        }
        assertThat(everything).containsExactly("runs");
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
        assertThat(keys).hasSize(runs).doesNotHaveDuplicates();
    }

    /** The distribution's tiny example on the repository's data into {@code output}; {@code quarter}: one cell. */
    private static Path spec(String name, String output, boolean quarter) throws IOException {
        Path data = Path.of(System.getProperty("nashpo.miniData"));
        String yaml = Files.readString(dist.resolve("examples/tiny.yaml"))
                .replace("name: tiny", "name: two-drivers-" + name)
                .replace("uri: ../data/cifar-10-mini", "uri: " + data)
                .replace("output: ../target/tiny-runs", "output: " + output);
        if (quarter) {
            yaml = yaml.replaceAll("(?m)^      - '0\\|10\\|210'.*\\n", "").replaceAll("(?m)^      - '0\\|03\\|323'.*\\n", "")
                    .replaceAll("(?m)^      - '3\\|33\\|333'.*\\n", "");
        }
        return Files.writeString(base.resolve("two-drivers-" + name + ".yaml"), yaml);
    }
}
