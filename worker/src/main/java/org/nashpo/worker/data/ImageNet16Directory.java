package org.nashpo.worker.data;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import net.razorvine.pickle.PickleException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.data.Dataset;

/**
 * A directory of ImageNet downsampled to 16×16 (Chrabaszcz, Loshchilov and Hutter 2017) as its authors distribute
 * it, on any Hadoop FileSystem: {@code train_data_batch_1 … train_data_batch_10} (the training images, in that
 * order) and {@code val_data} (the validation images, NAS-Bench-201's test set). Each file is a Python pickle of a
 * dict: {@code data}, a numpy uint8 array of N × 768 (each row an image in CHW planes: 256 red, 256 green, 256 blue
 * bytes, row-major 16×16), and {@code labels}, a list of N ints 1–1000 (train files also hold {@code mean}, which is
 * not used). ImageNet16-120 is the images labelled 1–120, in file order, labelled 0–119 here, as AutoDL-Projects'
 * {@code DownsampledImageNet.py} keeps them ({@code use_num_of_class_only=120}). The pickles are read by
 * {@link NumpyPickles}, whichever protocol wrote them. An optional {@code MD5SUMS} ({@code md5sum} output) is
 * verified.
 *
 * <p>A pickle's images cannot be counted without reading it, so {@link #open} reads every file once, whole:
 * checks its layout and labels, computes its md5 and keeps the images of the 120 classes (151,700 training and
 * 6,000 validation images of the official files, 121 MB); {@link #load} then takes a run's subset from them. Every
 * problem is a {@link DataException} naming the file's full URI and what is wrong with it.
 */
public final class ImageNet16Directory implements DataDirectory {

    public static final List<String> TRAINING_FILES =
            IntStream.rangeClosed(1, 10).mapToObj(i -> "train_data_batch_" + i).toList();
    public static final String VALIDATION_FILE = "val_data";
    public static final String MANIFEST = "MD5SUMS";
    /** The labels of the files: ImageNet's 1,000 classes, numbered from 1. */
    public static final int FILE_CLASSES = 1000;
    private static final Dataset DATASET = Dataset.IMAGENET16_120;
    private static final String TITLE = "ImageNet16";

    private final Path directory;
    private final Kept training;
    private final Kept validation;
    /** File name → md5 of every data file read. */
    private final Map<String, String> checksums;

    private ImageNet16Directory(Path directory, Kept training, Kept validation, Map<String, String> checksums) {
        this.directory = directory;
        this.training = training;
        this.validation = validation;
        this.checksums = Map.copyOf(checksums);
    }

    /** The images of the 120 classes in some files, in file order. */
    private record Kept(byte[] pixels, byte[] labels) {
        int size() {
            return labels.length;
        }
    }

