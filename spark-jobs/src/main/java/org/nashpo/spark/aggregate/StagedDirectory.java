package org.nashpo.spark.aggregate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.worker.io.Staged;

/**
 * An output directory on any Hadoop FileSystem that appears whole or not at all ({@link Staged}):
 * everything is written under a hidden staging directory beside the target, which is renamed to the
 * target at the end. An existing target is replaced only when asked to, and only if it is what the
 * writer would produce (a benchmark, for the aggregate job); a failure leaves either the old or the
 * new directory. Staging left beside the target by a crashed writer is removed when the next begins.
 */
public final class StagedDirectory {

    /** What an existing target must look like to be replaced. */
    public enum Replaceable {
        /** A benchmark directory (it holds a manifest) or an empty directory. */
        BENCHMARK,
        /** Anything. */
        ANY
    }

    private final Staged staged;
    private final boolean overwrite;
    private final Replaceable replaceable;

    private StagedDirectory(Staged staged, boolean overwrite, Replaceable replaceable) {
        this.staged = staged;
        this.overwrite = overwrite;
        this.replaceable = replaceable;
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
            Path qualified = fs.makeQualified(path);
            StagedDirectory dir = new StagedDirectory(Staged.beside(fs, qualified), overwrite, replaceable);
            dir.requireWritable(what);
            Staged.removeCrashed(fs, qualified.getParent(), qualified.getName());
            fs.mkdirs(dir.staging());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + what + " " + target + ": " + e.getMessage(), e);
        }
    }

    private void requireWritable(String what) throws IOException {
        FileSystem fs = fileSystem();
        Path target = target();
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
        return staged.path();
    }

    public FileSystem fileSystem() {
        return staged.fileSystem();
    }

    /** The qualified target. */
    public Path target() {
        return staged.target();
    }

    /**
     * Renames the staging directory to the target. A target that exists by now is replaced only if
     * this output may replace it; otherwise the error says why (and {@link #abandon()} removes this
     * output).
     */
    public void publish() {
        staged.publish(existing -> {
            try {
                requireWritable("output");
            } catch (IOException e) {
                throw new UncheckedIOException("checking " + existing + ": " + e.getMessage(), e);
            }
            return Staged.IfExists.REPLACE;
        });
    }

    /** Deletes the staging directory: nothing of an unfinished output stays visible. */
    public void abandon() {
        staged.abandon();
    }
}
