package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nashpo.core.data.Dataset;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    static final int IMAGE = Dataset.CIFAR10.imageBytes();
    // the protocol's constants, written out again so the test does not trust the code under test
    static final double[] MEAN = {125.3, 123.0, 113.9};
    static final double[] STD = {63.0, 62.1, 66.7};

    /** {@code count} images of pseudo-random pixels, labels i % 10. */
    static Images randomImages(int count, long seed) {
        byte[] pixels = new byte[count * IMAGE];
        new SplittableRandom(seed).nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        return new Images(Dataset.CIFAR10, pixels, labels);
    }

    // --- normalisation ---

    @Test
    void knownPixelValuesMapToTheFloat32TorchvisionComputes() {
        // numpy float32: (np.float32(p) / np.float32(255) - np.float32(m / 255)) / np.float32(s / 255)
        assertThat(BatchAssembler.normalise(Dataset.CIFAR10, 0, 200)).isEqualTo(1.1857143640518188f);
        assertThat(BatchAssembler.normalise(Dataset.CIFAR10, 1, 255)).isEqualTo(2.125603675842285f);
        assertThat(BatchAssembler.normalise(Dataset.CIFAR10, 2, 200)).isEqualTo(1.290854573249817f);
    }

    @Test
    void paddingIsZeroNormalisedPerChannel() {
        // (0 − mean) / std per channel
        float[] pad = {-1.9888888597488403f, -1.9806764125823975f, -1.707646131515503f};
        for (int c = 0; c < 3; c++) {
            assertThat(BatchAssembler.normalise(Dataset.CIFAR10, c, 0)).isEqualTo(pad[c]);
        }
        // an all-white image, cropped at the top-left corner of its padding, starts with 4 padded rows
        byte[] white = new byte[IMAGE];
        Arrays.fill(white, (byte) 255);
        BatchAssembler assembler = new BatchAssembler(new Images(Dataset.CIFAR10, white, new byte[1]));
        float[] batch = new float[IMAGE];
        SplittableRandom random = seedDrawing(0, 0);
        assembler.fill(new int[] {0}, 0, 1, batch, new int[1], random);
        for (int c = 0; c < 3; c++) {
            assertThat(batch[c * 1024]).as("channel %d corner", c).isEqualTo(pad[c]);
            assertThat(batch[c * 1024 + 3 * 32 + 3]).isEqualTo(pad[c]);
            assertThat(batch[c * 1024 + 4 * 32 + 4]).isEqualTo(BatchAssembler.normalise(Dataset.CIFAR10, c, 255));
        }
    }

    /** A random stream whose first crop draws are {@code top}, {@code left} (searched: the stream is opaque). */
    static SplittableRandom seedDrawing(int top, int left) {
        return seedDrawing(top, left, 9);
    }

    /** As {@link #seedDrawing(int, int)} for crops at {@code offsets} offsets (2 × padding + 1). */
    static SplittableRandom seedDrawing(int top, int left, int offsets) {
        for (long seed = 0; ; seed++) {
            SplittableRandom probe = new SplittableRandom(seed);
            if (probe.nextInt(offsets) == top && probe.nextInt(offsets) == left) {
                return new SplittableRandom(seed);
            }
        }
    }

    @Test
    void plainBatchesAreTheNormalisedPixelsAndLabelsInIndexOrder() {
        Images images = randomImages(5, 1);
        int[] indices = {4, 4, 2, 0};
        float[] features = new float[3 * IMAGE];
        int[] labels = new int[3];
        new BatchAssembler(images).fill(indices, 1, 3, features, labels, null);
        assertThat(labels).containsExactly(4, 2, 0);
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p += 37) {
                    assertThat(features[b * IMAGE + c * 1024 + p])
                            .isEqualTo(reference(c, images.pixel(indices[1 + b], c, p / 32, p % 32)));
                }
            }
        }
    }

    // --- augmentation ---

    /**
     * The protocol written the obvious way: pad to 40×40 with zeros, crop 32×32 at (top, left), flip,
     * normalise; drawing top, left, then flip from the stream, image after image.
     */
    static float[] referenceBatch(Images images, int[] indices, SplittableRandom random) {
        float[] out = new float[indices.length * IMAGE];
        for (int b = 0; b < indices.length; b++) {
            int top = random.nextInt(9);
            int left = random.nextInt(9);
            boolean flip = random.nextDouble() < 0.5;
            for (int c = 0; c < 3; c++) {
                int[][] padded = new int[40][40];
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        padded[y + 4][x + 4] = images.pixel(indices[b], c, y, x);
                    }
                }
                int[][] crop = new int[32][32];
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        crop[y][x] = padded[top + y][left + x];
                    }
                }
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int value = flip ? crop[y][31 - x] : crop[y][x];
                        out[b * IMAGE + c * 1024 + y * 32 + x] = reference(c, value);
                    }
                }
            }
        }
        return out;
    }

    static float reference(int channel, int value) {
        return ((float) value / 255f - (float) (MEAN[channel] / 255)) / (float) (STD[channel] / 255);
    }

    @Test
    void eachDataSetIsNormalisedWithItsOwnMeanAndStd() {
        // numpy float32 again, with CIFAR-100's and ImageNet16's constants (AutoDL-Projects get_datasets)
        assertThat(BatchAssembler.normalise(Dataset.CIFAR100, 0, 200)).isEqualTo(1.0366569757461548f);
        assertThat(BatchAssembler.normalise(Dataset.CIFAR100, 2, 0)).isEqualTo(-1.5965908765792847f);
        assertThat(BatchAssembler.normalise(Dataset.IMAGENET16_120, 0, 200)).isEqualTo(1.2230308055877686f);
        assertThat(BatchAssembler.normalise(Dataset.IMAGENET16_120, 1, 255)).isEqualTo(2.2582435607910156f);
        assertThat(BatchAssembler.normalise(Dataset.IMAGENET16_120, 2, 0)).isEqualTo(-1.5979413986206055f);
    }

    /**
     * ImageNet16's 16×16 images are cropped from the image padded by 2 (torchvision's RandomCrop(16, padding=2)):
     * an image whose red value is its column + 1 and green its row + 1 shows every offset 0..4 and no other, and a
     * corner crop starts with two padded rows.
     */
    @Test
    void imageNet16IsCroppedAt16WithPadding2() {
        byte[] pixels = new byte[768];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                pixels[y * 16 + x] = (byte) (x + 1);
                pixels[256 + y * 16 + x] = (byte) (y + 1);
            }
        }
        Images images = new Images(Dataset.IMAGENET16_120, pixels, new byte[] {119});
        BatchAssembler assembler = new BatchAssembler(images);
        int n = 2_000;
        float[] features = new float[n * 768];
        int[] labels = new int[n];
        assembler.fill(new int[n], 0, n, features, labels, new SplittableRandom(3));
        assertThat(labels).containsOnly(119);
        int[] tops = new int[5];
        for (int b = 0; b < n; b++) {
            // the green value of output row 2, column 8 is source row top, so value top + 1
            float green = features[b * 768 + 256 + 2 * 16 + 8];
            int top = -1;
            for (int v = 1; v <= 16; v++) {
                if (green == BatchAssembler.normalise(Dataset.IMAGENET16_120, 1, v)) {
                    top = v - 1;
                }
            }
            assertThat(top).as("batch image %d", b).isBetween(0, 4);
            tops[top]++;
        }
        assertThat(Arrays.stream(tops).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(300, 500));
        float[] plain = new float[768];
        assembler.fill(new int[1], 0, 1, plain, new int[1], null);
        assertThat(plain[0]).isEqualTo(BatchAssembler.normalise(Dataset.IMAGENET16_120, 0, 1));
        assertThat(plain[255]).isEqualTo(BatchAssembler.normalise(Dataset.IMAGENET16_120, 0, 16));
        float[] corner = new float[768];
        assembler.fill(new int[1], 0, 1, corner, new int[1], seedDrawing(0, 0, 5));
        float pad = BatchAssembler.normalise(Dataset.IMAGENET16_120, 0, 0);
        assertThat(corner[0]).isEqualTo(pad);
        assertThat(corner[16 + 15]).isEqualTo(pad);
        assertThat(corner[2 * 16 + 2]).isNotEqualTo(pad);
    }

    @Test
    void augmentedBatchesEqualTheStraightforwardImplementation() {
        Images images = randomImages(20, 2);
        int[] indices = new SplittableRandom(3).ints(200, 0, 20).toArray();
        float[] features = new float[indices.length * IMAGE];
        int[] labels = new int[indices.length];
        new BatchAssembler(images).fill(indices, 0, indices.length, features, labels, new SplittableRandom(42));
        assertThat(features).isEqualTo(referenceBatch(images, indices, new SplittableRandom(42)));
        assertThat(labels).containsExactly(Arrays.stream(indices).map(i -> i % 10).toArray());
    }

    @Test
    void theSameSeedGivesTheSameBatchAndAnotherSeedAnother() {
        Images images = randomImages(8, 4);
        int[] indices = {0, 1, 2, 3, 4, 5, 6, 7};
        assertThat(augment(images, indices, 7)).isEqualTo(augment(images, indices, 7));
        assertThat(augment(images, indices, 7)).isNotEqualTo(augment(images, indices, 8));
    }

    static float[] augment(Images images, int[] indices, long seed) {
        float[] features = new float[indices.length * IMAGE];
        new BatchAssembler(images).fill(indices, 0, indices.length, features, new int[indices.length],
                new SplittableRandom(seed));
        return features;
    }

    /**
     * An image whose red value is its column + 1 and whose green value is its row + 1 shows in the
     * batch where it was cropped from and whether it was flipped; over many draws flips are ≈ half and
     * every crop offset 0..8 occurs about equally often.
     */
    @Test
    void flipsHalfTheImagesAndCropsAtEveryOffsetUniformly() {
        byte[] pixels = new byte[IMAGE];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                pixels[y * 32 + x] = (byte) (x + 1);
                pixels[1024 + y * 32 + x] = (byte) (y + 1);
            }
        }
        int n = 9_000;
        int[] indices = new int[n];
        float[] features = new float[n * IMAGE];
        new BatchAssembler(new Images(Dataset.CIFAR10, pixels, new byte[1])).fill(indices, 0, n, features, new int[n],
                new SplittableRandom(5));

        Map<Float, Integer> red = inverse(0);
        Map<Float, Integer> green = inverse(1);
        int flips = 0;
        int[] tops = new int[9];
        int[] lefts = new int[9];
        for (int b = 0; b < n; b++) {
            int at = b * IMAGE + 16 * 32 + 16; // output (16, 16): always inside the image
            int column = red.get(features[at]) - 1;
            boolean flipped = red.get(features[at + 1]) - 1 == column - 1;
            flips += flipped ? 1 : 0;
            // output x=16 reads padded column left + 16 (unflipped) or left + 15 (flipped), i.e. column + 4
            lefts[column + 4 - (flipped ? 15 : 16)]++;
            tops[green.get(features[at + 1024]) - 1 + 4 - 16]++;
        }
        assertThat(flips).isBetween((int) (0.47 * n), (int) (0.53 * n));
        for (int offset = 0; offset < 9; offset++) {
            assertThat(tops[offset]).as("top %d", offset).isBetween(900, 1100);
            assertThat(lefts[offset]).as("left %d", offset).isBetween(900, 1100);
        }
    }

    static Map<Float, Integer> inverse(int channel) {
        Map<Float, Integer> raw = new HashMap<>();
        for (int v = 0; v < 256; v++) {
            raw.put(reference(channel, v), v);
        }
        return raw;
    }

    // --- labels and arguments ---

    @Test
    void rejectsBuffersTooSmallForTheBatchAndIndicesOutsideTheSet() {
        BatchAssembler assembler = new BatchAssembler(randomImages(2, 6));
        assertThatThrownBy(() -> assembler.fill(new int[] {0, 1}, 0, 2, new float[IMAGE], new int[2], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a batch of 2 needs 6144 feature floats");
        assertThatThrownBy(() -> assembler.fill(new int[] {2}, 0, 1, new float[IMAGE], new int[1], null))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
