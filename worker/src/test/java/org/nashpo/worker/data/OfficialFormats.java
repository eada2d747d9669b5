package org.nashpo.worker.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Writes small data sets in their official formats, for tests of every module (the worker's test jar): CIFAR-100's
 * binary version ({@code train.bin}, {@code test.bin}: coarse label, fine label, 3,072 pixel bytes per record) and
 * ImageNet16's pickles ({@code train_data_batch_1..10}, {@code val_data}), written as Python 2's pickle module
 * writes numpy 1.x arrays with protocol 2 ({@link #imageNet16Pickle}; OfficialFormatsTest holds it to the bytes
 * src/test/python/imagenet16_pickles.py writes). Pixels are pseudo-random from a seed.
 */
public final class OfficialFormats {

    /** CIFAR-100's record: coarse label, fine label, image. */
    public static final int CIFAR100_RECORD = 2 + 3072;
    /** ImageNet16's image: 3 planes of 16×16. */
    public static final int IMAGENET16_IMAGE = 768;

    private OfficialFormats() {
    }

    /**
     * A CIFAR-100 directory: {@code train} training and {@code test} test records, fine label {@code r % 100} of
     * record r (coarse {@code fine / 5}).
     */
    public static Path cifar100(Path dir, int train, int test, long seed) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(CifarDirectory.CIFAR100_TRAINING_FILE), cifar100Records(train, r -> r % 100, seed));
            Files.write(dir.resolve(CifarDirectory.CIFAR100_TEST_FILE), cifar100Records(test, r -> r % 100, seed + 1));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CIFAR-100 records with the given fine labels (coarse = fine / 5) and pseudo-random pixels. */
    public static byte[] cifar100Records(int records, IntUnaryOperator fine, long seed) {
        byte[] data = new byte[records * CIFAR100_RECORD];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < records; r++) {
            int label = fine.applyAsInt(r);
            data[r * CIFAR100_RECORD] = (byte) (label / 5);
            data[r * CIFAR100_RECORD + 1] = (byte) label;
            for (int p = 2; p < CIFAR100_RECORD; p++) {
                data[r * CIFAR100_RECORD + p] = (byte) random.nextInt(256);
            }
        }
        return data;
    }

    /**
     * An ImageNet16 directory: ten training files of {@code perTrainingFile} images and a validation file of
     * {@code validation}, labelled 1, 2, … 150, 1, … across the files in order (so a fifth of them lie beyond
     * ImageNet16-120's classes), with pseudo-random pixels.
     */
    public static Path imageNet16(Path dir, int perTrainingFile, int validation, long seed) {
        try {
            Files.createDirectories(dir);
            SplittableRandom random = new SplittableRandom(seed);
            int next = 0;
            for (String name : ImageNet16Directory.TRAINING_FILES) {
                int[] labels = new int[perTrainingFile];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = next++ % 150 + 1;
                }
                Files.write(dir.resolve(name), imageNet16Pickle(pixels(perTrainingFile, random), labels));
            }
            int[] labels = new int[validation];
            for (int i = 0; i < validation; i++) {
                labels[i] = i % 150 + 1;
            }
            Files.write(dir.resolve(ImageNet16Directory.VALIDATION_FILE), imageNet16Pickle(pixels(validation, random),
                    labels));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] pixels(int images, SplittableRandom random) {
        byte[] pixels = new byte[images * IMAGENET16_IMAGE];
        random.nextBytes(pixels);
        return pixels;
    }

    /**
     * {@code {'data': numpy.uint8 array N × 768, 'labels': [int, ...]}} as Python 2's {@code pickle.dump(d, f, 2)}
     * writes it with numpy 1.x: keys and the raw bytes as str (SHORT_BINSTRING, BINSTRING), the array rebuilt by
     * {@code numpy.core.multiarray._reconstruct} and its state, every object memoized (BINPUT) in the order the
     * pickler meets it, lists appended in batches of 1,000.
     */
    public static byte[] imageNet16Pickle(byte[] data, int[] labels) {
        if (data.length != labels.length * IMAGENET16_IMAGE) {
            throw new IllegalArgumentException(data.length + " bytes for " + labels.length + " images");
        }
        Writer w = new Writer();
        w.raw(0x80, 2);            // PROTO 2
        w.raw('}').put();          // EMPTY_DICT
        w.raw('(');                // MARK
        w.str("data").put();
        w.global("numpy.core.multiarray", "_reconstruct").put();
        w.global("numpy", "ndarray").put();
        w.integer(0).raw(0x85).put();              // (0,)
        w.str("b").put();
        w.raw(0x87).put().raw('R').put();          // TUPLE3, REDUCE
        w.raw('(').integer(1).integer(labels.length).integer(IMAGENET16_IMAGE).raw(0x86).put(); // (1, (N, 768)
        w.global("numpy", "dtype").put();
        w.str("u1").put().integer(0).integer(1).raw(0x87).put().raw('R').put(); // dtype('u1', 0, 1)
        w.raw('(').integer(3).str("|").put().raw('N', 'N', 'N').bin(-1).bin(-1).integer(0).raw('t').put()
                .raw('b');                                       // BUILD the dtype
        w.raw(0x89);                                             // NEWFALSE: C order
        w.str(data).put().raw('t').put().raw('b');               // the raw bytes; BUILD the array
        w.str("labels").put();
        w.raw(']').put();                                        // EMPTY_LIST
        for (int from = 0; from < labels.length; from += 1000) {
            int to = Math.min(labels.length, from + 1000);
            if (to - from > 1) {
                w.raw('(');
                for (int i = from; i < to; i++) {
                    w.integer(labels[i]);
                }
                w.raw('e');                                      // APPENDS
            } else {
                w.integer(labels[from]).raw('a');                // APPEND
            }
        }
        w.raw('u', '.');                                         // SETITEMS, STOP
        return w.out.toByteArray();
    }

    /** The opcodes the pickle above needs. */
    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int memo;

        Writer raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        /** BINPUT: the next memo slot. */
        Writer put() {
            return raw('q', memo++);
        }

        Writer global(String module, String name) {
            out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Writer str(String text) {
            return str(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Python 2's str: SHORT_BINSTRING below 256 bytes, else BINSTRING. */
        Writer str(byte[] bytes) {
            if (bytes.length < 256) {
                raw('U', bytes.length);
            } else {
                raw('T');
                le(bytes.length);
            }
            out.writeBytes(bytes);
            return this;
        }

        /** BININT1, BININT2 or BININT, as the pickler picks them for a non-negative int. */
        Writer integer(int value) {
            if (value >= 0 && value < 256) {
                return raw('K', value);
            }
            if (value >= 0 && value < 65536) {
                return raw('M', value & 0xFF, value >>> 8);
            }
            return bin(value);
        }

        Writer bin(int value) {
            raw('J');
            le(value);
            return this;
        }

        private void le(int value) {
            raw(value & 0xFF, (value >>> 8) & 0xFF, (value >>> 16) & 0xFF, value >>> 24);
        }
    }
}
