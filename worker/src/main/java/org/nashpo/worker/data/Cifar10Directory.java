package org.nashpo.worker.data;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A directory in the official CIFAR-10 binary layout on any Hadoop FileSystem: {@code
 * data_batch_1.bin … data_batch_5.bin} (the training records, concatenated in that order) and {@code
 * test_batch.bin}; each record is 1 label byte and 3,072 pixel bytes, any whole number of records
 * per file (0 included). An optional {@code MD5SUMS} ({@code md5sum} output) is verified.
 *
 * <p>{@link #open} checks the layout and the file sizes without reading the data; {@link #load} reads
 * every file once, start to end, computing its md5 and checking every label, and keeps only the
 * pixels of the images the subset needs. Every problem is a {@link DataException} naming the file's
 * full URI, raised before any training starts.
 */
public final class Cifar10Directory {

    public static final int RECORD_BYTES = 1 + CifarImages.IMAGE_BYTES;
    public static final List<String> TRAINING_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String MANIFEST = "MD5SUMS";

    /** Records read per readFully: 3 MB, large enough for throughput, small enough to not matter. */
    private static final int CHUNK_RECORDS = 1024;
    /** {@code md5sum} lines: hex, then two spaces (text mode) or space and '*' (binary mode), then the name. */
    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-fA-F]{32}) [ *](.+)");

    private final FileSystem fs;
    private final Path directory;
    /** Each training file's record count, in TRAINING_FILES order. */
    private final long[] trainingFileRecords;
    private final long trainingRecords;
    private final long testRecords;
    /** File name → md5 MD5SUMS lists (lower case); empty without a manifest. */
    private final Map<String, String> expectedMd5;

    private Cifar10Directory(FileSystem fs, Path directory, long[] trainingFileRecords, long testRecords,
            Map<String, String> expectedMd5) {
        this.fs = fs;
        this.directory = directory;
        this.trainingFileRecords = trainingFileRecords;
        this.trainingRecords = Arrays.stream(trainingFileRecords).sum();
        this.testRecords = testRecords;
        this.expectedMd5 = expectedMd5;
    }

    /**
     * Checks the directory's layout: it exists and is not empty, all six batch files are there, each
     * is a whole number of records, and MD5SUMS, if present, is well formed and lists only files that
     * exist. A location without a scheme is a path on the local file system.
     */
    public static Cifar10Directory open(String location, Configuration conf) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(conf, "conf");
        if (location.isBlank()) {
            throw new DataException("no CIFAR-10 directory given");
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
                throw new DataException("CIFAR-10 directory " + directory + " does not exist", e);
            }
            if (!status.isDirectory()) {
                throw new DataException("CIFAR-10 directory " + directory + " is not a directory");
            }
            Map<String, FileStatus> files = new HashMap<>();
            for (FileStatus entry : fs.listStatus(directory)) {
                files.put(entry.getPath().getName(), entry);
            }
            if (files.isEmpty()) {
                throw new DataException("CIFAR-10 directory " + directory + " is empty; it must hold "
                        + String.join(", ", TRAINING_FILES) + " and " + TEST_FILE);
            }

            // collect every layout problem, so one attempt shows them all
            List<String> problems = new ArrayList<>();
            long[] trainingFileRecords = new long[TRAINING_FILES.size()];
            for (int i = 0; i < trainingFileRecords.length; i++) {
                trainingFileRecords[i] = records(directory, files, TRAINING_FILES.get(i), problems);
            }
            long testRecords = records(directory, files, TEST_FILE, problems);
            Map<String, String> expectedMd5 = files.containsKey(MANIFEST)
                    ? manifest(fs, new Path(directory, MANIFEST), files, problems)
                    : Map.of();
            if (!problems.isEmpty()) {
                throw new DataException("CIFAR-10 directory " + directory + " is not usable: "
                        + String.join("; ", problems));
            }
            return new Cifar10Directory(fs, directory, trainingFileRecords, testRecords, expectedMd5);
        } catch (IOException e) {
            throw new UncheckedIOException("reading CIFAR-10 directory " + given + ": " + e.getMessage(), e);
        }
    }

    /** The record count of a batch file, or -1 after adding why it has none to {@code problems}. */
    private static long records(Path directory, Map<String, FileStatus> files, String name, List<String> problems) {
        FileStatus status = files.get(name);
        Path path = new Path(directory, name);
        if (status == null || !status.isFile()) {
            problems.add("batch file " + path + " is missing");
            return -1;
        }
        long size = status.getLen();
        if (size % RECORD_BYTES != 0) {
            problems.add("batch file " + path + " is " + size + " bytes, not a multiple of the " + RECORD_BYTES
                    + "-byte record (remainder " + size % RECORD_BYTES + ": truncated, or not a CIFAR-10 batch file?)");
            return -1;
        }
        return size / RECORD_BYTES;
    }

    private static Map<String, String> manifest(FileSystem fs, Path path, Map<String, FileStatus> files,
            List<String> problems) throws IOException {
        String text;
        try (InputStream in = fs.open(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> md5 = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher m = MANIFEST_LINE.matcher(lines[i]);
            if (!m.matches()) {
                problems.add(path + " line " + (i + 1) + " is not '<md5 hex>  <file name>': '" + lines[i] + "'");
                continue;
            }
            String name = m.group(2);
            if (md5.put(name, m.group(1).toLowerCase()) != null) {
                problems.add(path + " lists " + name + " twice");
            } else if (!files.containsKey(name)) {
                problems.add(path + " lists " + new Path(path.getParent(), name) + ", which is missing");
            }
        }
        return md5;
    }

    /** The directory, fully qualified (e.g. {@code file:/data/cifar-10}, {@code hdfs://nn:8020/cifar}). */
    public URI uri() {
        return directory.toUri();
    }

    /** Records in the five training batch files together. */
    public long trainingRecords() {
        return trainingRecords;
    }

    /** Records in the test batch file. */
    public long testRecords() {
        return testRecords;
    }

    /**
     * Reads the subset of {@code split}: checks first that the directory holds every record it needs,
     * then reads each batch file once, whole (its md5 and every label are checked), keeping only
     * the pixels of the images the subset uses.
     */
    public TrainingData load(Split split, Subset subset) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(subset, "subset");
        requireAvailable("train", split.train, subset.train());
        requireAvailable("valid", split.valid, subset.valid());
        if (subset.test() > testRecords) {
            throw new DataException("test size " + subset.test() + " needs " + subset.test() + " test records but "
                    + new Path(directory, TEST_FILE) + " holds " + testRecords + "; at most " + testRecords
                    + " test images are available there");
        }

        // where each training record goes: its position in the train or valid subset, or -1
        int[] trainSlot = slots(split.train, subset.train());
        int[] validSlot = slots(split.valid, subset.valid());
        byte[][] pixels = {new byte[subset.train() * CifarImages.IMAGE_BYTES], new byte[subset.valid() * CifarImages.IMAGE_BYTES],
            new byte[subset.test() * CifarImages.IMAGE_BYTES]};
        byte[][] labels = {new byte[subset.train()], new byte[subset.valid()], new byte[subset.test()]};
        byte[] buffer = new byte[CHUNK_RECORDS * RECORD_BYTES];
        Map<String, String> checksums = new HashMap<>(split.checksums());

        long first = 0;
        for (int f = 0; f < TRAINING_FILES.size(); f++) {
            long base = first;
            checksums.put(TRAINING_FILES.get(f), read(TRAINING_FILES.get(f), trainingFileRecords[f], buffer,
                    (record, label, chunk, offset) -> {
                        long index = base + record;
                        if (index < Split.TRAINING_RECORDS) {
                            keep(trainSlot[(int) index], label, chunk, offset, pixels[0], labels[0]);
                            keep(validSlot[(int) index], label, chunk, offset, pixels[1], labels[1]);
                        }
                    }));
            first += trainingFileRecords[f];
        }
        checksums.put(TEST_FILE, read(TEST_FILE, testRecords, buffer, (record, label, chunk, offset) ->
                keep(record < subset.test() ? (int) record : -1, label, chunk, offset, pixels[2], labels[2])));
        verifyUnreadManifestEntries();

        return new TrainingData(uri(), subset, new CifarImages(pixels[0], labels[0]), new CifarImages(pixels[1], labels[1]),
                new CifarImages(pixels[2], labels[2]), checksums);
    }

    /** Fails, saying what is possible, when the first {@code size} indices reach past the records present. */
    private void requireAvailable(String set, int[] indices, int size) {
        int needed = -1;
        int available = size;
        for (int i = 0; i < size; i++) {
            needed = Math.max(needed, indices[i]);
            if (indices[i] >= trainingRecords && available == size) {
                available = i;
            }
        }
        if (needed >= trainingRecords) {
            throw new DataException(set + " size " + size + " needs record " + needed + " but " + directory + " holds "
                    + trainingRecords + " training records; at most " + available + " " + set
                    + " images are available there");
        }
    }

    private static int[] slots(int[] indices, int size) {
        int[] slot = new int[Split.TRAINING_RECORDS];
        Arrays.fill(slot, -1);
        for (int i = 0; i < size; i++) {
            slot[indices[i]] = i;
        }
        return slot;
    }

    private static void keep(int slot, byte label, byte[] chunk, int offset, byte[] pixels, byte[] labels) {
        if (slot >= 0) {
            labels[slot] = label;
            System.arraycopy(chunk, offset + 1, pixels, slot * CifarImages.IMAGE_BYTES, CifarImages.IMAGE_BYTES);
        }
    }

    /** Receives each record of a file as it is read: its index in the file, its label and where its bytes are. */
    @FunctionalInterface
    private interface RecordSink {
        void accept(long record, byte label, byte[] chunk, int offset);
    }

    /** Reads a batch file whole, checking labels and md5 and handing each record to {@code sink}; returns the md5. */
    private String read(String name, long records, byte[] buffer, RecordSink sink) {
        Path path = new Path(directory, name);
        MessageDigest md5 = Md5.newDigest();
        try (FSDataInputStream in = fs.open(path)) {
            for (long record = 0; record < records; ) {
                int count = (int) Math.min(CHUNK_RECORDS, records - record);
                try {
                    in.readFully(buffer, 0, count * RECORD_BYTES);
                } catch (EOFException e) {
                    throw new DataException("batch file " + path + " is shorter than the " + records * RECORD_BYTES
                            + " bytes it had when the directory was opened (truncated meanwhile?)", e);
                }
                md5.update(buffer, 0, count * RECORD_BYTES);
                for (int i = 0; i < count; i++, record++) {
                    int offset = i * RECORD_BYTES;
                    int label = buffer[offset] & 0xFF;
                    if (label >= CifarImages.CLASSES) {
                        throw new DataException("batch file " + path + ": label " + label + " at record " + record
                                + " (0-based); CIFAR-10 labels are 0–9");
                    }
                    sink.accept(record, (byte) label, buffer, offset);
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
            if (TRAINING_FILES.contains(name) || TEST_FILE.equals(name)) {
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
