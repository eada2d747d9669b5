package org.nashpo.worker.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The one way nashpo publishes an output, a file or a directory, on any Hadoop FileSystem: it is
 * written under a staging path, then renamed onto its target in one step, so a reader sees all of
 * it or none of it.
 *
 * <ul>
 *   <li><b>Never a half-written target.</b> Nothing is written at the target's path; the rename that
 *       publishes refuses an existing target (HDFS's rename2, which is atomic; on a local disk a file
 *       is hard-linked, which is atomic too, and a directory checked and renamed) instead of moving the
 *       staging path into it, as a plain {@link FileSystem#rename} does with a directory.</li>
 *   <li><b>A concurrent publisher loses cleanly.</b> When the target exists at publish time, the
 *       caller says whether to keep it ({@link IfExists#KEEP}: this output is removed and
 *       {@link #publish} returns false) or to replace it ({@link IfExists#REPLACE}: the old target
 *       is moved aside, the new one renamed in, the old one deleted). If the rename fails, the old
 *       one goes back; if another writer publishes in between, its output stays whole, and this one
 *       and the old one are removed; a crash in between leaves the old one aside, where
 *       {@link #removeCrashed} puts it back.</li>
 *   <li><b>A crashed writer's staging is recognised and removed.</b> A staging name records its
 *       writer (process id and host); {@link #removeCrashed} deletes the staging paths whose writer
 *       on this host is gone, or, from other hosts, that nothing has touched for {@link #STALE_AFTER}
 *       (with the checksum files a local disk keeps beside them), and puts back a directory a crashed
 *       replacement had moved aside.</li>
 * </ul>
 */
public final class Staged {

    /** What {@link #publish} does when the target exists. */
    public enum IfExists {
        /** The existing target stays; this output is removed. */
        KEEP,
        /** This output replaces the existing target. */
        REPLACE
    }

    /** How long a staging path of another host's writer may sit untouched before it counts as crashed. */
    public static final Duration STALE_AFTER = Duration.ofDays(2);

    private static final String STAGING = ".staging.";
    /** Where a replaced directory waits while its replacement is renamed in. */
    private static final String ASIDE = ".replaced.";
    private static final java.util.regex.Pattern TEMPORARY =
            java.util.regex.Pattern.compile("\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp$");
    private static final long PID = ProcessHandle.current().pid();
    static final String HOST = host();

    private final FileSystem fs;
    private final Path path;
    private final Path target;

    private Staged(FileSystem fs, Path path, Path target) {
        this.fs = fs;
        this.path = path;
        this.target = target;
    }

    /** A staging path beside {@code target}, hidden from readers: {@code .<name>.staging.<id>.<pid>@<host>}. */
    public static Staged beside(FileSystem fs, Path target) {
        if (target.getParent() == null) {
            throw new IllegalArgumentException(target + ": is a file system root; expected a path below one");
        }
        return new Staged(fs, new Path(target.getParent(), writerName(target.getName(), STAGING)), target);
    }

    /** A staging path for {@code target} inside {@code directory} (a staging area the readers skip). */
    public static Staged in(FileSystem fs, Path directory, Path target) {
        return new Staged(fs, new Path(directory, writerName(target.getName(), STAGING)), target);
    }

    /** {@code .<name><mark><id>.<pid>@<host>}: hidden from readers, unique, naming its writer. */
    private static String writerName(String name, String mark) {
        return "." + name + mark + UUID.randomUUID().toString().substring(0, 8) + "." + PID + "@" + HOST;
    }

    /** Where to write the output: a file, or a directory the caller creates and fills. */
    public Path path() {
        return path;
    }

    public Path target() {
        return target;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** {@link #publish(Function)} with the same answer for any existing target. */
    public boolean publish(IfExists ifExists) {
        return publish(existing -> ifExists);
    }

    /**
     * Renames the staged output onto the target. If the target exists, {@code decide} is asked
     * about it (it may inspect it, or move it away itself and answer {@link IfExists#REPLACE}).
     *
     * @return true if this output is now the target; false if the existing target was kept (this
     *     output is then removed)
     */
    public boolean publish(Function<Path, IfExists> decide) {
        try {
            FileContext context = FileContext.getFileContext(fs.getUri(), fs.getConf());
            fs.mkdirs(target.getParent());
            if (renamed(context)) {
                return true;
            }
            if (decide.apply(target) == IfExists.KEEP) {
                abandon();
                return false;
            }
            FileStatus old = status(target);
            if (old == null || old.isFile()) {
                // a file is replaced in one step (HDFS's rename2, POSIX rename); so is a target gone meanwhile
                context.rename(path, target, Options.Rename.OVERWRITE);
                return true;
            }
            // a directory cannot be: the old one moves aside, and comes back if the new one cannot go in
            Path aside = new Path(target.getParent(), writerName(target.getName(), ASIDE));
            if (!fs.rename(target, aside)) {
                throw new IOException("could not move the existing " + target + " aside to " + aside);
            }
            boolean in;
            try {
                in = renamed(context);
            } catch (IOException e) {
                context.rename(aside, target, Options.Rename.NONE);
                throw e;
            }
            if (!in) {
                // another writer published in between: its output supersedes the old one as this one would
                // have, and putting the old one back with a plain rename would move it inside the winner's
                fs.delete(aside, true);
                abandon();
                throw new IOException(target + " was published by another writer meanwhile");
            }
            fs.delete(aside, true);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + path + " as " + target + ": " + e.getMessage(), e);
        }
    }

    private FileStatus status(Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** Renames the staging path onto the target unless the target exists; false if it does. */
    private boolean renamed(FileContext context) throws IOException {
        java.nio.file.Path local = localFile(fs, path);
        if (local != null && java.nio.file.Files.isRegularFile(local)) {
            Boolean linked = linked(local, localFile(fs, target));
            if (linked != null) {
                return linked;
            }
        }
        try {
            context.rename(path, target, Options.Rename.NONE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * A local file published in one step that refuses an existing target: a hard link (link(2) fails if
     * the name exists), then the staging name removed. Hadoop's local rename checks, then renames, and moves
     * the checksum file beside it in a second rename: two writers racing both passed the check, the
     * second replaced the first's file and then failed on its checksum file, which it left in the
     * staging area (and the target's checksum no longer matched it). Null if the file system cannot link.
     */
    private static Boolean linked(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
        try {
            java.nio.file.Files.createLink(to, from);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException cannotLink) {
            return null;
        }
        java.nio.file.Files.delete(from);
        java.nio.file.Path checksum = checksumFile(from);
        if (java.nio.file.Files.exists(checksum)) {
            java.nio.file.Files.move(checksum, checksumFile(to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /** Where Hadoop's local file system keeps a file's checksums: {@code .<name>.crc} beside it. */
    private static java.nio.file.Path checksumFile(java.nio.file.Path file) {
        return file.resolveSibling("." + file.getFileName() + ".crc");
    }

    /** The local file behind {@code p} on a local Hadoop file system, else null. */
    private static java.nio.file.Path localFile(FileSystem fs, Path p) {
        if (fs instanceof LocalFileSystem local) {
            return local.pathToFile(p).toPath();
        }
        if (fs instanceof RawLocalFileSystem raw) {
            return raw.pathToFile(p).toPath();
        }
        return null;
    }

    /** Deletes the staged output: nothing of an unfinished output stays. */
    public void abandon() {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Cleans up after crashed writers in {@code directory} (of any target when {@code name} is null,
     * else of the target called {@code name}): deletes their staging paths, and puts back a directory
     * a crashed replacement had moved aside (deletes it if its target is there). A writer counts as
     * crashed if it is a process of this host that is gone (or that started after the path was last
     * touched, its id reused), or a writer on another host that has not touched the path for
     * {@link #STALE_AFTER}. A live writer's paths stay.
     *
     * @return the paths removed or put back
     */
    public static List<Path> removeCrashed(FileSystem fs, Path directory, String name) {
        PathFilter ours = p -> {
            String own = stagedName(p.getName());
            return own.startsWith(".") && (own.contains(STAGING) || own.contains(ASIDE))
                    && (name == null || own.startsWith("." + name + STAGING) || own.startsWith("." + name + ASIDE));
        };
        // a local file system's listing hides the checksum files beside staged files; its raw one shows them
        FileSystem listing = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
        List<Path> cleaned = new ArrayList<>();
        try {
            for (FileStatus s : listing.listStatus(directory, ours)) {
                if (!crashed(s, Instant.now())) {
                    continue;
                }
                String entry = s.getPath().getName();
                if (!entry.equals(stagedName(entry))) {
                    // a crashed writer's temporary file or checksum file of its staged output
                    if (listing.delete(s.getPath(), false)) {
                        cleaned.add(s.getPath());
                    }
                    continue;
                }
                int aside = entry.contains(STAGING) ? -1 : entry.lastIndexOf(ASIDE);
                // a directory moved aside whose replacement never arrived goes back; anything else goes
                Path target = aside > 1 ? new Path(directory, entry.substring(1, aside)) : null;
                if (target != null && !fs.exists(target) ? fs.rename(s.getPath(), target)
                        : fs.delete(s.getPath(), true)) {
                    cleaned.add(s.getPath());
                }
            }
        } catch (FileNotFoundException noDirectory) {
            return cleaned;
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning up crashed writers in " + directory + ": " + e.getMessage(), e);
        }
        return cleaned;
    }

    /**
     * The staged path a file belongs to: a local checksum file {@code .<name>.crc}, or the temporary file
     * {@code .<name>.<uuid>.tmp} that earlier versions' run-file writer filled before renaming it to the
     * staged name (a writer of theirs killed meanwhile left it; {@link RunFiles} now writes the staged name
     * itself), or the checksum file of that; other names unchanged.
     */
    private static String stagedName(String name) {
        String own = name;
        if (own.startsWith("..") && own.endsWith(".crc")) {
            own = own.substring(1, own.length() - ".crc".length());
        }
        if (own.startsWith("..") && TEMPORARY.matcher(own).find()) {
            own = TEMPORARY.matcher(own.substring(1)).replaceFirst("");
        }
        return own;
    }

    static boolean crashed(FileStatus staging, Instant now) {
        String name = stagedName(staging.getPath().getName());
        int mark = name.lastIndexOf(STAGING) >= 0 ? name.lastIndexOf(STAGING) + STAGING.length()
                : name.lastIndexOf(ASIDE) + ASIDE.length();
        String writer = name.substring(mark);
        int dot = writer.indexOf('.');
        int at = writer.indexOf('@');
        Instant touched = Instant.ofEpochMilli(staging.getModificationTime());
        if (dot < 0 || at < dot) {
            return Duration.between(touched, now).compareTo(STALE_AFTER) > 0;
        }
        long pid;
        try {
            pid = Long.parseLong(writer.substring(dot + 1, at));
        } catch (NumberFormatException e) {
            return Duration.between(touched, now).compareTo(STALE_AFTER) > 0;
        }
        if (!writer.substring(at + 1).equals(HOST)) {
            return Duration.between(touched, now).compareTo(STALE_AFTER) > 0;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        // a live process with that id that started after the writer last touched the path is another one
        return process.get().info().startInstant().map(started -> started.isAfter(touched)).orElse(false);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^[0-9]+@", "");
        }
    }
}
