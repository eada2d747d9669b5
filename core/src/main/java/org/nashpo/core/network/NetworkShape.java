package org.nashpo.core.network;

import java.io.Serializable;
import java.util.Objects;
import org.nashpo.core.data.Dataset;

/**
 * The network around the cells (docs/PROTOCOL.md §2): its {@link NetworkFamily}, and {@code stages} stages of
 * {@code cellsPerStage} identical cells, the first with {@code width} channels, each next one twice as wide
 * and half as tall, joined by residual reduction blocks, on the RGB images of its {@link Dataset} (32×32 for
 * CIFAR, 16×16 for ImageNet16-120) and with a head of its classes (10, 100, 120): the network follows the data.
 */
public record NetworkShape(int width, int cellsPerStage, int stages, NetworkFamily family, Dataset dataset)
        implements Serializable {

    /** NAS-HPO-Bench-II's network: width 16, 5 cells per stage, 3 stages, on CIFAR-10. */
    public static final NetworkShape BENCHMARK = new NetworkShape(16, 5, 3);
    /** The side of CIFAR's images, the default data set's; a shape's own is {@link #inputSize()}. */
    public static final int IMAGE_SIZE = 32;
    /** CIFAR-10's classes, the default data set's; a shape's own are {@link #classes()}. */
    public static final int CLASSES = 10;
    public static final int IMAGE_CHANNELS = Dataset.CHANNELS;
    /** Stages on 32×32 images: each halves the image; the last must keep at least one pixel. */
    public static final int MAX_STAGES = 6;

    public NetworkShape {
        if (width < 1) {
            throw new IllegalArgumentException("network width: must be ≥ 1, was " + width);
        }
        if (cellsPerStage < 1) {
            throw new IllegalArgumentException("network cellsPerStage: must be ≥ 1, was " + cellsPerStage);
        }
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(dataset, "dataset");
        if (stages < 1 || stages > dataset.maxStages()) {
            throw new IllegalArgumentException("network stages: must be in 1.." + dataset.maxStages() + " ("
                    + dataset.specName() + "'s " + dataset.imageSize() + "×" + dataset.imageSize() + " images), was "
                    + stages);
        }
    }

    /** A network of a family on CIFAR-10. */
    public NetworkShape(int width, int cellsPerStage, int stages, NetworkFamily family) {
        this(width, cellsPerStage, stages, family, Dataset.CIFAR10);
    }

    /** A network of NAS-HPO-Bench-II's family on CIFAR-10. */
    public NetworkShape(int width, int cellsPerStage, int stages) {
        this(width, cellsPerStage, stages, NetworkFamily.NAS_HPO_BENCH_2);
    }

    /** The same shape in another family. */
    public NetworkShape withFamily(NetworkFamily other) {
        return new NetworkShape(width, cellsPerStage, stages, other, dataset);
    }

    /** The same shape on another data set: its images in, its classes out. */
    public NetworkShape withDataset(Dataset other) {
        return new NetworkShape(width, cellsPerStage, stages, family, other);
    }

    /** Channels of stage k (0-based). */
    public int channels(int stage) {
        return width << stage;
    }

    /** Height (= width) of the input images: the data set's. */
    public int inputSize() {
        return dataset.imageSize();
    }

    /** Classes the head tells apart: the data set's. */
    public int classes() {
        return dataset.classes();
    }

    /** Height (= width) of the feature maps of stage k (0-based). */
    public int resolution(int stage) {
        return inputSize() >> stage;
    }

    /**
     * {@code width W, C cells per stage, S stages}, the family when it is not NAS-HPO-Bench-II's and the data set
     * when it is not CIFAR-10.
     */
    public String describe() {
        return "width " + width + ", " + cellsPerStage + " cells per stage, " + stages + " stages"
                + (family == NetworkFamily.NAS_HPO_BENCH_2 ? "" : ", " + family.specName() + " network")
                + (dataset == Dataset.CIFAR10 ? "" : ", on " + dataset.specName() + " (" + inputSize() + "×"
                        + inputSize() + " images, " + classes() + " classes)");
    }
}
