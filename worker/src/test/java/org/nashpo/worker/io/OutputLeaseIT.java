package org.nashpo.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lease of a construct output ({@link OutputLease}) on a local disk and on HDFS (an in-process
 * MiniDFSCluster): one holder at a time, a live holder named to whoever else asks, a crashed one's
 * lease taken over, released when its driver ends or is stopped by SIGTERM.
 */
class OutputLeaseIT {

    private static final Duration TTL = Duration.ofSeconds(1);

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

    /** A fresh output directory's URI on the named file system (not created: the lease creates it). */
    private static URI output(String which) {
        return which.equals("hdfs") ? URI.create(cluster.getURI() + "/out" + next++)
                : base.resolve("local-out" + next++).toUri();
    }

    private static FileSystem fs(URI output) throws IOException {
        return new Path(output).getFileSystem(conf());
    }

    private static Configuration conf() {
        return cluster.getConfiguration(0);
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void aSecondDriverIsRefusedNamingTheHolderThenTakesTheLeaseOnceItIsReleased(String which) throws Exception {
        URI output = output(which);
        OutputLease first = OutputLease.acquire(output, conf(), "nashpo construct first", TTL, note -> { });
        List<String> notes = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> OutputLease.acquire(output, conf(), "nashpo construct second", TTL, notes::add))
                .isInstanceOf(OutputLease.HeldException.class)
                .hasMessageContaining("is being built by another construct: nashpo construct first, pid "
                        + ProcessHandle.current().pid() + " on " + Staged.HOST)
                .satisfies(e -> assertThat(((OutputLease.HeldException) e).holder()).isEqualTo(first.holder()));
        assertThat(notes).singleElement().asString().contains("is leased to nashpo construct first")
                .contains("watching for up to 1 s");

        first.close();
        assertThat(leaseFiles(output)).isEmpty();
        try (OutputLease second = OutputLease.acquire(output, conf(), "nashpo construct second", TTL, notes::add)) {
            assertThat(leaseText(output)).contains("what=nashpo construct second").contains("id=" + second.holder().id());
        }
        assertThat(leaseFiles(output)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void ofDriversStartedTogetherOneHoldsTheLeaseAndTheOthersNameIt(String which) throws Exception {
        URI output = output(which);
        int drivers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(drivers);
        CountDownLatch ready = new CountDownLatch(drivers);
        List<Future<OutputLease>> tries = new ArrayList<>();
        try {
            for (int d = 0; d < drivers; d++) {
                String what = "driver " + d;
                tries.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return OutputLease.acquire(output, conf(), what, TTL, note -> { });
                }));
            }
            List<OutputLease> held = new ArrayList<>();
            List<OutputLease.Holder> named = new ArrayList<>();
            for (Future<OutputLease> t : tries) {
                try {
                    held.add(t.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(OutputLease.HeldException.class);
                    named.add(((OutputLease.HeldException) e.getCause()).holder());
                }
            }
            assertThat(held).hasSize(1);
            assertThat(named).hasSize(drivers - 1).containsOnly(held.get(0).holder());
            held.get(0).close();
        } finally {
            pool.shutdownNow();
        }
        assertThat(leaseFiles(output)).isEmpty();
    }

