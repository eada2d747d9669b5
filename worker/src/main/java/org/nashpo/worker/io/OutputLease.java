package org.nashpo.worker.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * One driver at a time on a construct output: the file {@code _lease} in it names the driver that
 * holds it. Two constructs on one output (a job resubmitted while the first still runs, two clusters
 * on one HDFS) would otherwise each train every run the output lacks.
 *
 * <ul>
 *   <li><b>Taken by an atomic create.</b> The lease file is created only if it does not exist (HDFS's
 *       create without overwrite, which the NameNode decides; on a local disk {@code O_EXCL}).</li>
 *   <li><b>Renewed while its driver lives.</b> The holder sets the file's modification time twelve
 *       times per time to live (every 5 s of the default minute), and checks that the file is still its
 *       own. Often, so that a driver watching a live holder's lease sees it renewed soon.</li>
 *   <li><b>Recognisably stale after a crash.</b> A driver that finds the lease held watches the file
 *       for one time to live. Renewed meanwhile: the holder is alive, and this driver is refused with
 *       a {@link HeldException} naming it. Not renewed: the holder is gone, and the lease is taken
 *       over (moved aside by one atomic rename, so of several drivers taking it over one succeeds). No
 *       clocks are compared, so hosts' clocks may differ. A holder on this host whose process is gone
 *       is recognised at once, without watching.</li>
 *   <li><b>Released</b> when closed, and when the JVM shuts down (a driver stopped by SIGTERM, as
 *       schedulers stop jobs), before Hadoop closes its file systems.</li>
 * </ul>
 *
 * <p>A holder that cannot renew its lease for a time to live, or finds it taken over (after a pause
 * longer than that), has lost it: {@link #onLost} callbacks run, and the driver should stop.
 */
public final class OutputLease implements AutoCloseable {

    /** The lease's file in a construct output. */
    public static final String LEASE = "_lease";
    /** How long a lease may go unrenewed before another driver takes it over. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** Before Spark stops its context (FileSystem's priority + 30) and Hadoop closes its file systems. */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;

    /**
     * Who holds a lease, as its file says.
     *
     * @param id unique per acquisition
     * @param what the command, e.g. {@code nashpo construct tiny}
     * @param job the batch job it runs in, e.g. {@code Slurm job 17}, or empty
     */
    public record Holder(String id, String what, String user, String host, long pid, String job, Instant since) {

        static Holder ofThisProcess(String what) {
            return new Holder(UUID.randomUUID().toString(), what, System.getProperty("user.name", "?"), Staged.HOST,
                    ProcessHandle.current().pid(), batchJob(System.getenv()), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        /** {@code nashpo construct tiny, pid 1234 on node7 (user ada, Slurm job 17), since 2026-...}. */
        public String describe() {
            return what + ", pid " + pid + " on " + host + " (user " + user + (job.isEmpty() ? "" : ", " + job) + "), since "
                    + since;
        }

        String text() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("what", what);
            fields.put("user", user);
            fields.put("host", host);
            fields.put("pid", String.valueOf(pid));
            fields.put("job", job);
            fields.put("since", since.toString());
            StringBuilder text = new StringBuilder();
            fields.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
            return text.toString();
        }

        /** The holder a lease file names; empty while it is being written (or if it is not a lease). */
        static Optional<Holder> parse(String text) {
            Map<String, String> fields = new LinkedHashMap<>();
            text.lines().forEach(line -> {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            });
            try {
                return Optional.of(new Holder(fields.get("id"), fields.get("what"), fields.get("user"), fields.get("host"),
                        Long.parseLong(fields.get("pid")), fields.get("job"), Instant.parse(fields.get("since"))))
                        .filter(h -> h.id != null && h.what != null && h.user != null && h.host != null && h.job != null);
            } catch (RuntimeException incomplete) {
                return Optional.empty();
            }
        }

        /** A holder of this host whose process is gone (or whose process id now belongs to a later process). */
        boolean goneFromThisHost() {
            if (!host.equals(Staged.HOST)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isEmpty() || !process.get().isAlive()
                    || process.get().info().startInstant().map(started -> started.isAfter(since.plusSeconds(1)))
                            .orElse(false);
        }

        /** The batch job this process runs in, as the batch systems' environments name it. */
        static String batchJob(Map<String, String> env) {
            if (env.get("SLURM_JOB_ID") != null) {
                return "Slurm job " + env.get("SLURM_JOB_ID");
            }
            if (env.get("PBS_JOBID") != null) {
                return "PBS job " + env.get("PBS_JOBID");
            }
            if (env.get("SGE_ROOT") != null && env.get("JOB_ID") != null) {
                return "SGE job " + env.get("JOB_ID");
            }
            return "";
        }
    }

    /** The output is leased to a driver that is alive: this one must not train its runs. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient Holder holder;

        HeldException(String output, Holder holder, Duration ttl) {
            super(output + " is being built by another construct: " + (holder == null ? "a driver whose lease is still "
                    + "being written" : holder.describe()) + ". It renewed its lease while this construct watched, so it is "
                    + "alive and trains the runs this one would; this one stops. Start it again once that one has ended "
                    + "(it then trains what is still missing) or stop that one; a construct that crashed loses its lease "
                    + "once it has gone unrenewed for " + ttl.toSeconds() + " s.");
            this.holder = holder;
        }

        /** The holder, or null if its lease file was still being written. */
        public Holder holder() {
            return holder;
        }
    }

    private final String output;
    private final Store store;
    private final Holder mine;
    private final Duration ttl;
    private final List<Runnable> onLost = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService renewal;
    private final Runnable release = this::release;
    private volatile String lost;
    private long lastTouched;
    private long lastRenewedNanos = System.nanoTime();
    private boolean released;

    private OutputLease(String output, Store store, Holder mine, Duration ttl) {
        this.output = output;
        this.store = store;
        this.mine = mine;
        this.ttl = ttl;
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nashpo-lease-renewal");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the lease of {@code output} for the driver doing {@code what}: at once if nobody holds it,
     * after one time to live if its holder has stopped renewing it.
     *
     * @param notes where to say what it waits for
     * @throws HeldException if a live driver holds it
     */
    public static OutputLease acquire(URI output, Configuration conf, String what, Duration ttl, Consumer<String> notes) {
        if (ttl.toMillis() < 100) {
            throw new IllegalArgumentException("ttl: must be at least 100 ms, was " + ttl);
        }
        Holder mine = Holder.ofThisProcess(what);
        OutputLease lease = new OutputLease(output.toString(), Store.of(new Path(output), conf), mine, ttl);
        try {
            lease.take(notes);
        } catch (IOException e) {
            throw new UncheckedIOException("taking the lease of " + output + ": " + e.getMessage(), e);
        }
        return lease;
    }

    public Holder holder() {
        return mine;
    }

    /** Runs {@code callback} (once, on the renewal thread) if the lease is lost while held. */
    public void onLost(Runnable callback) {
        onLost.add(callback);
        if (lost != null) {
            callback.run();
        }
    }

    /** Why the lease was lost, or empty while it is held. */
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    /** Stops renewing and deletes the lease file (if it is still this driver's). */
    @Override
    public void close() {
        renewal.shutdownNow();
        try {
            renewal.awaitTermination(ttl.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(release);
        }
        release();
    }

    private void take(Consumer<String> notes) throws IOException {
        byte[] text = mine.text().getBytes(StandardCharsets.UTF_8);
        while (true) {
            if (store.create(LEASE, text)) {
                Snapshot created = store.read(LEASE);
                lastTouched = created == null ? 0 : created.modified();
                ShutdownHookManager.get().addShutdownHook(release, SHUTDOWN_PRIORITY, 10, TimeUnit.SECONDS);
                long period = Math.max(1, ttl.toMillis() / 12);
                renewal.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
                return;
            }
            Snapshot seen = store.read(LEASE);
            if (seen == null) {
                continue;
            }
            Optional<Holder> holder = Holder.parse(seen.text());
            if (holder.isPresent() && holder.get().goneFromThisHost()) {
                if (takeOver(seen)) {
                    notes.accept("took over the lease of " + output + " from " + holder.get().describe()
                            + ": that process is gone");
                }
                continue;
            }
            notes.accept(output + " is leased to " + holder.map(Holder::describe).orElse("a driver writing its lease")
                    + "; watching for up to " + ttl.toSeconds() + " s whether it is alive");
            Snapshot now = watch(seen);
            if (now == null) {
                continue;
            }
            if (!now.equals(seen)) {
                throw new HeldException(output, Holder.parse(now.text()).orElse(null), ttl);
            }
            if (takeOver(seen)) {
                notes.accept("took over the lease of " + output + " from "
                        + holder.map(Holder::describe).orElse("a driver that never finished writing it")
                        + ": it was not renewed for " + ttl.toSeconds() + " s");
            }
        }
    }

    /**
     * Watches the lease file for one time to live: returns what it became when it changed (its holder
     * renewed it: alive), {@code seen} itself if it did not change (stale), null if it is gone.
     */
    private Snapshot watch(Snapshot seen) throws IOException {
        long deadline = System.nanoTime() + ttl.toNanos();
        long step = Math.max(20, Math.min(1000, ttl.toMillis() / 20));
        while (true) {
            try {
                Thread.sleep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while watching the lease of " + output, e);
            }
            Snapshot now = store.read(LEASE);
            if (now == null || !now.equals(seen)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                return seen;
            }
        }
    }

    /**
     * Moves a stale lease aside, by a rename only one driver can win, and deletes it; true if it was the
     * one judged stale. If what was moved is newer (another driver took over meanwhile), it goes back.
     */
    private boolean takeOver(Snapshot stale) throws IOException {
        String aside = LEASE + ".stale." + mine.id();
        if (!store.moveAside(LEASE, aside)) {
            return false;
        }
        Snapshot moved = store.read(aside);
        if (stale.equals(moved)) {
            store.delete(aside);
            return true;
        }
        if (!store.putBack(aside, LEASE)) {
            // a third driver's lease is in place: the one moved aside learns it lost at its next renewal
            store.delete(aside);
        }
        return false;
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        try {
            Snapshot now = store.read(LEASE);
            Optional<Holder> holder = now == null ? Optional.empty() : Holder.parse(now.text());
            if (holder.isEmpty() || !holder.get().id().equals(mine.id())) {
                lose(now == null ? "its file is gone" : "it is held by " + holder.map(Holder::describe).orElse("another"));
                return;
            }
            long touched = Math.max(System.currentTimeMillis(), lastTouched + 1);
            store.touch(LEASE, touched);
            lastTouched = touched;
            lastRenewedNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            if (System.nanoTime() - lastRenewedNanos > ttl.toNanos()) {
                lose("it could not be renewed for " + ttl.toSeconds() + " s (" + e.getMessage() + ")");
            }
        }
    }

    private void lose(String why) {
        lost = "lost the lease of " + output + ": " + why;
        for (Runnable callback : onLost) {
            callback.run();
        }
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            Snapshot now = store.read(LEASE);
            if (now != null && Holder.parse(now.text()).map(h -> h.id().equals(mine.id())).orElse(false)) {
                store.delete(LEASE);
            }
        } catch (IOException | RuntimeException e) {
            // not released: the lease goes stale once it is not renewed, and the next driver takes it over
        }
    }

    /** A lease file as read: its text and modification time (the holder's renewals change the latter). */
    record Snapshot(String text, long modified) {
    }

    /** The few file operations a lease needs, each atomic where it must be. */
    private interface Store {

        /** Creates {@code name} with {@code content} unless it exists; false if it does. */
        boolean create(String name, byte[] content) throws IOException;

        /** The file, or null if there is none. */
        Snapshot read(String name) throws IOException;

        void touch(String name, long millis) throws IOException;

        /** Renames {@code name} to {@code aside} (a new name); false if {@code name} is gone. */
        boolean moveAside(String name, String aside) throws IOException;

        /** Renames {@code aside} back to {@code name} unless {@code name} exists; false if it does. */
        boolean putBack(String aside, String name) throws IOException;

        void delete(String name) throws IOException;

        static Store of(Path output, Configuration conf) {
            try {
                FileSystem fs = output.getFileSystem(conf);
                if (fs instanceof LocalFileSystem local) {
                    return new Local(local.pathToFile(output).toPath());
                }
                if (fs instanceof RawLocalFileSystem raw) {
                    return new Local(raw.pathToFile(output).toPath());
                }
                return new Hadoop(fs, fs.makeQualified(output));
            } catch (IOException e) {
                throw new UncheckedIOException("opening the file system of " + output + ": " + e.getMessage(), e);
            }
        }
    }

    /** A local disk, through the operating system: {@code O_EXCL}, rename(2), link(2). */
    private record Local(java.nio.file.Path dir) implements Store {

        @Override
        public boolean create(String name, byte[] content) throws IOException {
            Files.createDirectories(dir);
            try {
                Files.write(dir.resolve(name), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        public Snapshot read(String name) throws IOException {
            java.nio.file.Path file = dir.resolve(name);
            try {
                long modified = Files.getLastModifiedTime(file).toMillis();
                return new Snapshot(Files.readString(file, StandardCharsets.UTF_8), modified);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        public void touch(String name, long millis) throws IOException {
            Files.setLastModifiedTime(dir.resolve(name), FileTime.fromMillis(millis));
        }

        @Override
        public boolean moveAside(String name, String aside) throws IOException {
            try {
                Files.move(dir.resolve(name), dir.resolve(aside), StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException e) {
                return false;
            }
        }

        @Override
        public boolean putBack(String aside, String name) throws IOException {
            try {
                Files.createLink(dir.resolve(name), dir.resolve(aside));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            Files.delete(dir.resolve(aside));
            return true;
        }

        @Override
        public void delete(String name) throws IOException {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    /** Any other Hadoop file system: create without overwrite and rename2 (both atomic on HDFS's NameNode). */
    private record Hadoop(FileSystem fs, Path dir) implements Store {

        @Override
        public boolean create(String name, byte[] content) throws IOException {
            try (OutputStream out = fs.create(new Path(dir, name), false)) {
                out.write(content);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                // HDFS refuses a create while another client is creating the file (AlreadyBeingCreatedException,
                // its client's lease): then it exists, and this create lost
                if (fs.exists(new Path(dir, name))) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        public Snapshot read(String name) throws IOException {
            Path file = new Path(dir, name);
            try {
                long modified = fs.getFileStatus(file).getModificationTime();
                try (InputStream in = fs.open(file)) {
                    return new Snapshot(new String(in.readAllBytes(), StandardCharsets.UTF_8), modified);
                }
            } catch (FileNotFoundException e) {
                return null;
            }
        }

        @Override
        public void touch(String name, long millis) throws IOException {
            fs.setTimes(new Path(dir, name), millis, -1);
        }

        @Override
        public boolean moveAside(String name, String aside) throws IOException {
            try {
                context().rename(new Path(dir, name), new Path(dir, aside), Options.Rename.NONE);
                return true;
            } catch (FileNotFoundException e) {
                return false;
            }
        }

        @Override
        public boolean putBack(String aside, String name) throws IOException {
            try {
                context().rename(new Path(dir, aside), new Path(dir, name), Options.Rename.NONE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        public void delete(String name) throws IOException {
            fs.delete(new Path(dir, name), false);
        }

        private FileContext context() throws IOException {
            return FileContext.getFileContext(fs.getUri(), fs.getConf());
        }
    }
}
