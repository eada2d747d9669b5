package org.nashpo.worker.data;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.data.Dataset;

/**
 * A directory in the official binary layout of CIFAR-10 or CIFAR-100 on any Hadoop FileSystem:
 *
 * <ul>
 *   <li>CIFAR-10 ({@code cifar-10-batches-bin}): {@code data_batch_1.bin … data_batch_5.bin} (the training
 *       records, concatenated in that order) and {@code test_batch.bin}; each record is 1 label byte (0–9) and
 *       3,072 pixel bytes;
 *   <li>CIFAR-100 ({@code cifar-100-binary}): {@code train.bin} and {@code test.bin}; each record is a coarse
 *       label byte (0–19), a fine label byte (0–99, the class) and 3,072 pixel bytes.
 * </ul>
 *
 * <p>Any whole number of records per file (0 included). An optional {@code MD5SUMS} ({@code md5sum} output) is
 * verified. {@link #open} checks the layout and the file sizes without reading the data; {@link #load} reads
 * every file once, start to end, computing its md5 and checking every label, and keeps only the pixels of the
 * images the subset needs. Every problem is a {@link DataException} naming the file's full URI, raised before
 * any training starts.
 */
public final class CifarDirectory implements DataDirectory {

    /** CIFAR-10's record: a label byte and the image. */
    public static final int RECORD_BYTES = 1 + Dataset.CIFAR10.imageBytes();
    /** CIFAR-10's training files, in the order their records are numbered. */
    public static final List<String> TRAINING_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** CIFAR-10's test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** CIFAR-100's training file. */
    public static final String CIFAR100_TRAINING_FILE = "train.bin";
    /** CIFAR-100's test file. */
    public static final String CIFAR100_TEST_FILE = "test.bin";
    public static final String MANIFEST = "MD5SUMS";
    /** CIFAR-100's coarse labels, 0–19, the byte before each fine label. */
    private static final int COARSE_CLASSES = 20;

    /** Records read per readFully: 3 MB, large enough for throughput, small enough to not matter. */
    private static final int CHUNK_RECORDS = 1024;
    /** {@code md5sum} lines: hex, then two spaces (text mode) or space and '*' (binary mode), then the name. */

    private final Dataset dataset;
    private final FileSystem fs;
    private final Path directory;
    /** Each training file's record count, in TRAINING_FILES order. */
    private final long[] trainingFileRecords;
    private final long trainingRecords;
    private final long testRecords;
    /** File name → md5 MD5SUMS lists (lower case); empty without a manifest. */
    private final Map<String, String> expectedMd5;

    private CifarDirectory(Dataset dataset, FileSystem fs, Path directory, long[] trainingFileRecords,
            long testRecords, Map<String, String> expectedMd5) {
        this.dataset = dataset;
        this.fs = fs;
        this.directory = directory;
        this.trainingFileRecords = trainingFileRecords;
        this.trainingRecords = Arrays.stream(trainingFileRecords).sum();
        this.testRecords = testRecords;
        this.expectedMd5 = expectedMd5;
    }

    /** A CIFAR-10 directory, as {@link #open(Dataset, String, Configuration)}. */
    public static CifarDirectory open(String location, Configuration conf) {
        return open(Dataset.CIFAR10, location, conf);
    }

