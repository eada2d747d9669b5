package org.nashpo.worker.data;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.data.Dataset;

/**
 * Turns {@link Images} into a network input batch (PROTOCOL.md §3, §8): NCHW floats, normalised per channel
 * with the data set's mean and standard deviation, and optionally augmented as torchvision's
 * {@code RandomCrop(S, padding=P)} then {@code RandomHorizontalFlip()} then {@code Normalize} do on the raw
 * image: S × S the data set's images (32 for CIFAR, 16 for ImageNet16-120), P its crop padding (4 and 2).
 *
 * <p>Augmentation draws, per image in batch order, exactly three numbers from the caller's random
 * stream: {@code top = nextInt(2P + 1)}, {@code left = nextInt(2P + 1)} (the crop's corner in the image
 * padded with P pixels of value 0 on every side), then {@code flip = nextDouble() < 0.5}. So the
 * same stream state gives the same batch, and nothing else is random.
 *
 * <p>Normalisation is {@code (p / 255 − mean_c) / std_c} in float32 arithmetic, in that order, as
 * torchvision's {@code ToTensor} and {@code Normalize} compute it, with the data set's mean and std / 255
 * (CIFAR-10's (125.3, 123.0, 113.9) and (63.0, 62.1, 66.7)). A padded pixel is value 0, so it becomes
 * {@code −mean_c / std_c}. Immutable and allocation-free per batch; safe to share between threads.
 */
public final class BatchAssembler {

    /** Per data set, the normalised float of every raw value, per channel: index channel·256 + value. */
    private static final Map<Dataset, float[]> NORMALISED = new EnumMap<>(Dataset.class);

    static {
        for (Dataset dataset : Dataset.values()) {
            float[] table = new float[Dataset.CHANNELS * 256];
            for (int c = 0; c < Dataset.CHANNELS; c++) {
                float mean = (float) (dataset.mean255(c) / 255);
                float std = (float) (dataset.std255(c) / 255);
                for (int v = 0; v < 256; v++) {
                    table[c * 256 + v] = ((float) v / 255f - mean) / std;
                }
            }
            NORMALISED.put(dataset, table);
        }
    }

    private final Images images;
    private final float[] normalised;
    private final int side;
    private final int channelPixels;
    private final int imageBytes;
    private final int padding;

    public BatchAssembler(Images images) {
        this.images = Objects.requireNonNull(images, "images");
        Dataset dataset = images.dataset();
        this.normalised = NORMALISED.get(dataset);
        this.side = dataset.imageSize();
        this.channelPixels = side * side;
        this.imageBytes = dataset.imageBytes();
        this.padding = dataset.cropPadding();
    }

    /** The images this assembler draws from. */
    public int size() {
        return images.size();
    }

    /** The normalised value of raw pixel {@code value} (0–255) in {@code channel} of a data set's images. */
    public static float normalise(Dataset dataset, int channel, int value) {
        Objects.checkIndex(channel, Dataset.CHANNELS);
        return NORMALISED.get(dataset)[channel * 256 + Objects.checkIndex(value, 256)];
    }

    /**
     * Writes images {@code indices[from … from+count)} into {@code features[0 … count·B)} (B the data set's
     * bytes per image) as normalised NCHW floats and their classes into {@code labels[0 … count)}; augments
     * each image with draws from {@code augment}, or not at all when it is null (test and plain evaluation).
     */
    public void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment) {
        Objects.checkFromIndexSize(from, count, indices.length);
        if (features.length < count * imageBytes || labels.length < count) {
            throw new IllegalArgumentException("a batch of " + count + " needs " + count * imageBytes
                    + " feature floats and " + count + " labels; got " + features.length + " and " + labels.length);
        }
        int offsets = 2 * padding + 1;
        for (int b = 0; b < count; b++) {
            int image = Objects.checkIndex(indices[from + b], images.size());
            labels[b] = images.labels[image];
            int source = image * imageBytes;
            int target = b * imageBytes;
            if (augment == null) {
                plain(source, features, target);
            } else {
                int top = augment.nextInt(offsets);
                int left = augment.nextInt(offsets);
                boolean flip = augment.nextDouble() < 0.5;
                augmented(source, features, target, top, left, flip);
            }
        }
    }

    private void plain(int source, float[] features, int target) {
        byte[] pixels = images.pixels;
        for (int c = 0; c < Dataset.CHANNELS; c++) {
            int table = c * 256;
            int from = source + c * channelPixels;
            int to = target + c * channelPixels;
            for (int p = 0; p < channelPixels; p++) {
                features[to + p] = normalised[table + (pixels[from + p] & 0xFF)];
            }
        }
    }

    /**
     * Output (y, x) is padded pixel (top + y, left + x'), x' = S − 1 − x when flipped else x; the padded
     * image is the original shifted by P, so its source is (top + y − P, left + x' − P), or padding when
     * that lies outside 0..S − 1.
     */
    private void augmented(int source, float[] features, int target, int top, int left, boolean flip) {
        byte[] pixels = images.pixels;
        for (int c = 0; c < Dataset.CHANNELS; c++) {
            int table = c * 256;
            float pad = normalised[table];
            for (int y = 0; y < side; y++) {
                int to = target + c * channelPixels + y * side;
                int sourceRow = top + y - padding;
                if (sourceRow < 0 || sourceRow >= side) {
                    Arrays.fill(features, to, to + side, pad);
                    continue;
                }
                int from = source + c * channelPixels + sourceRow * side;
                for (int x = 0; x < side; x++) {
                    int sourceColumn = left + (flip ? side - 1 - x : x) - padding;
                    features[to + x] = sourceColumn < 0 || sourceColumn >= side
                            ? pad
                            : normalised[table + (pixels[from + sourceColumn] & 0xFF)];
                }
            }
        }
    }
}
