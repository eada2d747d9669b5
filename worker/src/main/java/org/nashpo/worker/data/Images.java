package org.nashpo.worker.data;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.data.Dataset;

/**
 * Labelled images of one {@link Dataset} as raw uint8 pixels: image i occupies {@code pixels[i·B, (i+1)·B)}, B =
 * {@code dataset.imageBytes()}, in CHW order (the red plane, then green, then blue, each row-major), exactly as
 * the official files hold them (CIFAR's 3,072 bytes, ImageNet16's 768). One array per set rather than
 * per-image objects keeps 50,000 images at 150 MB and batch assembly a straight copy. A class, not a record,
 * because it owns arrays; it never exposes them. Batches come out normalised and augmented by
 * {@link BatchAssembler}.
 */
public final class Images implements ImageSet {

    // package-private: the loaders fill them, BatchAssembler reads them; nobody else may see them
    final Dataset dataset;
    final byte[] pixels;
    /** Classes 0 to {@code dataset.classes() − 1}, each in one byte (every data set has fewer than 128). */
    final byte[] labels;
    private final BatchAssembler assembler;

    /** Takes ownership of the arrays (no copy): only the loaders and tests build image sets. */
    Images(Dataset dataset, byte[] pixels, byte[] labels) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (pixels.length != (long) labels.length * dataset.imageBytes()) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + labels.length
                    + " labels, expected " + (long) labels.length * dataset.imageBytes());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= dataset.classes()) {
                throw new IllegalArgumentException("labels: label " + labels[i] + " at image " + i + " is not 0–"
                        + (dataset.classes() - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.assembler = new BatchAssembler(this);
    }

    /** The data set the images are of. */
    public Dataset dataset() {
        return dataset;
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

    /** The class of image {@code image}, 0 to {@code classes − 1}. */
    public int label(int image) {
        return labels[Objects.checkIndex(image, labels.length)];
    }

    /** The raw value, 0–255, of one pixel. */
    public int pixel(int image, int channel, int row, int column) {
        int side = dataset.imageSize();
        Objects.checkIndex(image, labels.length);
        Objects.checkIndex(channel, Dataset.CHANNELS);
        Objects.checkIndex(row, side);
        Objects.checkIndex(column, side);
        return pixels[image * dataset.imageBytes() + (channel * side + row) * side + column] & 0xFF;
    }
}
