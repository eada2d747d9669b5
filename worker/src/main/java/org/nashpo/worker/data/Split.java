package org.nashpo.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The benchmark's fixed division of the 50,000 CIFAR-10 training images into train and valid
 * (25,000 each): 0-based record indices into {@code data_batch_1.bin … data_batch_5.bin}
 * concatenated, one per line, shipped as resources beside this class. A class, not a record,
 * because it owns arrays.
 */
public final class Split {

    public static final int SIZE = 25_000;
    /** The records of the official training batches; the two lists partition them. */
    public static final int TRAINING_RECORDS = 2 * SIZE;
    public static final String TRAIN_FILE = "split-train.txt";
    public static final String VALID_FILE = "split-valid.txt";

    final int[] train;
    final int[] valid;
    private final Map<String, String> checksums;

    private Split(int[] train, int[] valid, Map<String, String> checksums) {
        this.train = train;
        this.valid = valid;
        this.checksums = checksums;
    }

    /** The benchmark's split (parsed once, then shared: it is immutable). */
    public static Split standard() {
        return Standard.SPLIT;
    }

    private static final class Standard {
        static final Split SPLIT = parse(resource(TRAIN_FILE), resource(VALID_FILE));

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
    }

    /** Parses and validates the two lists: integers, in range, no duplicates, disjoint, 25,000 each. */
    static Split parse(byte[] trainText, byte[] validText) {
        int[] train = parseList(TRAIN_FILE, trainText);
        int[] valid = parseList(VALID_FILE, validText);
        int[] owner = new int[TRAINING_RECORDS];
        claim(owner, TRAIN_FILE, train, 1);
        claim(owner, VALID_FILE, valid, 2);
        return new Split(train, valid, Map.of(TRAIN_FILE, Md5.of(trainText), VALID_FILE, Md5.of(validText)));
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

    /** The training-record index of the i-th train image. */
    public int trainIndex(int i) {
        return train[Objects.checkIndex(i, train.length)];
    }

    /** The training-record index of the i-th valid image. */
    public int validIndex(int i) {
        return valid[Objects.checkIndex(i, valid.length)];
    }

    /** {@value #TRAIN_FILE} and {@value #VALID_FILE} → md5 hex of the text parsed. */
    public Map<String, String> checksums() {
        return checksums;
    }
}
