package org.nashpo.spark.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * A benchmark directory on any Hadoop FileSystem, read through its manifest: what export and
 * fit-surrogate open.
 */
public final class BenchmarkSource {

    private final Path root;
    private final FileSystem fs;
    private final BenchmarkManifest manifest;

    private BenchmarkSource(Path root, FileSystem fs, BenchmarkManifest manifest) {
        this.root = root;
        this.fs = fs;
        this.manifest = manifest;
    }

    /** Opens the manifest; a directory without a readable one is an error naming it. */
    public static BenchmarkSource open(String uri, Configuration conf) {
        Path root = new Path(URI.create(uri));
        Path manifestPath = new Path(root, BenchmarkLayout.MANIFEST);
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(manifestPath)) {
                throw new IllegalArgumentException(manifestPath + ": missing; benchmark " + uri + " has no "
                        + BenchmarkLayout.MANIFEST + ": it is not a benchmark directory (the output of nashpo aggregate "
                        + "or synth-bench, whose manifest is written last), or its writer did not finish");
            }
            BenchmarkManifest manifest;
            try (InputStream in = fs.open(manifestPath)) {
                manifest = Manifests.read(in, manifestPath.toString());
            }
            if (!BenchmarkLayout.READABLE_VERSIONS.contains(manifest.getFormatVersion())) {
                throw new IllegalArgumentException(manifestPath + ": formatVersion is " + manifest.getFormatVersion()
                        + ", expected one of " + BenchmarkLayout.READABLE_VERSIONS);
            }
            return new BenchmarkSource(fs.makeQualified(root), fs, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("reading benchmark " + uri + ": " + e.getMessage(), e);
        }
    }

    public BenchmarkManifest manifest() {
        return manifest;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Path root() {
        return root;
    }

    /** The files of a table, as the manifest lists them. */
    List<BenchmarkFile> files(String table) {
        return manifest.getFiles().stream().filter(f -> f.getTable().equals(table)).toList();
    }

    /** Qualified paths of a table's files. */
    List<String> paths(String table) {
        List<String> paths = new ArrayList<>();
        for (BenchmarkFile f : files(table)) {
            paths.add(new Path(root, f.getPath()).toString());
        }
        return paths;
    }

    String runsTable() {
        return BenchmarkLayout.runsTable(manifest.getShortEpochs());
    }

    /** {@code runs-L}, or null without a long schedule. */
    String longRunsTable() {
        return manifest.getLongEpochs() > 0 ? BenchmarkLayout.runsTable(manifest.getLongEpochs()) : null;
    }

    /** {@code predictions-L}, or null without a long schedule. */
    String predictionsTable() {
        return manifest.getLongEpochs() > 0 ? BenchmarkLayout.predictionsTable(manifest.getLongEpochs()) : null;
    }

    /** Reads every row of a table; a file holding another row count than the manifest says is an error. */
    <T extends SpecificRecord> void read(String table, Class<T> type, Consumer<T> sink) {
        for (BenchmarkFile f : files(table)) {
            Path path = new Path(root, f.getPath());
            long rows = 0;
            try (InputStream in = fs.open(path);
                    DataFileStream<T> reader = new DataFileStream<>(in, new SpecificDatumReader<>(type))) {
                for (T row : reader) {
                    sink.accept(row);
                    rows++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
            }
            if (rows != f.getRecords()) {
                throw new IllegalArgumentException(path + ": holds " + rows + " rows, the manifest says "
                        + f.getRecords());
            }
        }
    }
}
