package org.nashpo.worker.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;

/**
 * A data set's division into the train, valid and test sets of a run (docs/PROTOCOL.md §3, §8), as index lists
 * into the images of its training files or of its test files, shipped as resources beside this class:
 *
 * <ul>
 *   <li>NAS-HPO-Bench-II's CIFAR-10: {@code split-train.txt} and {@code split-valid.txt} (25,000 training-image
 *       indices each, one per line), the test images in file order;
 *   <li>NAS-Bench-201's CIFAR-10: the {@code train} and {@code valid} lists of {@code cifar-split.txt}, the test
 *       images in file order;
 *   <li>NAS-Bench-201's CIFAR-100 and ImageNet16-120: the training images in file order, the {@code xvalid} and
 *       {@code xtest} lists of {@code cifar100-test-split.txt} or {@code imagenet-16-120-test-split.txt}.
 * </ul>
 *
 * <p>Index i is the i-th image of the training files concatenated in their order (or of the test files); for
 * ImageNet16-120 the i-th of those with a label 1–120. A class, not a record, because it owns arrays.
 */
public final class Split {

    /** NAS-HPO-Bench-II's halves of the 50,000 CIFAR-10 training images. */
    public static final int SIZE = 25_000;
    /** The records of CIFAR-10's official training batches; NAS-HPO-Bench-II's two lists partition them. */
    public static final int TRAINING_RECORDS = 2 * SIZE;
    public static final String TRAIN_FILE = "split-train.txt";
    public static final String VALID_FILE = "split-valid.txt";
    /** Where NAS-Bench-201's split files are, relative to this class. */
    static final String NAS_BENCH_201_DIRECTORY = "nas-bench-201/";

    /** Which files a set's indices count images of. */
    public enum Source {
        TRAINING, TEST
    }

    /**
     * One set: the files its images come from and their indices in set order, or null for every image of those
     * files in file order.
     */
    record Part(Source source, int[] indices) {
    }

    private static final Map<Dataset, Map<DataSplit, Split>> SHIPPED = new ConcurrentHashMap<>();

    private final Dataset dataset;
    private final DataSplit division;
    final Part train;
    final Part valid;
    final Part test;
    private final Map<String, String> checksums;

    private Split(Dataset dataset, DataSplit division, Part train, Part valid, Part test,
            Map<String, String> checksums) {
        this.dataset = dataset;
        this.division = division;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.checksums = Map.copyOf(checksums);
    }

    /** NAS-HPO-Bench-II's split of CIFAR-10 (parsed once, then shared: it is immutable). */
    public static Split standard() {
        return of(Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2);
    }

