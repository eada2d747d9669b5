package org.nashpo.worker.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system without a process per file. Without Hadoop's native library (not on
 * Maven Central), {@code RawLocalFileSystem} sets the permission of every file it creates by running
 * {@code chmod}: forking a large JVM for each file limits a writer of many small files to a few
 * dozen per second. This one sets permissions through {@code java.nio}; files, checksum files and
 * permissions come out as Hadoop's own.
 */
public final class LocalFiles {

    private LocalFiles() {
    }

    /** A new, initialised {@code file:} file system (checksummed, as Hadoop's default); close it after use. */
    public static LocalFileSystem withoutForks(Configuration conf) {
        LocalFileSystem fs = new LocalFileSystem(new NioPermissions());
        try {
            fs.initialize(URI.create("file:///"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("initialising the local file system: " + e.getMessage(), e);
        }
        return fs;
    }

    private static final class NioPermissions extends RawLocalFileSystem {
        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(permission.toString()));
        }
    }
}
