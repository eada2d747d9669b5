package org.nashpo.worker.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nashpo.core.run.RunKey;
import org.nashpo.worker.io.Staged.IfExists;
import org.nashpo.worker.train.RunRecords;

/**
 * Writers racing to publish one file (two construct drivers training the same run into one output):
 * exactly one wins, the file is the winner's whole, and the staging area is left empty, the checksum
 * files a local disk keeps beside each file included. On a local disk and on HDFS.
 */
class StagedFileRaceIT {

    private static final int WRITERS = 6;
    /**
     * Rounds of the race per file system. On a local disk Hadoop's check-then-rename lost it in about one
     * round in sixty (a staging checksum file left behind, or the target's checksum another writer's):
     * 300 rounds fail that with near certainty, in 15 s. HDFS's rename is atomic in the NameNode.
     */
    private static final java.util.Map<String, Integer> ROUNDS = java.util.Map.of("local", 300, "hdfs", 10);

    @TempDir
    static java.nio.file.Path base;

    static MiniDFSCluster cluster;
    static int next;

    @BeforeAll
    static void startCluster() throws IOException {
        Configuration conf = new Configuration();
        conf.set("hadoop.tmp.dir", base.resolve("tmp").toString());
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        cluster = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile()).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    static Stream<String> fileSystems() {
        return Stream.of("local", "hdfs");
    }

    private static FileSystem fileSystem(String which) throws IOException {
        return which.equals("hdfs") ? cluster.getFileSystem() : FileSystem.getLocal(new Configuration());
    }

    private static Path directory(String which, FileSystem fs) throws IOException {
        Path dir = which.equals("hdfs") ? new Path("/race" + next++) : new Path(base.resolve("local" + next++).toUri());
        fs.mkdirs(dir);
        return fs.makeQualified(dir);
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void racingPublishersOfAFileLeaveOneWholeWinnerAndAnEmptyStagingArea(String which) throws Exception {
        FileSystem fs = fileSystem(which);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS.get(which); round++) {
                Path dir = directory(which, fs);
                Path staging = new Path(dir, "_staging");
                Path target = new Path(new Path(dir, "runs"), "run.avro");
                CountDownLatch ready = new CountDownLatch(WRITERS);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String mine = "writer-" + w;
                    results.add(pool.submit(() -> {
                        Staged staged = Staged.in(fs, staging, target);
                        write(fs, staged.path(), mine);
                        ready.countDown();
                        ready.await();
                        return staged.publish(IfExists.KEEP);
                    }));
                }
                List<String> winners = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    if (results.get(w).get()) {
                        winners.add("writer-" + w);
                    }
                }
                assertThat(winners).as("round %d: the writers that published", round).hasSize(1);
                // read through the checksummed file system: the checksum beside the file is the winner's too
                assertThat(read(fs, target)).as("round %d", round).isEqualTo(winners.get(0));
                assertThat(everything(fs, staging)).as("round %d: left in the staging area", round).isEmpty();
                assertThat(everything(fs, target.getParent())).as("round %d", round)
                        .containsAnyOf("run.avro").allMatch(n -> n.equals("run.avro") || n.equals(".run.avro.crc"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * What earlier versions left when a publish lost that race: the loser's checksum file alone in
     * {@code _staging/}, which a local file system's listing hides; and what a writer killed while writing
     * leaves (an executor of a cancelled job): the temporary file it was filling, and its checksum file. A
     * later construct removes them once their writer is gone, and then the staging directory.
     */
    @Test
    void whatAnEarlierLoserOrAKilledWriterLeftIsRemovedByTheNextConstruct() throws Exception {
        org.apache.hadoop.fs.LocalFileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = directory("local", fs);
        Path staging = new Path(dir, RunStore.STAGING);
        fs.mkdirs(staging);
        long gone = goneProcess();
        String dead = ".k.avro.staging.0000dead." + gone + "@" + Staged.HOST;
        String alive = ".k.avro.staging.0000beef." + ProcessHandle.current().pid() + "@" + Staged.HOST;
        String uuid = ".0b7e3a52-64c1-4f0e-9d7a-2f1c3e5a7b90.tmp";
        List<Path> litter = List.of(new Path(staging, "." + dead + ".crc"), new Path(staging, "." + dead + uuid),
                new Path(staging, ".." + dead + uuid + ".crc"));
        List<Path> live = List.of(new Path(staging, "." + alive + ".crc"), new Path(staging, "." + alive + uuid),
                new Path(staging, ".." + alive + uuid + ".crc"));
        for (Path p : litter) {
            write(fs.getRaw(), p, "x");
        }
        for (Path p : live) {
            write(fs.getRaw(), p, "x");
        }
        assertThat(fs.listStatus(staging)).as("the local file system's own listing shows only the temporary file")
                .hasSize(2);

        new RunStore(dir.toUri(), new Configuration()).removeEmptyStaging();

        assertThat(everything(fs, staging)).containsExactlyInAnyOrderElementsOf(live.stream().map(Path::getName).toList());
        for (Path p : live) {
            fs.getRaw().delete(p, false);
        }
        new RunStore(dir.toUri(), new Configuration()).removeEmptyStaging();
        assertThat(fs.exists(staging)).isFalse();
    }

    /** Two RunStore publishes of one run at once: one record published, the other attempt told it lost. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void twoAttemptsPublishingOneRunPublishOneRecord(String which) throws Exception {
        FileSystem fs = fileSystem(which);
        Path dir = directory(which, fs);
        RunStore store = new RunStore(dir.toUri(), fs.getConf());
        var first = RunFilesTest.run(222);
        var second = RunFilesTest.run(222);
        second.setTotalTimeSeconds(4.0);
        RunKey key = RunRecords.key(first);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch ready = new CountDownLatch(2);
            Future<Boolean> a = pool.submit(() -> {
                ready.countDown();
                ready.await();
                return store.publish(key, first, "a");
            });
            Future<Boolean> b = pool.submit(() -> {
                ready.countDown();
                ready.await();
                return store.publish(key, second, "b");
            });
            assertThat(a.get() ^ b.get()).as("exactly one attempt published").isTrue();
        } finally {
            pool.shutdownNow();
        }
        RunStore.Scan scan = store.scan(2);
        assertThat(scan.unreadable()).isEmpty();
        assertThat(scan.runs()).containsOnlyKeys(key);
        store.removeEmptyStaging();
        assertThat(fs.exists(new Path(dir, RunStore.STAGING))).isFalse();
    }

    /** Every name in a directory, the checksum files a local file system hides included. */
    private static List<String> everything(FileSystem fs, Path dir) throws IOException {
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        if (!raw.exists(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (FileStatus s : raw.listStatus(dir)) {
            names.add(s.getPath().getName());
        }
        return names;
    }

    private static long goneProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static void write(FileSystem fs, Path p, String text) throws IOException {
        try (OutputStream out = fs.create(p, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(FileSystem fs, Path p) throws IOException {
        try (var in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
