package org.nashpo.spark.surrogate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.spark.export.BenchmarkSource;
import org.nashpo.worker.io.Staged;

/**
 * A benchmark directory on any Hadoop FileSystem as fit-surrogate sees it: its manifest, the files the
 * manifest lists per table, and the one way a tool adds tables to it — each table staged beside its
 * place and published ({@link Staged}), then the manifest replaced in one step.
 */
final class BenchmarkDirectory {

    private final Path root;
    private final FileSystem fs;
    private final BenchmarkManifest manifest;

    private BenchmarkDirectory(Path root, FileSystem fs, BenchmarkManifest manifest) {
        this.root = root;
        this.fs = fs;
        this.manifest = manifest;
    }

    /** Opens a benchmark: its manifest must exist and parse; an {@link IllegalArgumentException} says what is wrong. */
    static BenchmarkDirectory open(URI bench, Configuration conf) {
        BenchmarkSource source = BenchmarkSource.open(bench.toString(), conf);
        return new BenchmarkDirectory(source.root(), source.fileSystem(), source.manifest());
    }

    BenchmarkManifest manifest() {
        return manifest;
    }

    Path root() {
        return root;
    }

    FileSystem fileSystem() {
        return fs;
    }

    Path manifestPath() {
        return new Path(root, BenchmarkLayout.MANIFEST);
    }

    /** The qualified paths of the files the manifest lists for a table; each must exist with its listed size. */
    List<String> tableFiles(String table) throws IOException {
        List<String> files = new ArrayList<>();
        for (BenchmarkFile f : manifest.getFiles()) {
            if (!f.getTable().equals(table)) {
                continue;
            }
            Path p = new Path(root, f.getPath());
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException(manifestPath() + ": lists " + f.getPath() + " (table " + table
                        + "), which does not exist", e);
            }
            if (status.getLen() != f.getBytes()) {
                throw new IllegalArgumentException(manifestPath() + ": lists " + f.getPath() + " with " + f.getBytes()
                        + " bytes, the file has " + status.getLen());
            }
            files.add(p.toString());
        }
        return files;
    }

    /** Whether the manifest lists files of this table or a file or directory of this name exists. */
    boolean holds(String table) throws IOException {
        return manifest.getFiles().stream().anyMatch(f -> f.getTable().equals(table))
                || fs.exists(new Path(root, table));
    }

    /**
     * Where a tool writes a new version of {@code table}: a hidden staging directory beside it,
     * published by {@link #publish}. Staging a crashed writer left in the benchmark is removed first.
     */
    Staged stage(String table) throws IOException {
        Staged.removeCrashed(fs, root, table);
        Staged staged = Staged.beside(fs, new Path(root, table));
        if (!fs.mkdirs(staged.path())) {
            throw new IOException("cannot create " + staged.path());
        }
        return staged;
    }

    /**
     * Publishes the staged tables: each replaces the table of its name, then the manifest is replaced
     * in one step with the tables' files (records as given in {@code records}, by path relative to the
     * benchmark, 0 for files that hold no rows), {@code counts} and the provenance entries added.
     *
     * @return the new manifest
     */
    BenchmarkManifest publish(List<Staged> tables, Map<String, Long> records, BenchmarkCounts counts,
            Map<String, String> provenance) throws IOException {
        List<BenchmarkFile> added = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Staged table : tables) {
            String name = table.target().getName();
            names.add(name);
            listFiles(table.path(), name, name, records, added);
        }
        for (Staged table : tables) {
            table.publish(Staged.IfExists.REPLACE);
        }
        List<BenchmarkFile> files = new ArrayList<>();
        for (BenchmarkFile f : manifest.getFiles()) {
            if (!names.contains(f.getTable())) {
                files.add(f);
            }
        }
        files.addAll(added);
        Map<String, String> prov = new HashMap<>(manifest.getProvenance());
        prov.putAll(provenance);
        BenchmarkManifest updated = BenchmarkManifest.newBuilder(manifest).setFiles(files).setCounts(counts)
                .setProvenance(Map.copyOf(prov)).build();
        Staged manifestFile = Staged.beside(fs, manifestPath());
        try (OutputStream out = fs.create(manifestFile.path(), false)) {
            Manifests.write(updated, out);
        }
        manifestFile.publish(Staged.IfExists.REPLACE);
        return updated;
    }

    private void listFiles(Path dir, String relative, String table, Map<String, Long> records,
            List<BenchmarkFile> out) throws IOException {
        List<FileStatus> entries = new ArrayList<>(List.of(fs.listStatus(dir)));
        entries.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue; // checksums and markers Hadoop and Spark leave beside the data
            }
            String path = relative + "/" + name;
            if (entry.isDirectory()) {
                listFiles(entry.getPath(), path, table, records, out);
            } else {
                String sha256;
                try (InputStream in = fs.open(entry.getPath())) {
                    sha256 = Manifests.sha256(in);
                }
                out.add(BenchmarkFile.newBuilder().setPath(path).setTable(table)
                        .setRecords(records.getOrDefault(path, 0L)).setBytes(entry.getLen()).setSha256(sha256).build());
            }
        }
    }
}
