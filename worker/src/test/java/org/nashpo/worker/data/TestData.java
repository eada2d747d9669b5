package org.nashpo.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/** Fixtures: the repository's mini set, synthetic batch files written into a test's temporary directory. */
public final class TestData {

    static final int RECORD = 3073;

    private TestData() {
    }

    /** {@code data/cifar-10-mini} at the repository root, as the build passes it ({@code nashpo.miniData}). */
    public static Path miniDirectory() {
        String configured = System.getProperty("nashpo.miniData");
        if (configured == null || !Files.isRegularFile(Path.of(configured, "MD5SUMS"))) {
            throw new IllegalStateException("nashpo.miniData must name the repository's data/cifar-10-mini, was "
                    + configured);
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    /** {@code file:} plus the absolute path: how Hadoop prints a qualified local path in messages. */
    static String uri(Path path) {
        return "file:" + path.toAbsolutePath();
    }

    /** The file's bytes: the test's own view of the data, independent of the reader. */
    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The indices of a split list, parsed independently of {@link Split}. */
    static int[] splitList(String name) {
        try (InputStream in = Split.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().mapToInt(Integer::parseInt).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MD5SUMS parsed by the test: file name → md5. */
    static Map<String, String> manifest(Path file) {
        Map<String, String> md5 = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                md5.put(line.substring(34), line.substring(0, 32));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return md5;
    }

    /** A batch file of {@code records} records with the given labels and pseudo-random pixels. */
    static byte[] batch(int records, IntUnaryOperator label, long seed) {
        byte[] data = new byte[records * RECORD];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < records; r++) {
            data[r * RECORD] = (byte) label.applyAsInt(r);
            for (int p = 1; p < RECORD; p++) {
                data[r * RECORD + p] = (byte) random.nextInt(256);
            }
        }
        return data;
    }

    /**
     * Writes a valid directory: training files with {@code trainingRecords[i]} records each (labels
     * record % 10), a test file of {@code testRecords}; returns the directory.
     */
    static Path writeDirectory(Path dir, int[] trainingRecords, int testRecords) {
        try {
            Files.createDirectories(dir);
            List<String> names = CifarDirectory.TRAINING_FILES;
            for (int i = 0; i < names.size(); i++) {
                Files.write(dir.resolve(names.get(i)), batch(trainingRecords[i], r -> r % 10, i));
            }
            Files.write(dir.resolve(CifarDirectory.TEST_FILE), batch(testRecords, r -> r % 10, 99));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The smallest valid directory that supplies Subset(1, 1, 1): split indices 0 (train) and 1 (valid). */
    static Path smallDirectory(Path dir) {
        return writeDirectory(dir, new int[] {10, 0, 0, 0, 0}, 3);
    }

    static String md5(byte[] content) {
        return Md5.of(content);
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        Arrays.setAll(r, i -> from + i);
        return r;
    }
}
