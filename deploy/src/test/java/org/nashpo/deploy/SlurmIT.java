package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code conf/slurm.sbatch} submitted with sbatch to a real Slurm ({@link LocalSlurm}:
 * slurmctld and slurmd on this machine, the node with {@value LocalSlurm#GPUS} GPUs as generic resources), as
 * a user submits it, with its cluster size overridden on sbatch's command line (one node, two GPUs) and the
 * memory sizes a 2-core test machine affords. The job runs {@code bin/submit slurm construct}: a Spark master
 * and worker started with srun inside the job, the construct against them, the cluster stopped. Checked: every
 * run exactly once, each on a GPU Slurm gave the job (numbered as CUDA numbers them), scontrol showing the GPUs
 * allocated, no process of the job left once it has ended, node-local scratch emptied; a job cancelled midway
 * and a job stopped by its time limit's warning signal, each submitted again, lose and duplicate nothing and
 * train only what is missing.
 *
 * <p>It also leaves in {@code target/slurm-it/} what shows the cluster at work: scontrol's view of a job holding its
 * GPUs, the process list after a job and after a cancelled one, the jobs' output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {

    private static final Pattern DONE = Pattern.compile("construct: (\\d+)/(\\d+) runs done");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) runs planned, (\\d+) already present, (\\d+) trained "
            + "\\((\\d+) completed, (\\d+) diverged, (\\d+) failed\\)");
    private static final String PS = "`ps -eo pid,ppid,etime,args`, the lines naming Spark, nashpo's launchers, srun or "
            + "slurmstepd\n";
    private static final List<String> ENDED = List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE");

    @TempDir
    static Path base;
    private static Path dist;
    private static Path scratch;
    private static Path report;
    private static LocalSlurm slurm;

    @BeforeAll
    static void startSlurm() throws Exception {
        dist = Path.of(System.getProperty("nashpo.dist"));
        report = Files.createDirectories(dist.getParent().resolve("slurm-it"));
        scratch = Files.createDirectories(base.resolve("node-scratch"));
        slurm = LocalSlurm.start(base.resolve("slurm"));
    }

    @AfterAll
    static void stopSlurm() throws Exception {
        if (slurm != null) {
            slurm.close();
        }
    }

    /**
     * examples/tiny.yaml on two of the node's three GPUs: another job holds the first, so Slurm gives this
     * one GPUs 1 and 2, which CUDA numbers 0 and 1 under {@code CUDA_VISIBLE_DEVICES=1,2}.
     */
    @Test
    @Order(1)
    void theTinyExampleTrainsEachRunOnceOnTheGpusSlurmGaveTheJob() throws Exception {
        Path fifo = base.resolve("hold-gpu-0");
        assertThat(LocalSlurm.exec(List.of("mkfifo", fifo.toString()), Map.of()).code()).isZero();
        Path holder = base.resolve("hold-gpu-0.sh");
        Files.writeString(holder, "#!/bin/sh\nread line < '" + fifo + "'\n");
        String held = slurm.sbatch(List.of("--gres=gpu:1", "--cpus-per-task=1", "--mem=64M", "--output=/dev/null"), holder,
                List.of(), Map.of());
        slurm.awaitState(held, Duration.ofMinutes(1), "RUNNING");
        assertThat(slurm.client("scontrol", "show", "job", "-d", held)).contains("GRES=gpu:1(IDX:0)");

        Path output = base.resolve("tiny-runs");
        String job = submit(spec("tiny", output, 1), List.of());
        slurm.awaitState(job, Duration.ofMinutes(2), "RUNNING");
        String shown = slurm.client("scontrol", "show", "job", "-d", job);
        Files.writeString(report.resolve("scontrol-show-job.txt"), "$ scontrol show job -d " + job + "\n" + shown);
        assertThat(shown).contains("TresPerNode=gres:gpu:2").contains("GRES=gpu:2(IDX:1-2)");

        String state = slurm.awaitState(job, Duration.ofMinutes(10), ENDED.toArray(String[]::new));
        assertThat(LocalSlurm.exec(List.of("timeout", "60", "sh", "-c", "echo > '" + fifo + "'"), Map.of()).code())
                .as("the GPU's holder let go").isZero();
        slurm.awaitState(held, Duration.ofMinutes(1), "COMPLETED");
        String out = jobOutput(job);
        Files.writeString(report.resolve("job-tiny.out"), out);
        assertThat(state).as("the job's output:%n%s", out).isEqualTo("COMPLETED");
        assertThat(summary(out)).containsExactly(16, 0, 16, 16, 0, 0);
        assertThat(out).contains("worker on " + LocalSlurm.exec(List.of("hostname"), Map.of()).out().strip())
                .contains("GPUs CUDA_VISIBLE_DEVICES=1,2 (Slurm's 1,2) as Spark GPU addresses 0, 1");

        List<GenericRecord> runs = exactlyOnce(output, 16);
        assertThat(runs.stream().map(r -> provenance(r, "assignedGpu")).distinct())
                .as("each run on one of the job's two GPUs, both used").containsExactlyInAnyOrder("0", "1");
        noProcessLeft(job);
        noProcessLeft(held);
        Files.writeString(report.resolve("processes-after-job.txt"), "after job " + job + " ended: " + PS + processList());
        assertThat(scratch).as("node-local scratch (SLURM_TMPDIR)").isEmptyDirectory();
        assertThat(output.resolve("_lease")).doesNotExist();
        assertThat(output.resolve("_staging")).doesNotExist();
    }

    /**
     * One output, three jobs of the same script: the first cancelled after two runs, the second stopped by
     * its time limit's warning (a two minutes' limit, SIGUSR1 a minute before it, which Slurm sends within
     * the next half minute), the third left to finish. Each trains only what the ones before left, and the
     * output ends with every run once. The runs take 48 epochs of 512 images, so that the second job has
     * started training when its warning comes (a minute in) and has not finished (a minute and a half in):
     * its 14 or so runs take about three minutes on a 2-core machine where the engine trains the tiny network at
     * its 2026-12-07 speed (twelve epochs of 256 images once sufficed, and no longer did).
     */
    @Test
    @Order(2)
    void aJobCancelledAndAJobAtItsTimeLimitEachSubmittedAgainTrainOnlyWhatIsMissing() throws Exception {
        Path output = base.resolve("long-runs");
        Path spec = spec("tiny-long", output, 48, 512);

        String cancelled = submit(spec, List.of());
        int doneAtCancel = awaitProgress(cancelled, 2);
        slurm.client("scancel", cancelled);
        assertThat(slurm.awaitState(cancelled, Duration.ofMinutes(2), ENDED.toArray(String[]::new))).isEqualTo("CANCELLED");
        noProcessLeft(cancelled);
        Files.writeString(report.resolve("processes-after-scancel.txt"), "after scancel " + cancelled + ", once Slurm "
                + "had ended the job: " + PS + processList());
        assertThat(jobOutput(cancelled)).contains("submit: slurm: stopped (SIGTERM)");
        int afterCancel = readAll(output).size();
        assertThat(afterCancel).as("published when cancelled").isBetween(doneAtCancel, 15);
        assertThat(output.resolve("_lease")).as("released by the driver on SIGTERM").doesNotExist();

        String limited = submit(spec, List.of("--time=2", "--signal=B:USR1@60"));
        String state = slurm.awaitState(limited, Duration.ofMinutes(4), ENDED.toArray(String[]::new));
        String limitedOut = jobOutput(limited);
        Files.writeString(report.resolve("job-time-limit.out"), limitedOut);
        assertThat(limitedOut).contains("construct: 16 runs in the spec, " + afterCancel + " already in the output, "
                + (16 - afterCancel) + " to train").contains("submit: slurm: stopped before the time limit (SIGUSR1)")
                .contains("nashpo construct: stopped: the driver is shutting down").doesNotContain("Exception");
        assertThat(state).as("ended by its own stop (exit 1), or by the limit while stopping").isIn("FAILED", "TIMEOUT");
        assertThat(summary(limitedOut)).as("stopped, it never finished").isEmpty();
        noProcessLeft(limited);
        int afterLimit = readAll(output).size();
        assertThat(afterLimit).isBetween(afterCancel, 15);
        assertThat(output.resolve("_lease")).doesNotExist();

        String last = submit(spec, List.of());
        assertThat(slurm.awaitState(last, Duration.ofMinutes(10), ENDED.toArray(String[]::new)))
                .as("the job's output:%n%s", jobOutput(last)).isEqualTo("COMPLETED");
        List<Integer> s = summary(jobOutput(last));
        assertThat(s.subList(0, 3)).containsExactly(16, afterLimit, 16 - afterLimit);
        assertThat(s.get(5)).as("failed").isZero();
        exactlyOnce(output, 16);
        noProcessLeft(last);
        assertThat(scratch).isEmptyDirectory();
        assertThat(output.resolve("_lease")).doesNotExist();
        assertThat(output.resolve("_staging")).as("what the cancelled jobs' executors were writing is gone").doesNotExist();
    }

    /** Submits the distribution's sbatch script for {@code spec}, on one node with two GPUs. */
    private static String submit(Path spec, List<String> options) {
        List<String> all = new ArrayList<>(List.of("--nodes=1", "--gres=gpu:2", "--cpus-per-task=2", "--mem=4G",
                "--output=" + base.resolve("job-%j.out")));
        all.addAll(options);
        return slurm.sbatch(all, dist.resolve("conf/slurm.sbatch"), List.of(spec.toString()), Map.of(
                "NASHPO_HOME", dist.toString(),
                "SLURM_TMPDIR", scratch.toString(),
                "JAVA_HOME", System.getProperty("java.home"),
                // two runs at once on two cores; memory a 24 GB machine running the build beside it affords
                "NASHPO_CORES_PER_TASK", "1",
                "NASHPO_EXECUTOR_MEMORY", "512m",
                "NASHPO_RUN_OFFHEAP", "512m",
                "NASHPO_JVM_NATIVE", "768m",
                "NASHPO_DRIVER_MEMORY", "1g",
                "NASHPO_DAEMON_MEMORY", "256m"));
    }

    /** The distribution's tiny example on the repository's data into {@code output}, with {@code epochs} epochs. */
    private static Path spec(String name, Path output, int epochs) throws IOException {
        return spec(name, output, epochs, 256);
    }

    /** The same with {@code trainSize} training images per run. */
    private static Path spec(String name, Path output, int epochs, int trainSize) throws IOException {
        Path data = Path.of(System.getProperty("nashpo.miniData"));
        String yaml = Files.readString(dist.resolve("examples/tiny.yaml"))
                .replace("name: tiny", "name: " + name)
                .replace("uri: ../data/cifar-10-mini", "uri: " + data)
                .replace("output: ../target/tiny-runs", "output: " + output)
                .replace("  - epochs: 1\n", "  - epochs: " + epochs + "\n")
                .replace("  trainSize: 256\n", "  trainSize: " + trainSize + "\n");
        return Files.writeString(base.resolve(name + ".yaml"), yaml);
    }

    private static String jobOutput(String job) {
        try {
            return Files.readString(base.resolve("job-" + job + ".out"));
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the job's output to say at least {@code runs} runs are done; returns how many it says. */
    private static int awaitProgress(String job, int runs) {
        return LocalSlurm.await(Duration.ofMinutes(5), () -> {
            Matcher m = DONE.matcher(jobOutput(job));
            int done = 0;
            while (m.find()) {
                done = Math.max(done, Integer.parseInt(m.group(1)));
            }
            if (done < runs && ENDED.contains(slurm.state(job))) {
                throw new AssertionError("job " + job + " ended before " + runs + " runs were done:\n" + jobOutput(job));
            }
            return done >= runs ? Optional.of(done) : Optional.empty();
        }, () -> "job " + job + " reported fewer than " + runs + " runs done:\n" + jobOutput(job));
    }

    /** The construct's summary line: planned, already present, trained, completed, diverged, failed; empty if none. */
    private static List<Integer> summary(String out) {
        Matcher m = SUMMARY.matcher(out);
        List<Integer> numbers = new ArrayList<>();
        if (m.find()) {
            for (int g = 1; g <= 6; g++) {
                numbers.add(Integer.parseInt(m.group(g)));
            }
        }
        return numbers;
    }

    /**
     * Waits until no process of the job is left: Slurm puts SLURM_JOB_ID into the environment of
     * everything a job starts, and it stays there, also in a process that outlived its parent.
     */
    private static void noProcessLeft(String job) {
        LocalSlurm.await(Duration.ofMinutes(1), () -> processesOf(job).isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> "processes of job " + job + " are left after it ended:\n" + String.join("\n", processesOf(job)));
    }

    private static List<String> processesOf(String job) {
        byte[] mark = ("SLURM_JOB_ID=" + job + "\0").getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            for (Path p : proc.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (indexOf(env, mark) == 0 || indexOf(env, ("\0" + new String(mark, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8)) >= 0) {
                        found.add(p.getFileName() + " " + new String(Files.readAllBytes(p.resolve("cmdline")),
                                StandardCharsets.UTF_8).replace('\0', ' '));
                    }
                } catch (IOException gone) {
                    // the process ended while it was looked at
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The machine's processes that are Spark's, nashpo's launchers', srun or slurmstepd, as ps lists them. */
    private static String processList() {
        String ps = LocalSlurm.exec(List.of("ps", "-eo", "pid,ppid,etime,args"), Map.of()).out();
        List<String> lines = new ArrayList<>();
        for (String line : ps.lines().toList()) {
            if (lines.isEmpty() || (line.matches(".*(org\\.apache\\.spark|bin/submit|slurm-daemon|srun|slurmstepd).*")
                    && !line.contains(" ps -eo"))) {
                lines.add(line.length() > 220 ? line.substring(0, 220) + " …" : line);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** Every run file of the output, read whole. */
    private static List<GenericRecord> readAll(Path output) throws IOException {
        List<GenericRecord> runs = new ArrayList<>();
        Path dir = output.resolve("runs");
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".avro")).toList()) {
                try (var in = Files.newInputStream(f);
                        DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    records.forEach(runs::add);
                }
            }
        }
        return runs;
    }

    /** Every run of the spec published once: {@code runs} files, one key each. */
    private static List<GenericRecord> exactlyOnce(Path output, int runs) throws IOException {
        List<GenericRecord> all = readAll(output);
        assertThat(all).hasSize(runs);
        assertThat(all.stream().map(r -> String.valueOf(r.get("key"))).distinct()).hasSize(runs);
        return all;
    }

    private static String provenance(GenericRecord run, String field) {
        return String.valueOf(((GenericRecord) run.get("provenance")).get(field));
    }
}
