package org.nashpo.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Slurm on this machine, as a small GPU cluster is set up: Debian's slurm-wlm and munge, a
 * controller (slurmctld) and one node daemon (slurmd) whose node declares {@value #GPUS} GPUs as
 * generic resources ({@code gres.conf}; the devices are character devices made with mknod, which is
 * all slurmd checks). Everything it writes is under one directory (configuration, munge key and
 * socket, state, spool, logs, devices); it listens on ports of its own, so it disturbs no other Slurm.
 * Closing it cancels every job, waits for them to end and stops the daemons.
 *
 * <p>It needs root (slurmd runs jobs as their users; mknod) and the packages, which {@code .ci/run}
 * installs where they are missing: without them it fails, saying so, rather than letting the tests skip.
 */
final class LocalSlurm implements AutoCloseable {

    static final int GPUS = 3;
    /** CPUs the node declares: more than the machine's 2, so a job holding a GPU leaves room for another's. */
    static final int CPUS = 4;
    private static final Pattern STATE = Pattern.compile("JobState=(\\S+)");

    private final Path dir;
    private final Path conf;
    private final String node;
    private final List<String> daemons = new ArrayList<>();

    private LocalSlurm(Path dir, String node) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
        this.node = node;
    }

    static LocalSlurm start(Path dir) throws IOException {
        for (String program : List.of("munged", "munge", "slurmctld", "slurmd", "sbatch", "scontrol", "mknod")) {
            if (which(program).isEmpty()) {
                throw new IllegalStateException(program + " is not installed: SlurmIT runs a real Slurm and needs Debian's "
                        + "slurm-wlm and munge (.ci/run installs them: apt-get install slurm-wlm munge)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("SlurmIT starts slurmd, which runs jobs as their users, and makes device "
                    + "files: it runs as root (CI does), not as " + System.getProperty("user.name"));
        }
        String node = output(List.of("hostname", "-s")).strip();
        LocalSlurm slurm = new LocalSlurm(dir, node);
        try {
            slurm.configure();
            slurm.startDaemons();
        } catch (RuntimeException | Error e) {
            slurm.close();
            throw e;
        }
        return slurm;
    }

    /** The node's name, as jobs see it (SLURMD_NODENAME). */
    String node() {
        return node;
    }

    /** What a Slurm client needs to reach this cluster. */
    Map<String, String> clientEnvironment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    private void configure() throws IOException {
        Path munge = Files.createDirectories(dir.resolve("munge"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Files.write(munge.resolve("munge.key"), key);
        Files.setPosixFilePermissions(munge.resolve("munge.key"), PosixFilePermissions.fromString("r--------"));
        for (String d : List.of("state", "spool", "log", "dev")) {
            Files.createDirectories(dir.resolve(d));
        }
        // fake GPUs: slurmd refuses regular files as devices (it checks for a character or block device)
        for (int g = 0; g < GPUS; g++) {
            run(List.of("mknod", dir.resolve("dev/nvidia" + g).toString(), "c", "195", String.valueOf(g)));
        }
        long memory = 16_000;
        Files.writeString(conf, String.join("\n",
                "ClusterName=nashpo-it",
                "SlurmctldHost=" + node,
                "SlurmUser=root",
                "SlurmdUser=root",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "AuthInfo=socket=" + munge.resolve("socket"),
                "CredType=cred/munge",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                // without cgroups: Slurm tracks a job's processes as the descendants of its steps
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "GresTypes=gpu",
                "MpiDefault=none",
                "ReturnToService=2",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                // the node's CPUs as declared here, not as the machine has them
                "SlurmdParameters=config_overrides",
                "NodeName=" + node + " CPUs=" + CPUS + " RealMemory=" + memory + " Gres=gpu:" + GPUS + " State=UNKNOWN",
                "PartitionName=gpu Nodes=" + node + " Default=YES MaxTime=INFINITE State=UP", ""));
        Files.writeString(dir.resolve("gres.conf"), "NodeName=" + node + " Name=gpu File=" + dir.resolve("dev/nvidia")
                + "[0-" + (GPUS - 1) + "]\n");
    }

    private void startDaemons() {
        Path munge = dir.resolve("munge");
        run(List.of("munged", "--force", "--socket=" + munge.resolve("socket"), "--key-file=" + munge.resolve("munge.key"),
                "--pid-file=" + munge.resolve("munged.pid"), "--seed-file=" + munge.resolve("munged.seed"),
                "--log-file=" + dir.resolve("log/munged.log")));
        daemons.add(munge.resolve("munged.pid").toString());
        await(Duration.ofSeconds(30), () -> {
            ProcessResult r = exec(List.of("sh", "-c", "munge -n -S '" + munge.resolve("socket") + "' | unmunge -S '"
                    + munge.resolve("socket") + "'"), Map.of());
            return r.code() == 0 && r.out().contains("STATUS:          Success") ? Optional.of(true) : Optional.empty();
        }, () -> "munged did not answer; its log:\n" + Processes.tail(dir.resolve("log/munged.log")));

        run(List.of("slurmctld", "-c", "-f", conf.toString()));
        daemons.add(dir.resolve("slurmctld.pid").toString());
        run(List.of("slurmd", "-f", conf.toString()));
        daemons.add(dir.resolve("slurmd.pid").toString());
        await(Duration.ofSeconds(60), () -> {
            ProcessResult r = exec(List.of("sinfo", "-h", "-o", "%T %G"), clientEnvironment());
            return r.out().strip().equals("idle gpu:" + GPUS) ? Optional.of(true) : Optional.empty();
        }, () -> "the node did not come up idle with its GPUs; slurmd's log:\n" + Processes.tail(dir.resolve("log/slurmd.log"))
                + "\nslurmctld's:\n" + Processes.tail(dir.resolve("log/slurmctld.log")));
    }

    /** sbatch with these options, script and arguments; returns the job id. */
    String sbatch(List<String> options, Path script, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(options);
        command.add(script.toString());
        command.addAll(args);
        Map<String, String> all = new HashMap<>(env);
        all.putAll(clientEnvironment());
        ProcessResult r = exec(command, all);
        if (r.code() != 0) {
            throw new IllegalStateException("sbatch failed (" + r.code() + "): " + r.out());
        }
        return r.out().strip().split(";")[0];
    }

    /** A Slurm client command's output (scontrol, squeue, scancel); fails if it fails. */
    String client(String... command) {
        ProcessResult r = exec(List.of(command), clientEnvironment());
        if (r.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code() + "): " + r.out());
        }
        return r.out();
    }

    /** The job's state as the controller has it (COMPLETED etc. for a while after it ended). */
    String state(String job) {
        Matcher m = STATE.matcher(client("scontrol", "show", "job", "-o", job));
        return m.find() ? m.group(1) : "?";
    }

    /** Waits until the job is in one of {@code states}; returns that state. */
    String awaitState(String job, Duration timeout, String... states) {
        List<String> wanted = List.of(states);
        return await(timeout, () -> Optional.of(state(job)).filter(wanted::contains),
                () -> "job " + job + " is " + state(job) + ", not " + wanted + "\n" + client("scontrol", "show", "job", job));
    }

    /** Cancels every job, waits until none runs, stops the daemons and waits until they are gone. */
    @Override
    public void close() throws IOException {
        try {
            if (daemons.size() == 3) {
                exec(List.of("scancel", "--user=root"), clientEnvironment());
                await(Duration.ofMinutes(2), () -> exec(List.of("squeue", "-h"), clientEnvironment()).out().isBlank()
                        ? Optional.of(true) : Optional.empty(), () -> "jobs still running:\n" + client("squeue"));
                exec(List.of("scontrol", "shutdown"), clientEnvironment());
            }
        } finally {
            for (String pidFile : daemons) {
                stop(Path.of(pidFile));
            }
        }
    }

    /** Waits a minute for a daemon to end (munged: stops it), then ends it. */
    private static void stop(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> daemon = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        if (pidFile.getFileName().toString().equals("munged.pid")) {
            daemon.ifPresent(ProcessHandle::destroy);
        }
        try {
            await(Duration.ofMinutes(1), () -> daemon.filter(ProcessHandle::isAlive).isEmpty() ? Optional.of(true)
                    : Optional.empty(), () -> pidFile + ": the daemon did not stop");
        } finally {
            daemon.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Polls {@code condition} until it gives a value or {@code timeout} passes (then fails with {@code why}). */
    static <T> T await(Duration timeout, Supplier<Optional<T>> condition, Supplier<String> why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + why.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    record ProcessResult(int code, String out) {
    }

    /** Runs a command to its end (stdout and stderr together). */
    static ProcessResult exec(List<String> command, Map<String, String> env) {
        try {
            List<String> resolved = new ArrayList<>(command);
            which(command.get(0)).ifPresent(p -> resolved.set(0, p.toString()));
            ProcessBuilder pb = new ProcessBuilder(resolved).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end in 2 minutes");
            }
            return new ProcessResult(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) {
        ProcessResult r = exec(command, Map.of());
        if (r.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code() + "): " + r.out());
        }
    }

    private static String output(List<String> command) {
        return exec(command, Map.of()).out();
    }

    private static Optional<Path> which(String program) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
