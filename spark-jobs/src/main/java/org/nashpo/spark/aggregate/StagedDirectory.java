package org.nashpo.spark.aggregate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.bench.BenchmarkLayout;

/**
 * An output directory on any Hadoop FileSystem that appears whole or not at all: everything is
 * written under a hidden staging directory beside the target, which is renamed to the target at the
 * end. An existing target is replaced only when asked to, and only if it is what the writer would
 * produce (a benchmark, for the aggregate job); the old one is moved aside before the rename and
 * deleted after it, so a failure leaves either the old or the new directory.
 */
public final class StagedDirectory {

    /** What an existing target must look like to be replaced. */
    public enum Replaceable {
        /** A benchmark directory (it holds a manifest) or an empty directory. */
        BENCHMARK,
        /** Anything. */
        ANY
    }

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private final Replaceable replaceable;

    private StagedDirectory(FileSystem fs, Path target, boolean overwrite, Replaceable replaceable) {
        this.fs = fs;
        this.target = target;
        this.overwrite = overwrite;
        this.replaceable = replaceable;
        this.staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
    }

    /**
     * Checks the target and creates the staging directory. An existing target without
     * {@code overwrite}, or one that is not {@code replaceable}, is an {@link IllegalArgumentException}.
     */
    public static StagedDirectory begin(URI target, Configuration conf, boolean overwrite, Replaceable replaceable,
            String what) {
        // Path(String) drops a trailing slash, which Path(URI) keeps: a local directory that exists comes as
        // "file:/…/bench/", whose name would be empty and whose staging would land inside it
        Path path = new Path(target.toString());
        if (path.getParent() == null) {
            throw new IllegalArgumentException(what + " " + target + ": is a file system root; expected a directory "
                    + "below one");
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            StagedDirectory dir = new StagedDirectory(fs, fs.makeQualified(path), overwrite, replaceable);
            dir.requireWritable(what);
            fs.mkdirs(dir.staging);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + what + " " + target + ": " + e.getMessage(), e);
        }
    }

    private void requireWritable(String what) throws IOException {
        if (!fs.exists(target)) {
            return;
        }
        if (!overwrite) {
            throw new IllegalArgumentException(what + " " + target + " already exists; choose another location or "
                    + "pass --overwrite to replace it");
        }
        FileStatus status = fs.getFileStatus(target);
        if (replaceable == Replaceable.BENCHMARK && (!status.isDirectory()
                || (!fs.exists(new Path(target, BenchmarkLayout.MANIFEST)) && fs.listStatus(target).length > 0))) {
            throw new IllegalArgumentException(what + " " + target + " exists and is not a benchmark directory (it "
                    + "has no " + BenchmarkLayout.MANIFEST + "); --overwrite replaces benchmarks only");
        }
    }

    /** The directory to write into; its contents become the target's on {@link #publish()}. */
    public Path staging() {
        return staging;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** The qualified target. */
    public Path target() {
        return target;
    }

    /** Renames the staging directory to the target (moving an existing target aside first). */
    public void publish() {
        try {
            Path old = null;
            if (fs.exists(target)) {
                requireWritable("output");
                old = new Path(target.getParent(), "." + target.getName() + ".replaced-" + UUID.randomUUID());
                if (!fs.rename(target, old)) {
                    throw new IOException("could not move the existing " + target + " aside to " + old);
                }
            }
            if (!fs.rename(staging, target)) {
                if (old != null) {
                    fs.rename(old, target);
                }
                throw new IOException("could not rename " + staging + " to " + target);
            }
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the staging directory: nothing of an unfinished output stays visible. */
    public void abandon() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + staging + ": " + e.getMessage(), e);
        }
    }
}