    /**
     * Checks the directory and reads every file: it exists, all eleven files are there and each is a pickle of
     * the official layout with labels 1–1000, and MD5SUMS, if present, is well formed and every file it lists has
     * its md5. A location without a scheme is a path on the local file system.
     */
    public static ImageNet16Directory open(String location, Configuration conf) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(conf, "conf");
        if (location.isBlank()) {
            throw new DataException("no " + TITLE + " directory given");
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
                throw new DataException(TITLE + " directory " + directory + " does not exist", e);
            }
            if (!status.isDirectory()) {
                throw new DataException(TITLE + " directory " + directory + " is not a directory");
            }
            Map<String, FileStatus> files = new HashMap<>();
            for (FileStatus entry : fs.listStatus(directory)) {
                files.put(entry.getPath().getName(), entry);
            }
            List<String> problems = new ArrayList<>();
            for (String name : allFiles()) {
                FileStatus file = files.get(name);
                if (file == null || !file.isFile()) {
                    problems.add("file " + new Path(directory, name) + " is missing");
                }
            }
            Map<String, String> expectedMd5 = files.containsKey(MANIFEST)
                    ? Md5.manifest(fs, new Path(directory, MANIFEST), files, problems)
                    : Map.of();
            if (!problems.isEmpty()) {
                throw new DataException(TITLE + " directory " + directory + " is not usable: "
                        + String.join("; ", problems) + "; it must hold " + String.join(", ", allFiles())
                        + " as distributed (Python pickles)");
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            List<Kept> parts = new ArrayList<>();
            for (String name : TRAINING_FILES) {
                parts.add(read(fs, new Path(directory, name), checksums));
            }
            Kept validation = read(fs, new Path(directory, VALIDATION_FILE), checksums);
            for (Map.Entry<String, String> e : expectedMd5.entrySet()) {
                String actual = checksums.containsKey(e.getKey()) ? checksums.get(e.getKey())
                        : md5(fs, new Path(directory, e.getKey()));
                if (!actual.equals(e.getValue())) {
                    throw new DataException("file " + new Path(directory, e.getKey()) + " has md5 " + actual + " but "
                            + new Path(directory, MANIFEST) + " expects " + e.getValue());
                }
            }
            return new ImageNet16Directory(directory, concatenate(parts), validation, checksums);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + TITLE + " directory " + given + ": " + e.getMessage(), e);
        }
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAINING_FILES);
        all.add(VALIDATION_FILE);
        return all;
    }

    /**
     * Reads one file whole: its md5 (into {@code checksums}), and the images of the 120 classes with their labels
     * 0–119. Anything but a complete pickle of the official layout is refused, naming the file.
     */
    private static Kept read(FileSystem fs, Path path, Map<String, String> checksums) throws IOException {
        MessageDigest md5 = Md5.newDigest();
        Object value;
        try (Ending in = new Ending(new DigestInputStream(new BufferedInputStream(fs.open(path), 1 << 16), md5))) {
            try {
                value = NumpyPickles.load(in);
            } catch (IOException | PickleException | ClassCastException | IllegalArgumentException e) {
                if (in.ended) {
                    throw new DataException(TITLE + " file " + path + " is not a complete pickle of ImageNet16's "
                            + "layout (it ends after " + in.read + " bytes, before the pickle does: truncated)", e);
                }
                if (e instanceof IOException io) {
                    throw io;
                }
                throw new DataException(TITLE + " file " + path + " is not a complete pickle of ImageNet16's "
                        + "layout (" + e.getMessage() + ")", e);
            }
            in.transferTo(OutputStream.nullOutputStream()); // what follows the pickle counts in the md5 too
        }
        checksums.put(path.getName(), Md5.hex(md5));
        return keep(path, value);
    }

    /** A stream that knows whether its reader came to its end, and how many bytes it had read by then. */
    private static final class Ending extends FilterInputStream {
        boolean ended;
        long read;

        Ending(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            read += Math.max(n, 0);
            return n;
        }
    }

    /** The images of the 120 classes of an unpickled file, after checking it is the official layout. */
    private static Kept keep(Path path, Object value) {
        String where = TITLE + " file " + path;
        if (!(value instanceof Map<?, ?> map)) {
            throw new DataException(where + " holds " + describe(value) + ", not a dict with data and labels");
        }
        if (!(map.get("data") instanceof NumpyPickles.Array data)) {
            throw new DataException(where + ": its 'data' is " + describe(map.get("data"))
                    + ", expected a numpy uint8 array of N × " + DATASET.imageBytes());
        }
        long[] shape = data.shape();
        if (!data.type().equals("u1") || shape.length != 2 || shape[1] != DATASET.imageBytes()
                || data.fortranOrder()) {
            throw new DataException(where + ": its 'data' is a " + (data.fortranOrder() ? "Fortran-ordered " : "")
                    + data + ", expected a C-ordered numpy u1 array of N × " + DATASET.imageBytes() + " (16×16×3)");
        }
        int rows = Math.toIntExact(shape[0]);
        if (data.data().length != (long) rows * DATASET.imageBytes()) {
            throw new DataException(where + ": its 'data' holds " + data.data().length + " bytes for " + rows + " × "
                    + DATASET.imageBytes());
        }
        if (!(map.get("labels") instanceof List<?> labels)) {
            throw new DataException(where + ": its 'labels' is " + describe(map.get("labels"))
                    + ", expected a list of ints 1–" + FILE_CLASSES);
        }
        if (labels.size() != rows) {
            throw new DataException(where + " holds " + labels.size() + " labels for " + rows + " images");
        }
        int kept = 0;
        int[] label = new int[rows];
        for (int i = 0; i < rows; i++) {
            Object l = labels.get(i);
            if (!(l instanceof Integer || l instanceof Long) || ((Number) l).longValue() < 1
                    || ((Number) l).longValue() > FILE_CLASSES) {
                throw new DataException(where + ": label " + l + " of image " + i + " (0-based) is not 1–"
                        + FILE_CLASSES);
            }
            label[i] = ((Number) l).intValue();
            if (label[i] <= DATASET.classes()) {
                kept++;
            }
        }
        byte[] pixels = new byte[kept * DATASET.imageBytes()];
        byte[] classes = new byte[kept];
        for (int i = 0, k = 0; i < rows; i++) {
            if (label[i] <= DATASET.classes()) {
                classes[k] = (byte) (label[i] - 1);
                System.arraycopy(data.data(), i * DATASET.imageBytes(), pixels, k * DATASET.imageBytes(),
                        DATASET.imageBytes());
                k++;
            }
        }
        return new Kept(pixels, classes);
    }

    private static String describe(Object value) {
        return value == null ? "missing" : value instanceof NumpyPickles.Array ? "a " + value
                : "a " + value.getClass().getSimpleName();
    }

    private static Kept concatenate(List<Kept> parts) {
        int images = parts.stream().mapToInt(Kept::size).sum();
        byte[] pixels = new byte[Math.multiplyExact(images, DATASET.imageBytes())];
        byte[] labels = new byte[images];
        int at = 0;
        for (Kept part : parts) {
            System.arraycopy(part.pixels(), 0, pixels, at * DATASET.imageBytes(), part.pixels().length);
            System.arraycopy(part.labels(), 0, labels, at, part.size());
            at += part.size();
        }
        return new Kept(pixels, labels);
    }


    private static String md5(FileSystem fs, Path path) throws IOException {
        MessageDigest md5 = Md5.newDigest();
        try (InputStream in = new DigestInputStream(fs.open(path), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Md5.hex(md5);
    }

    @Override
    public Dataset dataset() {
        return DATASET;
    }

    @Override
    public URI uri() {
        return directory.toUri();
    }

    /** Images of the 120 classes in the training files. */
    @Override
    public long trainingRecords() {
        return training.size();
    }

    /** Images of the 120 classes in the validation file. */
    @Override
    public long testRecords() {
        return validation.size();
    }

    @Override
    public TrainingData load(Split split, Subset subset) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(subset, "subset");
        if (split.dataset() != DATASET) {
            throw new IllegalArgumentException("a split of " + split.dataset() + " cannot divide " + DATASET);
        }
        Collector.require(split, subset, trainingRecords(), testRecords(), directory.toString(),
                new Path(directory, VALIDATION_FILE).toString());
        Collector kept = new Collector(split, subset, trainingRecords(), testRecords());
        for (int i = 0; i < training.size(); i++) {
            kept.accept(Split.Source.TRAINING, i, training.labels()[i], training.pixels(), i * DATASET.imageBytes());
        }
        for (int i = 0; i < validation.size(); i++) {
            kept.accept(Split.Source.TEST, i, validation.labels()[i], validation.pixels(), i * DATASET.imageBytes());
        }
        Map<String, String> all = new HashMap<>(split.checksums());
        all.putAll(checksums);
        return kept.build(uri(), all);
    }

    /** File name → md5 of the eleven data files. */
    public Map<String, String> checksums() {
        return checksums;
    }

    @Override
    public String toString() {
        return TITLE + " directory " + directory + " (" + training.size() + " training and " + validation.size()
                + " validation images of 120 classes)";
    }
}
