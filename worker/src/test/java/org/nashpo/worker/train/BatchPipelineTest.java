package org.nashpo.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nashpo.core.network.NetworkShape;
import org.junit.jupiter.api.Test;
import org.nashpo.worker.data.ImageSet;
import org.nashpo.worker.data.Orders;

class BatchPipelineTest {

    @Test
    void givesTheBatchesAssemblingInLineGivesWithTheSameDraws() {
        ImageSet images = TrainerTest.synthetic(37, 9);
        int[] order = Orders.identity(37);
        Orders.shuffle(order, new SplittableRandom(3));
        List<float[]> expected = new ArrayList<>();
        List<int[]> expectedLabels = new ArrayList<>();
        SplittableRandom inline = new SplittableRandom(11);
        for (int from = 0; from < 37; from += 8) {
            int n = Math.min(8, 37 - from);
            float[] x = new float[n * 3072];
            int[] y = new int[n];
            images.fill(order, from, n, x, y, inline);
            expected.add(x);
            expectedLabels.add(y);
        }
        List<float[]> seen = new ArrayList<>();
        List<int[]> seenLabels = new ArrayList<>();
        try (BatchPipeline pipeline = new BatchPipeline(8, NetworkShape.BENCHMARK)) {
            int batches = pipeline.run(images, order, new SplittableRandom(11), (n, x, y) -> {
                seen.add(Arrays.copyOf(x, n * 3072));
                seenLabels.add(Arrays.copyOf(y, n));
                return true;
            });
            assertThat(batches).isEqualTo(5);
        }
        assertThat(seen).hasSize(5);
        for (int b = 0; b < 5; b++) {
            assertThat(seen.get(b)).containsExactly(expected.get(b));
            assertThat(seenLabels.get(b)).containsExactly(expectedLabels.get(b));
        }
    }

    @Test
    void stopsWhenTheConsumerSaysSoAndPassesOnTheAssemblersFailure() {
        ImageSet images = TrainerTest.synthetic(40, 9);
        try (BatchPipeline pipeline = new BatchPipeline(8, NetworkShape.BENCHMARK)) {
            int[] calls = {0};
            assertThat(pipeline.run(images, Orders.identity(40), null, (n, x, y) -> ++calls[0] < 2)).isEqualTo(2);
            ImageSet broken = new ImageSet() {
                @Override
                public int size() {
                    return 40;
                }

                @Override
                public void fill(int[] indices, int from, int count, float[] features, int[] labels,
                        SplittableRandom augment) {
                    if (from > 0) {
                        throw new IllegalStateException("image " + from + " is unreadable");
                    }
                }
            };
            assertThatThrownBy(() -> pipeline.run(broken, Orders.identity(40), null, (n, x, y) -> true))
                    .isInstanceOf(IllegalStateException.class).hasMessage("image 8 is unreadable");
        }
    }
}
