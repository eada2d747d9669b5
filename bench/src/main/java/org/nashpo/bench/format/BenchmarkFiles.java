package org.nashpo.bench.format;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableFileInput;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * Reads a benchmark directory: its manifest, checked against this library's grid and spaces, and the
 * rows of the files the manifest lists, whose cellcodes are in the digits of the manifest's space
 * ({@link Manifests#searchSpace}). Rows are decoded in parallel over byte ranges of the files (split at
 * Avro's sync markers, as Hadoop splits them), so reading time does not depend on how many files a
 * writer produced.
 */
public final class BenchmarkFiles {

    /** Smallest byte range one task decodes. */
    private static final long MIN_SPLIT = 1 << 20;

    private BenchmarkFiles() {
    }

    /**
     * Reads and checks the manifest of the benchmark in {@code directory}: every problem found (format
     * version, space, schedules, grid, missing or resized files, unknown tables) is listed in one
     * {@link IllegalArgumentException}.
     */
    public static BenchmarkManifest readManifest(Path directory) {
        Path path = directory.resolve(BenchmarkLayout.MANIFEST);
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("benchmark directory " + directory + " does not exist; expected a "
                    + "directory holding " + BenchmarkLayout.MANIFEST + " (written by `nashpo synth-bench` or the "
                    + "aggregate job)");
        }
        if (!Files.isRegularFile(path)) {
            List<String> datasets = datasets(directory);
            if (!datasets.isEmpty()) {
                throw new IllegalArgumentException("benchmark directory " + directory + " holds the benchmarks of the "
                        + "data sets " + datasets + " in subdirectories: open one by name (Benchmark.open(directory, "
                        + "\"" + datasets.get(0) + "\"), or the directory " + directory.resolve(datasets.get(0)) + ")");
            }
            throw new IllegalArgumentException("benchmark directory " + directory + " has no " + BenchmarkLayout.MANIFEST
                    + ": it is not a benchmark, or its writer did not finish");
        }
        BenchmarkManifest manifest;
        try (InputStream in = Files.newInputStream(path)) {
            manifest = Manifests.read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
        }
        List<String> problems = problems(directory, manifest);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(path + ": " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
        }
        return manifest;
    }

    /**
     * The data sets of a directory of data sets: of its subdirectories named by a data set
     * ({@code BenchmarkLayout.datasetDirectory}), those holding a manifest, in the data sets' order; empty for a
     * benchmark itself or anything else.
     */
    public static List<String> datasets(Path directory) {
        List<String> held = new ArrayList<>();
        if (Files.isRegularFile(directory.resolve(BenchmarkLayout.MANIFEST))) {
            return held;
        }
        for (Dataset dataset : Dataset.values()) {
            String name = BenchmarkLayout.datasetDirectory(dataset);
            if (Files.isRegularFile(directory.resolve(name).resolve(BenchmarkLayout.MANIFEST))) {
                held.add(name);
            }
        }
        return held;
    }

    private static List<String> problems(Path directory, BenchmarkManifest m) {
        List<String> problems = new ArrayList<>();
        if (!BenchmarkLayout.READABLE_VERSIONS.contains(m.getFormatVersion())) {
            problems.add("formatVersion: is " + m.getFormatVersion() + ", expected "
                    + BenchmarkLayout.READABLE_VERSIONS.stream().map(String::valueOf).collect(Collectors.joining(" or ")));
        }
        List<String> spaceProblems = spaceProblems(m);
        problems.addAll(spaceProblems);
        if (m.getFormatVersion() == 1) {
            // format 1 is the published benchmark's shape, complete
            expect(problems, "shortEpochs", m.getShortEpochs(), BenchmarkLayout.SHORT_EPOCHS);
            expect(problems, "longEpochs", m.getLongEpochs(), BenchmarkLayout.LONG_EPOCHS);
            expect(problems, "learningRates", m.getLearningRates(), HpGrid.LEARNING_RATES);
            expect(problems, "batchSizes", m.getBatchSizes(), HpGrid.BATCH_SIZES);
            expect(problems, "seeds", m.getSeeds(), HpGrid.SEEDS);
            if (spaceProblems.isEmpty()) {
                expect(problems, "counts.configurations", m.getCounts().getConfigurations(),
                        ConfigIndex.size(Manifests.searchSpace(m)));
            }
        } else {
            if (m.getShortEpochs() < 1 || m.getShortEpochs() > Byte.MAX_VALUE) {
                problems.add("shortEpochs: is " + m.getShortEpochs() + ", expected 1.." + Byte.MAX_VALUE);
            }
            if (m.getLongEpochs() != 0 && m.getLongEpochs() <= m.getShortEpochs()) {
                problems.add("longEpochs: is " + m.getLongEpochs() + ", expected 0 (none) or more than shortEpochs ("
                        + m.getShortEpochs() + ")");
            }
            subset(problems, "learningRates", m.getLearningRates(), HpGrid.LEARNING_RATES);
            subset(problems, "batchSizes", m.getBatchSizes(), HpGrid.BATCH_SIZES);
            subset(problems, "seeds", m.getSeeds(), HpGrid.SEEDS);
        }
        String runsTable = runsTable(m);
        String predictionsTable = predictionsTable(m);
        List<String> tables = new ArrayList<>(List.of(runsTable, BenchmarkLayout.CLASSES_TABLE,
                BenchmarkLayout.CONFIGURATIONS_TABLE, BenchmarkLayout.SURROGATE_TABLE));
        if (m.getLongEpochs() > 0) {
            tables.add(BenchmarkLayout.runsTable(m.getLongEpochs()));
            tables.add(predictionsTable);
        }
        if (m.getFormatVersion() == 1) {
            tables = List.of(runsTable, predictionsTable);
        }
        long runs = 0;
        long predictions = 0;
        for (int i = 0; i < m.getFiles().size(); i++) {
            BenchmarkFile f = m.getFiles().get(i);
            String where = "files[" + i + "] (" + f.getPath() + ")";
            if (f.getTable().equals(runsTable)) {
                runs += f.getRecords();
            } else if (f.getTable().equals(predictionsTable)) {
                predictions += f.getRecords();
            } else if (!tables.contains(f.getTable())) {
                problems.add(where + ".table: \"" + f.getTable() + "\" is not a table; expected one of "
                        + String.join(", ", tables));
            }
            Path file = directory.resolve(f.getPath());
            if (!file.normalize().startsWith(directory.normalize())) {
                problems.add(where + ".path: points outside the benchmark directory");
            } else if (!Files.isRegularFile(file)) {
                problems.add(where + ": the file is missing");
            } else {
                try {
                    long size = Files.size(file);
                    if (size != f.getBytes()) {
                        problems.add(where + ": the file has " + size + " bytes, the manifest says " + f.getBytes());
                    }
                } catch (IOException e) {
                    problems.add(where + ": cannot read its size: " + e.getMessage());
                }
            }
        }
        expect(problems, "counts.runs", m.getCounts().getRuns(), runs);
        expect(problems, "counts.predictions", m.getCounts().getPredictions(), predictions);
        return problems;
    }

    /** What is wrong with the manifest's space: operations or a network family this library does not know. */
    private static List<String> spaceProblems(BenchmarkManifest m) {
        List<String> problems = new ArrayList<>();
        try {
            Manifests.searchSpace(m);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            Manifests.family(m);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            Manifests.split(m);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** The table of trained runs queries read: {@code runs-S}. */
    private static String runsTable(BenchmarkManifest m) {
        return m.getShortEpochs() >= 1 ? BenchmarkLayout.runsTable(m.getShortEpochs()) : "runs-" + m.getShortEpochs();
    }

    /** The table of long-schedule predictions: {@code predictions-L}; none (null) without a long schedule. */
    private static String predictionsTable(BenchmarkManifest m) {
        return m.getLongEpochs() >= 1 ? BenchmarkLayout.predictionsTable(m.getLongEpochs()) : null;
    }

    private static <T> void subset(List<String> problems, String field, List<T> actual, List<T> grid) {
        if (actual.isEmpty()) {
            problems.add(field + ": is empty; expected some of " + grid);
        }
        for (T v : actual) {
            if (!grid.contains(v)) {
                problems.add(field + ": holds " + v + ", which is not in the protocol's grid " + grid);
            }
        }
        if (actual.stream().distinct().count() != actual.size()) {
            problems.add(field + ": holds a value twice: " + actual);
        }
    }

    private static void expect(List<String> problems, String field, Object actual, Object expected) {
        if (!actual.equals(expected)) {
            problems.add(field + ": is " + actual + ", expected " + expected);
        }
    }

    /**
     * Decodes every row of the files of the runs table ({@code runs-S}) and the predictions table
     * ({@code predictions-L}) the manifest lists, on all cores, into rows of the manifest's space.
     * {@code runs} and {@code predictions} are called from several threads at once, each time with a
     * buffer that is reused after the call returns. A row that is unreadable, or that a sink rejects with an
     * {@link IllegalArgumentException}, stops the reading with an error naming the file, the byte
     * range and the row; so does a file whose row count differs from the manifest's.
     *
     * @return rows read
     */
    public static long read(Path directory, BenchmarkManifest manifest, Consumer<RunRow> runs,
            Consumer<PredictionRow> predictions) {
        String runsTable = runsTable(manifest);
        String predictionsTable = predictionsTable(manifest);
        SearchSpace space = Manifests.searchSpace(manifest);
        Cellcodes cellcodes = Cellcodes.of(space);
        // only the tables queries read are decoded; the others are checked for their size only
        List<BenchmarkFile> decoded = manifest.getFiles().stream()
                .filter(f -> f.getTable().equals(runsTable) || f.getTable().equals(predictionsTable))
                .toList();
        List<Split> splits = new ArrayList<>();
        int parts = 2 * Runtime.getRuntime().availableProcessors();
        for (BenchmarkFile f : decoded) {
            long step = Math.max(MIN_SPLIT, (f.getBytes() + parts - 1) / parts);
            for (long start = 0; start < f.getBytes(); start += step) {
                splits.add(new Split(f, directory.resolve(f.getPath()), start, Math.min(f.getBytes(), start + step)));
            }
        }
        long[] counts = splits.parallelStream().mapToLong(s -> s.file.getTable().equals(runsTable)
                ? s.read(new RunRowCodec.Reader(cellcodes), new RunRow(space), runs)
                : s.read(new PredictionRowCodec.Reader(cellcodes), new PredictionRow(space), predictions)).toArray();
        long total = 0;
        for (BenchmarkFile f : decoded) {
            long read = 0;
            for (int i = 0; i < splits.size(); i++) {
                if (splits.get(i).file == f) {
                    read += counts[i];
                }
            }
            if (read != f.getRecords()) {
                throw new IllegalArgumentException(directory.resolve(f.getPath()) + ": holds " + read
                        + " rows, the manifest says " + f.getRecords());
            }
            total += read;
        }
        return total;
    }

    /**
     * Recomputes the SHA-256 of every file the manifest lists; returns one line per file whose checksum
     * differs (empty when all match).
     */
    public static List<String> verifyChecksums(Path directory, BenchmarkManifest manifest) {
        return manifest.getFiles().parallelStream().map(f -> {
            try (InputStream in = Files.newInputStream(directory.resolve(f.getPath()))) {
                String actual = Manifests.sha256(in);
                return actual.equals(f.getSha256()) ? null
                        : f.getPath() + ": sha256 is " + actual + ", the manifest says " + f.getSha256();
            } catch (IOException e) {
                return f.getPath() + ": cannot be read: " + e.getMessage();
            }
        }).filter(line -> line != null).toList();
    }

    private record Split(BenchmarkFile file, Path path, long start, long end) {

        <T> long read(RowReader<T> datumReader, T row, Consumer<T> sink) {
            File local = path.toFile();
            long rows = 0;
            try (DataFileReader<T> reader = new DataFileReader<>(new SeekableFileInput(local), datumReader)) {
                boolean raw = datumReader.isExpected(reader.getSchema());
                BlockDecoder block = new BlockDecoder();
                reader.sync(start);
                // DataFileReader.pastSync(end) without its file-length check, a system call each time: at
                // the end of the file hasNext() is false anyway
                while (reader.hasNext() && reader.previousSync() < end + DataFileConstants.SYNC_SIZE) {
                    if (raw) {
                        long count = reader.getBlockCount();
                        block.reset(reader.nextBlock());
                        for (long i = 0; i < count; i++) {
                            datumReader.readRaw(row, block);
                            accept(sink, row);
                        }
                        if (!block.atEnd()) {
                            throw new IllegalArgumentException("a block holds more bytes than its " + count + " rows");
                        }
                        rows += count;
                    } else {
                        reader.next(row);
                        accept(sink, row);
                        rows++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(where() + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException | AvroRuntimeException e) {
                throw new IllegalArgumentException(where() + ": " + e.getMessage(), e);
            }
            return rows;
        }

        private static <T> void accept(Consumer<T> sink, T row) {
            try {
                sink.accept(row);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + row + ": " + e.getMessage(), e);
            }
        }

        private String where() {
            return path + " (bytes " + start + ".." + end + ")";
        }
    }
}
