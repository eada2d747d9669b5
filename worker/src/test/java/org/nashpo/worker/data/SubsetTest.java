package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubsetTest {

    @Test
    void sizesMustBePositiveAndWithinTheSplit() {
        assertThat(new Subset(25_000, 25_000, 10_000).train()).isEqualTo(25_000);
        assertThatThrownBy(() -> new Subset(0, 1, 1)).isInstanceOf(DataException.class)
                .hasMessage("train: must be 1–25000 images, was 0");
        assertThatThrownBy(() -> new Subset(1, 25_001, 1)).isInstanceOf(DataException.class)
                .hasMessage("valid: must be 1–25000 images, was 25001");
        assertThatThrownBy(() -> new Subset(1, 1, -3)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("test: must be 1–");
    }

    @Test
    void cifarDataMustMatchItsSubset() {
        CifarImages one = new CifarImages(new byte[CifarImages.IMAGE_BYTES], new byte[1]);
        CifarImages two = new CifarImages(new byte[2 * CifarImages.IMAGE_BYTES], new byte[2]);
        URI dir = URI.create("file:/d");
        assertThat(new TrainingData(dir, new Subset(1, 1, 2), one, one, two, Map.of()).test().size()).isEqualTo(2);
        assertThatThrownBy(() -> new TrainingData(dir, new Subset(1, 1, 1), one, one, two, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test: 2 images, the subset says 1");
    }

    @Test
    void anImageSetHoldsOneLabelPerImageEachBelow10() {
        assertThatThrownBy(() -> new CifarImages(new byte[CifarImages.IMAGE_BYTES], new byte[2]))
                .hasMessage("pixels: 3072 bytes for 2 labels, expected 6144");
        assertThatThrownBy(() -> new CifarImages(new byte[CifarImages.IMAGE_BYTES], new byte[] {10}))
                .hasMessage("labels: label 10 at image 0 is not 0–9");
    }
}
