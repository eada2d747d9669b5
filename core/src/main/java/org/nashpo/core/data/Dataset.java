package org.nashpo.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The image data sets NAS-Bench-201 trained every cell on (AutoDL-Projects
 * {@code xautodl/datasets/get_dataset_with_transform.py}, docs/PROTOCOL.md §8), with what the protocol takes from
 * each: the side of its square RGB images, its classes, its per-channel normalisation and its training
 * augmentation, a random crop of the image padded with black on every side, then a horizontal flip with
 * probability ½.
 *
 * <ul>
 *   <li>{@link #CIFAR10}: CIFAR-10 (binary version), 32×32, 10 classes, 50,000 training and 10,000 test images;
 *   <li>{@link #CIFAR100}: CIFAR-100 (binary version), 32×32, its 100 fine labels, 50,000 and 10,000;
 *   <li>{@link #IMAGENET16_120}: ImageNet downsampled to 16×16 (Chrabaszcz et al. 2017), the images of its first
 *       120 classes (labels 1–120 of the files, 0–119 here): 151,700 training and 6,000 validation images.
 * </ul>
 *
 * <p>Mean and standard deviation are NAS-Bench-201's, in 0–255 units per channel (red, green, blue); pixels are
 * normalised as {@code (v / 255 − mean / 255) / (std / 255)}.
 */
public enum Dataset {
    CIFAR10("cifar10", "CIFAR-10", 32, 10, new double[] {125.3, 123.0, 113.9}, new double[] {63.0, 62.1, 66.7}, 4,
            50_000, 10_000),
    CIFAR100("cifar100", "CIFAR-100", 32, 100, new double[] {129.3, 124.1, 112.4}, new double[] {68.2, 65.4, 70.4}, 4,
            50_000, 10_000),
    IMAGENET16_120("imagenet16-120", "ImageNet16-120", 16, 120, new double[] {122.68, 116.66, 104.01},
            new double[] {63.22, 61.26, 65.09}, 2, 151_700, 6_000);

    /** Red, green and blue. */
    public static final int CHANNELS = 3;

    private final String specName;
    private final String title;
    private final int imageSize;
    private final int classes;
    private final double[] mean255;
    private final double[] std255;
    private final int cropPadding;
    private final int trainImages;
    private final int testImages;

    Dataset(String specName, String title, int imageSize, int classes, double[] mean255, double[] std255,
            int cropPadding, int trainImages, int testImages) {
        this.specName = specName;
        this.title = title;
        this.imageSize = imageSize;
        this.classes = classes;
        this.mean255 = mean255;
        this.std255 = std255;
        this.cropPadding = cropPadding;
        this.trainImages = trainImages;
        this.testImages = testImages;
    }

    /** How specs, records and manifests name it ({@code cifar10}, {@code cifar100}, {@code imagenet16-120}). */
    public String specName() {
        return specName;
    }

    /** How its authors write it, for messages. */
    public String title() {
        return title;
    }

    /** Height (= width) of its images. */
    public int imageSize() {
        return imageSize;
    }

    /** Bytes of one image: {@value #CHANNELS} planes of {@code imageSize²}. */
    public int imageBytes() {
        return CHANNELS * imageSize * imageSize;
    }

    /** Classes the network tells apart. */
    public int classes() {
        return classes;
    }

    /** The mean of channel {@code c} in 0–255 units. */
    public double mean255(int channel) {
        return mean255[channel];
    }

    /** The standard deviation of channel {@code c} in 0–255 units. */
    public double std255(int channel) {
        return std255[channel];
    }

    /** Pixels of black padding on every side before the random crop back to {@link #imageSize()}. */
    public int cropPadding() {
        return cropPadding;
    }

    /** Images of the official training set (for ImageNet16-120: of its 120 classes). */
    public int trainImages() {
        return trainImages;
    }

    /** Images of the official test set (ImageNet16-120: its validation set, which NAS-Bench-201 tests on). */
    public int testImages() {
        return testImages;
    }

    /** Stages a network can have on these images: each halves them, and the last keeps at least one pixel. */
    public int maxStages() {
        return Integer.numberOfTrailingZeros(imageSize) + 1;
    }

    /**
     * The division a spec that names no split gets: NAS-HPO-Bench-II's for CIFAR-10 (the benchmark this project
     * rebuilds), NAS-Bench-201's for the others (the only one they have).
     */
    public DataSplit defaultSplit() {
        return this == CIFAR10 ? DataSplit.NAS_HPO_BENCH_2 : DataSplit.NAS_BENCH_201;
    }

    /** The recipe's normalisation and augmentation of this data set, as the protocol's canonical text says them. */
    String recipe(boolean augmentValid) {
        return "normalize(mean=" + units(mean255) + ",std=" + units(std255) + ");augment(" + (augmentValid
                ? "train+valid" : "train") + ": crop" + imageSize + "-pad" + cropPadding + "-zero, hflip0.5)";
    }

    private static String units(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).reduce((a, b) -> a + "/" + b).orElseThrow();
    }

    public static Optional<Dataset> bySpecName(String name) {
        return Arrays.stream(values()).filter(d -> d.specName.equals(name)).findFirst();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(Dataset::specName).toList();
    }

    @Override
    public String toString() {
        return specName;
    }
}
