package org.nashpo.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nashpo.worker.io.Staged.IfExists;

/**
 * The guarantees of {@link Staged}, the one publish primitive, on a local disk and on HDFS (an
 * in-process MiniDFSCluster): never a half-written target, a concurrent publisher loses cleanly, a
 * crashed writer's staging is recognised and removed.
 */
class StagedIT {

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

    /** A fresh, empty directory on the named file system. */
    private static Path directory(String which, FileSystem[] fs) throws IOException {
        fs[0] = which.equals("hdfs") ? cluster.getFileSystem() : FileSystem.getLocal(new Configuration());
        Path dir = which.equals("hdfs") ? new Path("/t" + next++)
                : new Path(base.resolve("local" + next++).toUri());
        fs[0].mkdirs(dir);
        return fs[0].makeQualified(dir);
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void aTargetAppearsWholeOrNotAtAll(String which) throws Exception {
        FileSystem[] fs = new FileSystem[1];
        Path dir = directory(which, fs);
        Path target = new Path(dir, "bench");
        Staged staged = Staged.beside(fs[0], target);

        fs[0].mkdirs(staged.path());
        write(fs[0], new Path(staged.path(), "a"), "1");
        write(fs[0], new Path(staged.path(), "b"), "2");
        // while the output is written, the target does not exist and the staging is hidden from readers
        assertThat(fs[0].exists(target)).isFalse();
        assertThat(visible(fs[0], dir)).isEmpty();

        assertThat(staged.publish(IfExists.KEEP)).isTrue();

        assertThat(read(fs[0], new Path(target, "a"))).isEqualTo("1");
        assertThat(read(fs[0], new Path(target, "b"))).isEqualTo("2");
        assertThat(names(fs[0], dir)).containsExactly("bench");
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void aReplacedDirectoryHoldsTheNewOutputOnlyAndAReplacedFileIsSwappedInOneStep(String which) throws Exception {
        FileSystem[] fs = new FileSystem[1];
        Path dir = directory(which, fs);
        Path target = new Path(dir, "bench");
        fs[0].mkdirs(target);
        write(fs[0], new Path(target, "old"), "old");
        Path file = new Path(dir, "manifest.json");
        write(fs[0], file, "old");

        Staged staged = Staged.beside(fs[0], target);
        fs[0].mkdirs(staged.path());
        write(fs[0], new Path(staged.path(), "new"), "new");
        Staged stagedFile = Staged.beside(fs[0], file);
        write(fs[0], stagedFile.path(), "new");

        assertThat(staged.publish(IfExists.REPLACE)).isTrue();
        assertThat(stagedFile.publish(IfExists.REPLACE)).isTrue();

        assertThat(names(fs[0], target)).containsExactly("new");
        assertThat(read(fs[0], file)).isEqualTo("new");
        assertThat(names(fs[0], dir)).containsExactly("bench", "manifest.json");
    }

    /**
     * Two writers of one target: the second to publish finds it there and loses, leaving nothing of
     * its own, inside or beside the target (a plain rename would move its staging directory into it).
     */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aConcurrentPublisherLosesCleanly(String which) throws Exception {
        FileSystem[] fs = new FileSystem[1];
        Path dir = directory(which, fs);
        Path target = new Path(dir, "out");
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch ready = new CountDownLatch(writers);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String mine = "writer-" + w;
                Callable<Boolean> writer = () -> {
                    Staged staged = Staged.beside(fs[0], target);
                    fs[0].mkdirs(staged.path());
                    write(fs[0], new Path(staged.path(), mine), mine);
                    ready.countDown();
                    ready.await();
                    return staged.publish(IfExists.KEEP);
                };
                results.add(pool.submit(writer));
            }
            int won = 0;
            for (Future<Boolean> r : results) {
                won += r.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        assertThat(names(fs[0], dir)).containsExactly("out");
        List<String> inside = names(fs[0], target);
        assertThat(inside).hasSize(1);
        assertThat(read(fs[0], new Path(target, inside.get(0)))).isEqualTo(inside.get(0));

        // a writer that starts after the target exists loses the same way
        Staged late = Staged.beside(fs[0], target);
        fs[0].mkdirs(late.path());
        write(fs[0], new Path(late.path(), "late"), "late");
        assertThat(late.publish(IfExists.KEEP)).isFalse();
        assertThat(names(fs[0], target)).isEqualTo(inside);
        assertThat(names(fs[0], dir)).containsExactly("out");
    }

    /**
     * A replacement races another writer: the old directory is moved aside, and before the new one
     * goes in, the other writer publishes. The other writer's output stays whole, and nothing of the
     * old directory or of this output is left inside or beside it.
     */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aReplacementThatLosesTheRaceLeavesTheWinnersOutputWhole(String which) throws Exception {
        FileSystem[] fs = new FileSystem[1];
        Path dir = directory(which, fs);
        Path target = new Path(dir, "bench");
        fs[0].mkdirs(target);
        write(fs[0], new Path(target, "old"), "old");
        FileSystem real = fs[0];
        // the other writer publishes the moment the old directory has been moved aside
        FileSystem racing = new FilterFileSystem(real) {
            @Override
            public boolean rename(Path src, Path dst) throws IOException {
                boolean moved = super.rename(src, dst);
                if (moved && src.equals(target)) {
                    Staged other = Staged.beside(real, target);
                    real.mkdirs(other.path());
                    write(real, new Path(other.path(), "winner"), "winner");
                    assertThat(other.publish(IfExists.KEEP)).isTrue();
                }
                return moved;
            }
        };
        racing.setConf(real.getConf());

        Staged staged = Staged.beside(racing, target);
        racing.mkdirs(staged.path());
        write(racing, new Path(staged.path(), "new"), "new");

        assertThatThrownBy(() -> staged.publish(IfExists.REPLACE)).hasMessageContaining("another writer");
        assertThat(names(real, target)).containsExactly("winner");
        assertThat(names(real, dir)).containsExactly("bench");
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void aCrashedWritersStagingIsRecognisedAndRemovedALiveOnesStays(String which) throws Exception {
        FileSystem[] fs = new FileSystem[1];
        Path dir = directory(which, fs);
        long gone = goneProcess();
        Path crashed = new Path(dir, ".bench.staging.0000dead." + gone + "@" + Staged.HOST);
        Path live = Staged.beside(fs[0], new Path(dir, "bench")).path();
        Path otherHostRecent = new Path(dir, ".bench.staging.0000beef.1@elsewhere.example");
        Path otherHostStale = new Path(dir, ".bench.staging.0000f00d.1@elsewhere.example");
        Path movedAside = new Path(dir, ".export.replaced.0000cafe." + gone + "@" + Staged.HOST);
        Path someoneElses = new Path(dir, ".keep.me");
        for (Path p : List.of(crashed, live, otherHostRecent, otherHostStale, movedAside, someoneElses)) {
            fs[0].mkdirs(p);
            write(fs[0], new Path(p, "x"), "x");
        }
        long stale = System.currentTimeMillis() - Staged.STALE_AFTER.plus(Duration.ofHours(1)).toMillis();
        fs[0].setTimes(otherHostStale, stale, stale);

        List<Path> cleaned = Staged.removeCrashed(fs[0], dir, null);

        assertThat(cleaned).extracting(Path::getName)
                .containsExactlyInAnyOrder(crashed.getName(), otherHostStale.getName(), movedAside.getName());
        // the directory a crashed replacement had moved aside is back in its place
        assertThat(read(fs[0], new Path(dir, "export/x"))).isEqualTo("x");
        assertThat(names(fs[0], dir)).containsExactlyInAnyOrder(live.getName(), otherHostRecent.getName(),
                someoneElses.getName(), "export");
    }

    /** The id of a process of this host that has exited. */
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

    /** Names in a directory, without the checksum files a local file system keeps beside each file. */
    private static List<String> names(FileSystem fs, Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (!(name.startsWith(".") && name.endsWith(".crc"))) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** What a reader sees: the names that are not hidden. */
    private static List<String> visible(FileSystem fs, Path dir) throws IOException {
        return names(fs, dir).stream().filter(n -> !n.startsWith(".") && !n.startsWith("_")).toList();
    }
}
