package org.nashpo.worker.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Turns images of an {@link CifarImages} into a network input batch (PROTOCOL.md §3): NCHW floats,
 * normalised per channel, and optionally augmented as torchvision's {@code RandomCrop(32, padding=4)}
 * then {@code RandomHorizontalFlip()} then {@code Normalize} do on the raw image.
 *
 * <p>Augmentation draws, per image in batch order, exactly three numbers from the caller's random
 * stream: {@code top = nextInt(9)}, {@code left = nextInt(9)} (the crop's corner in the 40×40 image
 * padded with 4 pixels of value 0 on every side), then {@code flip = nextDouble() < 0.5}. So the
 * same stream state gives the same batch, and nothing else is random.
 *
 * <p>Normalisation is {@code (p / 255 − mean_c) / std_c} in float32 arithmetic, in that order, as
 * torchvision's {@code ToTensor} and {@code Normalize} compute it, with mean (125.3, 123.0, 113.9) / 255
 * and std (63.0, 62.1, 66.7) / 255. A padded pixel is value 0, so it becomes {@code −mean_c / std_c}.
 * Immutable and allocation-free per batch; safe to share between threads.
 */
public final class BatchAssembler {

    /** Pixels of zero padding on each side before the random crop. */
    public static final int PADDING = 4;
    private static final int OFFSETS = 2 * PADDING + 1;
    private static final double[] MEAN_255 = {125.3, 123.0, 113.9};
    private static final double[] STD_255 = {63.0, 62.1, 66.7};
    /** The normalised float of every raw value, per channel: index channel·256 + value. */
    private static final float[] NORMALISED = new float[CifarImages.CHANNELS * 256];

    static {
        for (int c = 0; c < CifarImages.CHANNELS; c++) {
            float mean = (float) (MEAN_255[c] / 255);
            float std = (float) (STD_255[c] / 255);
            for (int v = 0; v < 256; v++) {
                NORMALISED[c * 256 + v] = ((float) v / 255f - mean) / std;
            }
        }
    }

    private final CifarImages images;

    public BatchAssembler(CifarImages images) {
        this.images = Objects.requireNonNull(images, "images");
    }

    /** The images this assembler draws from. */
    public int size() {
        return images.size();
    }

    /** The normalised value of raw pixel {@code value} (0–255) in {@code channel}. */
    public static float normalise(int channel, int value) {
        Objects.checkIndex(channel, CifarImages.CHANNELS);
        return NORMALISED[channel * 256 + Objects.checkIndex(value, 256)];
    }

    /**
     * Writes images {@code indices[from … from+count)} into {@code features[0 … count·3072)} as
     * normalised NCHW floats and their classes into {@code labels[0 … count)}; augments each image
     * with draws from {@code augment}, or not at all when it is null (test and plain evaluation).
     */
    public void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment) {
        Objects.checkFromIndexSize(from, count, indices.length);
        if (features.length < count * CifarImages.IMAGE_BYTES || labels.length < count) {
            throw new IllegalArgumentException("a batch of " + count + " needs " + count * CifarImages.IMAGE_BYTES
                    + " feature floats and " + count + " labels; got " + features.length + " and " + labels.length);
        }
        for (int b = 0; b < count; b++) {
            int image = Objects.checkIndex(indices[from + b], images.size());
            labels[b] = images.labels[image];
            int source = image * CifarImages.IMAGE_BYTES;
            int target = b * CifarImages.IMAGE_BYTES;
            if (augment == null) {
                plain(source, features, target);
            } else {
                int top = augment.nextInt(OFFSETS);
                int left = augment.nextInt(OFFSETS);
                boolean flip = augment.nextDouble() < 0.5;
                augmented(source, features, target, top, left, flip);
            }
        }
    }

    private void plain(int source, float[] features, int target) {
        byte[] pixels = images.pixels;
        for (int c = 0; c < CifarImages.CHANNELS; c++) {
            int table = c * 256;
            int from = source + c * CifarImages.CHANNEL_PIXELS;
            int to = target + c * CifarImages.CHANNEL_PIXELS;
            for (int p = 0; p < CifarImages.CHANNEL_PIXELS; p++) {
                features[to + p] = NORMALISED[table + (pixels[from + p] & 0xFF)];
            }
        }
    }

    /**
     * Output (y, x) is padded pixel (top + y, left + x'), x' = 31 − x when flipped else x; the padded
     * image is the original shifted by PADDING, so its source is (top + y − 4, left + x' − 4), or
     * padding when that lies outside 0..31.
     */
    private void augmented(int source, float[] features, int target, int top, int left, boolean flip) {
        byte[] pixels = images.pixels;
        int side = CifarImages.SIDE;
        for (int c = 0; c < CifarImages.CHANNELS; c++) {
            int table = c * 256;
            float pad = NORMALISED[table];
            for (int y = 0; y < side; y++) {
                int to = target + c * CifarImages.CHANNEL_PIXELS + y * side;
                int sourceRow = top + y - PADDING;
                if (sourceRow < 0 || sourceRow >= side) {
                    Arrays.fill(features, to, to + side, pad);
                    continue;
                }
                int from = source + c * CifarImages.CHANNEL_PIXELS + sourceRow * side;
                for (int x = 0; x < side; x++) {
                    int sourceColumn = left + (flip ? side - 1 - x : x) - PADDING;
                    features[to + x] = sourceColumn < 0 || sourceColumn >= side
                            ? pad
                            : NORMALISED[table + (pixels[from + sourceColumn] & 0xFF)];
                }
            }
        }
    }
}
