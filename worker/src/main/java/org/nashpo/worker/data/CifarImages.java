package org.nashpo.worker.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Labelled CIFAR-10 images as raw uint8 pixels: image i occupies {@code pixels[i·3072, (i+1)·3072)}
 * in CHW order (1,024 red, 1,024 green, 1,024 blue, each row-major 32×32), exactly as in the batch
 * files. One array per set rather than per-image objects keeps 50,000 images at 150 MB and batch
 * assembly a straight copy. A class, not a record, because it owns arrays; it never exposes them.
 * Batches come out normalised and augmented by {@link BatchAssembler}.
 */
public final class CifarImages implements ImageSet {

    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    public static final int CHANNEL_PIXELS = SIDE * SIDE;
    public static final int IMAGE_BYTES = CHANNELS * CHANNEL_PIXELS;
    public static final int CLASSES = 10;

    // package-private: the loader fills them, BatchAssembler reads them; nobody else may see them
    final byte[] pixels;
    final byte[] labels;
    private final BatchAssembler assembler;

    /** Takes ownership of the arrays (no copy): only the loader and tests build image sets. */
    CifarImages(byte[] pixels, byte[] labels) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (pixels.length != labels.length * IMAGE_BYTES) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + labels.length
                    + " labels, expected " + labels.length * IMAGE_BYTES);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("labels: label " + labels[i] + " at image " + i + " is not 0–9");
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.assembler = new BatchAssembler(this);
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** As {@link BatchAssembler#fill}: normalised NCHW floats, augmented when {@code augment} is not null. */
    @Override
    public void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment) {
        assembler.fill(indices, from, count, features, labels, augment);
    }

    /** The class, 0–9, of image {@code image}. */
    public int label(int image) {
        return labels[Objects.checkIndex(image, labels.length)];
    }

    /** The raw value, 0–255, of one pixel. */
    public int pixel(int image, int channel, int row, int column) {
        Objects.checkIndex(image, labels.length);
        Objects.checkIndex(channel, CHANNELS);
        Objects.checkIndex(row, SIDE);
        Objects.checkIndex(column, SIDE);
        return pixels[image * IMAGE_BYTES + channel * CHANNEL_PIXELS + row * SIDE + column] & 0xFF;
    }
}
