package org.nashpo.core.network;

import java.io.Serializable;
import java.util.Objects;

/**
 * The network around the cells (docs/PROTOCOL.md §2): its {@link NetworkFamily}, and {@code stages} stages of
 * {@code cellsPerStage} identical cells, the first with {@code width} channels, each next one twice as wide
 * and half as tall, joined by residual reduction blocks, on 32×32×3 images with 10 classes.
 */
public record NetworkShape(int width, int cellsPerStage, int stages, NetworkFamily family) implements Serializable {

    /** NAS-HPO-Bench-II's network: width 16, 5 cells per stage, 3 stages. */
    public static final NetworkShape BENCHMARK = new NetworkShape(16, 5, 3);
    public static final int IMAGE_SIZE = 32;
    public static final int IMAGE_CHANNELS = 3;
    public static final int CLASSES = 10;
    /** Each stage halves the image; the last must keep at least one pixel. */
    public static final int MAX_STAGES = 6;

    public NetworkShape {
        if (width < 1) {
            throw new IllegalArgumentException("network width: must be ≥ 1, was " + width);
        }
        if (cellsPerStage < 1) {
            throw new IllegalArgumentException("network cellsPerStage: must be ≥ 1, was " + cellsPerStage);
        }
        if (stages < 1 || stages > MAX_STAGES) {
            throw new IllegalArgumentException(
                    "network stages: must be in 1.." + MAX_STAGES + " (32×32 images), was " + stages);
        }
        Objects.requireNonNull(family, "family");
    }

    /** A network of NAS-HPO-Bench-II's family. */
    public NetworkShape(int width, int cellsPerStage, int stages) {
        this(width, cellsPerStage, stages, NetworkFamily.NAS_HPO_BENCH_2);
    }

    /** The same shape in another family. */
    public NetworkShape withFamily(NetworkFamily other) {
        return new NetworkShape(width, cellsPerStage, stages, other);
    }

    /** Channels of stage k (0-based). */
    public int channels(int stage) {
        return width << stage;
    }

    /** Height (= width) of the input images. */
    public int inputSize() {
        return IMAGE_SIZE;
    }

    /** Classes the head tells apart. */
    public int classes() {
        return CLASSES;
    }

    /** Height (= width) of the feature maps of stage k (0-based). */
    public int resolution(int stage) {
        return inputSize() >> stage;
    }

    /** {@code width W, C cells per stage, S stages} and the family when it is not NAS-HPO-Bench-II's. */
    public String describe() {
        return "width " + width + ", " + cellsPerStage + " cells per stage, " + stages + " stages"
                + (family == NetworkFamily.NAS_HPO_BENCH_2 ? "" : ", " + family.specName() + " network");
    }
}
