package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.nashpo.core.data.Dataset;
import org.junit.jupiter.api.Test;

class SubsetTest {

    @Test
    void sizesMustBePositiveAndFitAByteArray() {
        assertThat(new Subset(151_700, 3_000, 3_000).train()).isEqualTo(151_700);
        assertThatThrownBy(() -> new Subset(0, 1, 1)).isInstanceOf(DataException.class)
                .hasMessage("train: must be 1–699050 images, was 0");
        assertThatThrownBy(() -> new Subset(1, 699_051, 1)).isInstanceOf(DataException.class)
                .hasMessage("valid: must be 1–699050 images, was 699051");
        assertThatThrownBy(() -> new Subset(1, 1, -3)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("test: must be 1–");
    }

    @Test
    void cifarDataMustMatchItsSubset() {
        Images one = new Images(Dataset.CIFAR10, new byte[Dataset.CIFAR10.imageBytes()], new byte[1]);
        Images two = new Images(Dataset.CIFAR10, new byte[2 * Dataset.CIFAR10.imageBytes()], new byte[2]);
        URI dir = URI.create("file:/d");
        assertThat(new TrainingData(dir, new Subset(1, 1, 2), one, one, two, Map.of()).test().size()).isEqualTo(2);
        assertThatThrownBy(() -> new TrainingData(dir, new Subset(1, 1, 1), one, one, two, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test: 2 images, the subset says 1");
    }

    @Test
    void anImageSetHoldsOneLabelPerImageEachBelowItsClasses() {
        assertThatThrownBy(() -> new Images(Dataset.CIFAR10, new byte[Dataset.CIFAR10.imageBytes()], new byte[2]))
                .hasMessage("pixels: 3072 bytes for 2 labels, expected 6144");
        assertThatThrownBy(() -> new Images(Dataset.CIFAR10, new byte[Dataset.CIFAR10.imageBytes()], new byte[] {10}))
                .hasMessage("labels: label 10 at image 0 is not 0–9");
        assertThat(new Images(Dataset.IMAGENET16_120, new byte[2 * 768], new byte[] {0, 119}).label(1)).isEqualTo(119);
        assertThatThrownBy(() -> new Images(Dataset.IMAGENET16_120, new byte[768], new byte[] {120}))
                .hasMessage("labels: label 120 at image 0 is not 0–119");
        assertThatThrownBy(() -> new Images(Dataset.CIFAR100, new byte[3072], new byte[2]))
                .hasMessage("pixels: 3072 bytes for 2 labels, expected 6144");
    }
}