    /**
     * Checks the directory's layout: it exists and is not empty, all its data set's batch files are there, each
     * is a whole number of records, and MD5SUMS, if present, is well formed and lists only files that
     * exist. A location without a scheme is a path on the local file system.
     */
    public static CifarDirectory open(Dataset dataset, String location, Configuration conf) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(conf, "conf");
        if (dataset != Dataset.CIFAR10 && dataset != Dataset.CIFAR100) {
            throw new IllegalArgumentException(dataset + " is not a CIFAR data set");
        }
        String title = dataset.title();
        if (location.isBlank()) {
            throw new DataException("no " + title + " directory given");
        }
        Path given = new Path(location);
        try {
            // a bare path is local even when fs.defaultFS points at a cluster
            FileSystem fs = given.toUri().getScheme() == null ? FileSystem.getLocal(conf) : given.getFileSystem(conf);
            Path directory = fs.makeQualified(given);
            FileStatus status;
            try {
                status = fs.getFileStatus(directory);
            } catch (FileNotFoundException e) {
                throw new DataException(title + " directory " + directory + " does not exist", e);
            }
            if (!status.isDirectory()) {
                throw new DataException(title + " directory " + directory + " is not a directory");
            }
            Map<String, FileStatus> files = new HashMap<>();
            for (FileStatus entry : fs.listStatus(directory)) {
                files.put(entry.getPath().getName(), entry);
            }
            List<String> trainingFiles = trainingFiles(dataset);
            String testFile = testFile(dataset);
            if (files.isEmpty()) {
                throw new DataException(title + " directory " + directory + " is empty; it must hold "
                        + String.join(", ", trainingFiles) + " and " + testFile);
            }

            // collect every layout problem, so one attempt shows them all
            List<String> problems = new ArrayList<>();
            long[] trainingFileRecords = new long[trainingFiles.size()];
            for (int i = 0; i < trainingFileRecords.length; i++) {
                trainingFileRecords[i] = records(dataset, directory, files, trainingFiles.get(i), problems);
            }
            long testRecords = records(dataset, directory, files, testFile, problems);
            Map<String, String> expectedMd5 = files.containsKey(MANIFEST)
                    ? Md5.manifest(fs, new Path(directory, MANIFEST), files, problems)
                    : Map.of();
            if (!problems.isEmpty()) {
                throw new DataException(title + " directory " + directory + " is not usable: "
                        + String.join("; ", problems));
            }
            return new CifarDirectory(dataset, fs, directory, trainingFileRecords, testRecords, expectedMd5);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + title + " directory " + given + ": " + e.getMessage(), e);
        }
    }

    /** The training files of a CIFAR data set, in the order their records are numbered. */
    public static List<String> trainingFiles(Dataset dataset) {
        return dataset == Dataset.CIFAR10 ? TRAINING_FILES : List.of(CIFAR100_TRAINING_FILE);
    }

    /** The test file of a CIFAR data set. */
    public static String testFile(Dataset dataset) {
        return dataset == Dataset.CIFAR10 ? TEST_FILE : CIFAR100_TEST_FILE;
    }

    /** The bytes before a record's image: CIFAR-10's label, CIFAR-100's coarse and fine labels. */
    private static int labelBytes(Dataset dataset) {
        return dataset == Dataset.CIFAR10 ? 1 : 2;
    }

    /** Bytes of one record of a CIFAR data set's binary files. */
    public static int recordBytes(Dataset dataset) {
        return labelBytes(dataset) + dataset.imageBytes();
    }

    /** The record count of a batch file, or -1 after adding why it has none to {@code problems}. */
    private static long records(Dataset dataset, Path directory, Map<String, FileStatus> files, String name,
            List<String> problems) {
        FileStatus status = files.get(name);
        Path path = new Path(directory, name);
        if (status == null || !status.isFile()) {
            problems.add("batch file " + path + " is missing");
            return -1;
        }
        long size = status.getLen();
        int record = recordBytes(dataset);
        if (size % record != 0) {
            problems.add("batch file " + path + " is " + size + " bytes, not a multiple of the " + record
                    + "-byte record (remainder " + size % record + ": truncated, or not a " + dataset.title()
                    + " batch file?)");
            return -1;
        }
        return size / record;
    }


    @Override
    public Dataset dataset() {
        return dataset;
    }

    @Override
    public URI uri() {
        return directory.toUri();
    }

    /** Records in the training batch files together. */
    @Override
    public long trainingRecords() {
        return trainingRecords;
    }

    /** Records in the test batch file. */
    @Override
    public long testRecords() {
        return testRecords;
    }

    @Override
    public TrainingData load(Split split, Subset subset) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(subset, "subset");
        if (split.dataset() != dataset) {
            throw new IllegalArgumentException("a split of " + split.dataset() + " cannot divide " + dataset);
        }
        Collector.require(split, subset, trainingRecords, testRecords, directory.toString(),
                new Path(directory, testFile(dataset)).toString());
        Collector kept = new Collector(split, subset, trainingRecords, testRecords);
        byte[] buffer = new byte[CHUNK_RECORDS * recordBytes(dataset)];
        Map<String, String> checksums = new HashMap<>(split.checksums());
        List<String> trainingFiles = trainingFiles(dataset);
        long first = 0;
        for (int f = 0; f < trainingFiles.size(); f++) {
            long base = first;
            checksums.put(trainingFiles.get(f), read(trainingFiles.get(f), trainingFileRecords[f], buffer,
                    (record, label, chunk, offset) -> kept.accept(Split.Source.TRAINING,
                            Math.toIntExact(base + record), label, chunk, offset)));
            first += trainingFileRecords[f];
        }
        checksums.put(testFile(dataset), read(testFile(dataset), testRecords, buffer, (record, label, chunk, offset) ->
                kept.accept(Split.Source.TEST, Math.toIntExact(record), label, chunk, offset)));
        verifyUnreadManifestEntries();
        return kept.build(uri(), checksums);
    }

    /** Receives each record of a file as it is read: its index in the file, its class and where its image is. */
    @FunctionalInterface
    private interface RecordSink {
        void accept(long record, int label, byte[] chunk, int offset);
    }

    /** Reads a batch file whole, checking labels and md5 and handing each record to {@code sink}; returns the md5. */
    private String read(String name, long records, byte[] buffer, RecordSink sink) {
        Path path = new Path(directory, name);
        MessageDigest md5 = Md5.newDigest();
        int recordBytes = recordBytes(dataset);
        int labelBytes = labelBytes(dataset);
        try (FSDataInputStream in = fs.open(path)) {
            for (long record = 0; record < records; ) {
                int count = (int) Math.min(CHUNK_RECORDS, records - record);
                try {
                    in.readFully(buffer, 0, count * recordBytes);
                } catch (EOFException e) {
                    throw new DataException("batch file " + path + " is shorter than the " + records * recordBytes
                            + " bytes it had when the directory was opened (truncated meanwhile?)", e);
                }
                md5.update(buffer, 0, count * recordBytes);
                for (int i = 0; i < count; i++, record++) {
                    int offset = i * recordBytes;
                    if (labelBytes == 2 && (buffer[offset] & 0xFF) >= COARSE_CLASSES) {
                        throw new DataException("batch file " + path + ": coarse label " + (buffer[offset] & 0xFF)
                                + " at record " + record + " (0-based); " + dataset.title() + " coarse labels are 0–"
                                + (COARSE_CLASSES - 1));
                    }
                    int label = buffer[offset + labelBytes - 1] & 0xFF;
                    if (label >= dataset.classes()) {
                        throw new DataException("batch file " + path + ": " + (labelBytes == 2 ? "fine " : "")
                                + "label " + label + " at record " + record + " (0-based); " + dataset.title() + " "
                                + (labelBytes == 2 ? "fine " : "") + "labels are 0–" + (dataset.classes() - 1));
                    }
                    sink.accept(record, label, buffer, offset + labelBytes);
                }
            }
            if (in.read() != -1) {
                throw new DataException("batch file " + path + " grew after the directory was opened; it held "
                        + records + " records then");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading batch file " + path + ": " + e.getMessage(), e);
        }
        String actual = Md5.hex(md5);
        verify(path, actual);
        return actual;
    }

    private void verify(Path path, String actual) {
        String expected = expectedMd5.get(path.getName());
        if (expected != null && !expected.equals(actual)) {
            throw new DataException("file " + path + " has md5 " + actual + " but " + new Path(directory, MANIFEST)
                    + " expects " + expected);
        }
    }

    /** Files MD5SUMS lists besides the batch files (e.g. batches.meta.txt) must match too. */
    private void verifyUnreadManifestEntries() {
        for (String name : expectedMd5.keySet()) {
            if (trainingFiles(dataset).contains(name) || testFile(dataset).equals(name)) {
                continue;
            }
            Path path = new Path(directory, name);
            MessageDigest md5 = Md5.newDigest();
            try (InputStream in = fs.open(path)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    md5.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
            }
            verify(path, Md5.hex(md5));
        }
    }
}