    /** A data set's shipped division (parsed once, then shared: it is immutable). */
    public static Split of(Dataset dataset, DataSplit division) {
        division.requireSupports(dataset);
        return SHIPPED.computeIfAbsent(dataset, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(division, s -> shipped(dataset, s));
    }

    private static Split shipped(Dataset dataset, DataSplit division) {
        if (division == DataSplit.NAS_HPO_BENCH_2) {
            return parse(resource(TRAIN_FILE), resource(VALID_FILE));
        }
        if (dataset == Dataset.CIFAR10) {
            String file = "cifar-split.txt";
            byte[] text = resource(NAS_BENCH_201_DIRECTORY + file);
            Map<String, int[]> lists = parseLists(file, text, dataset.trainImages(), "train", "valid");
            return new Split(dataset, division, new Part(Source.TRAINING, lists.get("train")),
                    new Part(Source.TRAINING, lists.get("valid")), new Part(Source.TEST, null),
                    Map.of(file, Md5.of(text)));
        }
        String file = dataset == Dataset.CIFAR100 ? "cifar100-test-split.txt" : "imagenet-16-120-test-split.txt";
        byte[] text = resource(NAS_BENCH_201_DIRECTORY + file);
        Map<String, int[]> lists = parseLists(file, text, dataset.testImages(), "xvalid", "xtest");
        return new Split(dataset, division, new Part(Source.TRAINING, null), new Part(Source.TEST, lists.get("xvalid")),
                new Part(Source.TEST, lists.get("xtest")), Map.of(file, Md5.of(text)));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Split.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the split file " + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the split file " + name, e);
        }
    }

    /** Parses and validates NAS-HPO-Bench-II's two lists: integers, in range, no duplicates, disjoint, 25,000 each. */
    static Split parse(byte[] trainText, byte[] validText) {
        int[] train = parseList(TRAIN_FILE, trainText);
        int[] valid = parseList(VALID_FILE, validText);
        int[] owner = new int[TRAINING_RECORDS];
        claim(owner, TRAIN_FILE, train, 1);
        claim(owner, VALID_FILE, valid, 2);
        Map<String, String> checksums = new LinkedHashMap<>();
        checksums.put(TRAIN_FILE, Md5.of(trainText));
        checksums.put(VALID_FILE, Md5.of(validText));
        return new Split(Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2, new Part(Source.TRAINING, train),
                new Part(Source.TRAINING, valid), new Part(Source.TEST, null), checksums);
    }

    private static int[] parseList(String file, byte[] text) {
        String[] lines = new String(text, StandardCharsets.US_ASCII).split("\r?\n", -1);
        // a final newline leaves one empty string after it; anything else empty is an error
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        if (count != SIZE) {
            throw new DataException(file + " has " + count + " indices, expected " + SIZE);
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            String line = lines[i].strip();
            try {
                indices[i] = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw new DataException(file + " line " + (i + 1) + ": '" + line + "' is not an integer", e);
            }
            if (indices[i] < 0 || indices[i] >= TRAINING_RECORDS) {
                throw new DataException(file + " line " + (i + 1) + ": index " + indices[i] + " is outside 0–"
                        + (TRAINING_RECORDS - 1));
            }
        }
        return indices;
    }

    /** Marks each index as owned by {@code list}; an index already owned is a duplicate or an overlap. */
    private static void claim(int[] owner, String file, int[] indices, int list) {
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (owner[index] == list) {
                throw new DataException(file + " line " + (i + 1) + ": index " + index + " appears twice");
            }
            if (owner[index] != 0) {
                throw new DataException(file + " line " + (i + 1) + ": index " + index + " is also in " + TRAIN_FILE
                        + "; the split lists must be disjoint");
            }
            owner[index] = list;
        }
    }

    /**
     * Parses one of NAS-Bench-201's split files (AutoDL-Projects' {@code load_config} format: a JSON object whose
     * values are {@code ["int", ["0", "5", ...]]}) and checks what its use relies on: exactly the two lists
     * {@code first} and {@code second}, each sorted ascending without repeats, disjoint, and together every index
     * of {@code 0 … images − 1}.
     */
    static Map<String, int[]> parseLists(String file, byte[] text, int images, String first, String second) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new DataException(file + " is not JSON: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        if (!names.equals(List.of(first, second))) {
            throw new DataException(file + " holds the lists " + names + ", expected [" + first + ", " + second + "]");
        }
        Map<String, int[]> lists = new LinkedHashMap<>();
        boolean[] seen = new boolean[images];
        for (String name : names) {
            JsonNode entry = root.get(name);
            if (!entry.isArray() || entry.size() != 2 || !"int".equals(entry.get(0).asText())
                    || !entry.get(1).isArray()) {
                throw new DataException(file + " " + name + ": expected [\"int\", [\"0\", ...]], was "
                        + abbreviate(entry.toString()));
            }
            JsonNode values = entry.get(1);
            int[] indices = new int[values.size()];
            for (int i = 0; i < indices.length; i++) {
                String value = values.get(i).asText();
                try {
                    indices[i] = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new DataException(file + " " + name + "[" + i + "]: '" + value + "' is not an integer", e);
                }
                if (indices[i] < 0 || indices[i] >= images) {
                    throw new DataException(file + " " + name + "[" + i + "]: index " + indices[i] + " is outside 0–"
                            + (images - 1));
                }
                if (i > 0 && indices[i] <= indices[i - 1]) {
                    throw new DataException(file + " " + name + "[" + i + "]: index " + indices[i]
                            + " does not follow " + indices[i - 1] + "; the lists are sorted without repeats");
                }
                if (seen[indices[i]]) {
                    throw new DataException(file + " " + name + "[" + i + "]: index " + indices[i] + " is also in "
                            + first + "; the lists must be disjoint");
                }
                seen[indices[i]] = true;
            }
            lists.put(name, indices);
        }
        for (int i = 0; i < images; i++) {
            if (!seen[i]) {
                throw new DataException(file + ": index " + i + " is in neither list; together they must hold "
                        + "every index of 0–" + (images - 1));
            }
        }
        return lists;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** The data set this split divides. */
    public Dataset dataset() {
        return dataset;
    }

    /** Which of the protocol's divisions it is. */
    public DataSplit division() {
        return division;
    }

    /** The training-file image index of the i-th train image (NAS-HPO-Bench-II's and NAS-Bench-201's CIFAR-10). */
    public int trainIndex(int i) {
        return index(train, i);
    }

    /** The index of the i-th valid image in its files. */
    public int validIndex(int i) {
        return index(valid, i);
    }

    /** The index of the i-th test image in its files. */
    public int testIndex(int i) {
        return index(test, i);
    }

    private static int index(Part part, int i) {
        return part.indices == null ? Objects.checkIndex(i, Integer.MAX_VALUE) : part.indices[Objects.checkIndex(i,
                part.indices.length)];
    }

    /** The split files read → md5 hex of the text parsed (provenance). */
    public Map<String, String> checksums() {
        return checksums;
    }

    /**
     * The largest subset a directory supports: of each set, its indices up to the first one beyond the images its
     * files hold (every image, for a set that takes its files whole).
     */
    public Subset available(long trainingImages, long testImages) {
        return new Subset(available(train, trainingImages, testImages), available(valid, trainingImages, testImages),
                available(test, trainingImages, testImages));
    }

    private static int available(Part part, long trainingImages, long testImages) {
        long images = part.source == Source.TRAINING ? trainingImages : testImages;
        if (part.indices == null) {
            return (int) Math.min(images, Integer.MAX_VALUE);
        }
        int n = 0;
        while (n < part.indices.length && part.indices[n] < images) {
            n++;
        }
        return n;
    }
}