    /** A holder on another host that stopped renewing (it crashed): taken over after one time to live. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aLeaseNotRenewedForItsTimeToLiveIsTakenOver(String which) throws Exception {
        URI output = output(which);
        writeLease(output, new OutputLease.Holder("crashed-1", "nashpo construct old", "ada", "elsewhere.example", 4242,
                "Slurm job 7", Instant.parse("2026-01-02T03:04:05Z")));
        List<String> notes = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        try (OutputLease lease = OutputLease.acquire(output, conf(), "nashpo construct new", TTL, notes::add)) {
            assertThat((System.nanoTime() - start) / 1e9).as("it watched for one time to live")
                    .isGreaterThanOrEqualTo(TTL.toMillis() / 1000.0);
            assertThat(leaseText(output)).contains("id=" + lease.holder().id());
        }
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("took over the lease of ")
                .contains("from nashpo construct old, pid 4242 on elsewhere.example (user ada, Slurm job 7)")
                .contains("it was not renewed for 1 s"));
        assertThat(leaseFiles(output)).isEmpty();
    }

    /** A holder of this host whose process is gone is recognised at once: no watching. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aLeaseOfAProcessOfThisHostThatIsGoneIsTakenOverAtOnce(String which) throws Exception {
        URI output = output(which);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writeLease(output, new OutputLease.Holder("crashed-2", "nashpo construct old", "ada", Staged.HOST, gone.pid(), "",
                Instant.now()));
        List<String> notes = new CopyOnWriteArrayList<>();

        OutputLease.acquire(output, conf(), "nashpo construct new", Duration.ofHours(1), notes::add).close();

        assertThat(notes).singleElement().asString().startsWith("took over the lease of ").endsWith("that process is gone");
    }

    /** Another driver took the lease over (this one paused for longer than its time to live): it learns it lost. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aHolderWhoseLeaseWasTakenOverLearnsItLostAndLeavesTheNewLeaseAlone(String which) throws Exception {
        URI output = output(which);
        OutputLease paused = OutputLease.acquire(output, conf(), "nashpo construct paused", TTL, note -> { });
        CountDownLatch lost = new CountDownLatch(1);
        paused.onLost(lost::countDown);
        fs(output).delete(new Path(new Path(output), OutputLease.LEASE), false);
        OutputLease.Holder other = new OutputLease.Holder("other", "nashpo construct other", "ada", "elsewhere.example",
                1, "", Instant.now());
        writeLease(output, other);

        assertThat(lost.await(10, TimeUnit.SECONDS)).as("the holder noticed at its next renewal").isTrue();
        assertThat(paused.lost()).hasValueSatisfying(why -> assertThat(why)
                .contains("it is held by nashpo construct other, pid 1 on elsewhere.example"));
        paused.close();
        assertThat(leaseText(output)).contains("id=other");
    }

    /** A driver stopped by SIGTERM (scancel, a time limit) releases its lease; one killed outright is taken over. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void aDriverStoppedBySigtermReleasesItsLease(String which) throws Exception {
        URI output = output(which);
        Process holder = holderProcess(output);
        assertThat(leaseText(output)).contains("pid=" + holder.pid());
        holder.destroy();
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(leaseFiles(output)).as("released by its shutdown hook").isEmpty();

        Process killed = holderProcess(output);
        killed.destroyForcibly();
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(leaseText(output)).contains("pid=" + killed.pid());
        List<String> notes = new CopyOnWriteArrayList<>();
        OutputLease.acquire(output, conf(), "nashpo construct next", Duration.ofHours(1), notes::add).close();
        assertThat(notes).singleElement().asString().endsWith("that process is gone");
    }

    /** A JVM that holds the lease of {@code output} until it is stopped (see {@link #main}). */
    private static Process holderProcess(URI output) throws IOException {
        java.nio.file.Path siteDir = base.resolve("site-" + next++);
        java.nio.file.Files.createDirectories(siteDir);
        try (OutputStream site = java.nio.file.Files.newOutputStream(siteDir.resolve("core-site.xml"))) {
            conf().writeXml(site);
        }
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", siteDir + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                OutputLeaseIT.class.getName(), output.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the holder process took the lease").isEqualTo("held");
        return p;
    }

    /** Holds the lease of the output in args[0] until this JVM is stopped. */
    public static void main(String[] args) throws Exception {
        OutputLease.acquire(URI.create(args[0]), new Configuration(), "lease holder", Duration.ofSeconds(60), n -> { });
        System.out.println("held");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void writeLease(URI output, OutputLease.Holder holder) throws IOException {
        // as a driver writes it: on a local disk without Hadoop's checksum file
        FileSystem fs = fs(output) instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs(output);
        try (OutputStream out = fs.create(new Path(new Path(output), OutputLease.LEASE), false)) {
            out.write(holder.text().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String leaseText(URI output) throws IOException {
        try (var in = fs(output).open(new Path(new Path(output), OutputLease.LEASE))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The lease's files left in an output: the lease and anything moved aside. */
    private static List<String> leaseFiles(URI output) throws IOException {
        FileSystem fs = fs(output);
        FileSystem raw = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        List<String> names = new ArrayList<>();
        for (FileStatus s : raw.listStatus(new Path(output))) {
            if (s.getPath().getName().contains(OutputLease.LEASE)) {
                names.add(s.getPath().getName());
            }
        }
        return names;
    }
}
