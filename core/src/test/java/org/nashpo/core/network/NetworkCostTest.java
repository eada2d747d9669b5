package org.nashpo.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

class NetworkCostTest {

    /** PROTOCOL.md §2's reference table (an independent PyTorch build). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0|00|000; 1531850; 220119680",
        "0|10|210; 802730; 113951360",
        "3|33|333; 73610; 7783040",
        "2|22|222; 73610; 7783040",
        "1|11|111; 73610; 7783040",
    })
    void referenceValuesAtTheBenchmarkShape(String code, long parameters, long multiplyAdds) {
        NetworkCost cost = NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse(code));
        assertThat(cost.parameters()).isEqualTo(parameters);
        assertThat(cost.multiplyAdds()).isEqualTo(multiplyAdds);
    }

    @Test
    void aConvFedOnlyByZerosStillCounts() {
        // 3|30|333: the conv on edge 1→2 sees a zero node, but the reference network holds it.
        NetworkCost deadConv = NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse("3|30|333"));
        NetworkCost zero = NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse("3|33|333"));
        assertThat(deadConv.parameters() - zero.parameters()).isEqualTo(5 * (2304 + 32) + 5 * (9216 + 64) + 5 * (36864 + 128));
    }

    @Test
    void reducedWidthByHand() {
        // width 4, 1 cell per stage, 2 stages, cell 0|33|333 (one conv edge):
        // stem 3·9·4+4 + BN 8 = 120; cells: 9·16+8 = 152 and 9·64+16 = 592;
        // reduction 4→8: (288+8)+16 + (576+8)+16 + (32+8) = 952; head BN 16 + 8·10+10 = 106.
        NetworkCost cost = NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|33|333"), new NetworkShape(4, 1, 2));
        assertThat(cost.parameters()).isEqualTo(120 + 152 + 592 + 952 + 106);
        // MACs: stem 1024·108; cell 1024·144 and 256·576; reduction 256·(288+576+32); dense 80.
        assertThat(cost.multiplyAdds()).isEqualTo(1024L * 108 + 1024L * 144 + 256L * 576 + 256L * (288 + 576 + 32) + 80);
    }

    /**
     * NAS-Bench-201's published cost of architectures on CIFAR-10 (its API's {@code get_cost_info}, params in
     * millions, FLOPs in millions): indices 0, 11 and 284 as NATS-Bench's sample archives store them
     * (fake_torch_dir/NATS-tss-v1_0-3ffb9-simple), index 1 as NATS-Bench issue #18 quotes it, and the space's
     * largest (every edge nor_conv_3x3, the published maximum).
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|; 0.129306; 15.64737",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|; 0.802426; 113.95137",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|; 0.802426; 113.95137",
        "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|; 0.101306; 11.71521",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|; 1.531546; 220.11969",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|; 0.073306; 7.78305",
    })
    void nasBench201PublishesTheseCostsOnCifar10(String arch, double paramsMillions, double flopsMillions) {
        NetworkCost cost = NetworkCost.of(SearchSpace.NAS_BENCH_201.parse(arch),
                NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201));
        assertThat(cost.parameters()).isEqualTo(Math.round(paramsMillions * 1e6));
        assertThat(cost.flops()).isEqualTo(Math.round(flopsMillions * 1e5) * 10);
        assertThat(cost.parametersMillions()).isEqualTo(paramsMillions);
    }

    /**
     * NAS-Bench-201's published costs of three architectures on CIFAR-100 and ImageNet16-120 (indices 0, 11 and 284
     * of NATS-Bench's sample archives, fake_torch_dir/NATS-tss-v1_0-3ffb9-simple; index 0's FLOPs also in
     * NATS-Bench issue #24), and of the space's extremes as its API's dumps give them: the head has the data set's
     * classes, and ImageNet16-120's 16×16 images go through the same stages at a quarter of the pixels.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "cifar100; |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|; 0.135156; 15.65322",
        "cifar100; |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|; 0.808276; 113.95722",
        "cifar100; |skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|; 0.107156; 11.72106",
        "cifar100; |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|; 1.537396; 220.12554",
        "cifar100; |none~0|+|none~0|none~1|+|none~0|none~1|none~2|; 0.079156; 7.7889",
        "imagenet16-120; |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|; 0.136456; 3.91948",
        "imagenet16-120; |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|; 0.809576; 28.49548",
        "imagenet16-120; |skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|; 0.108456; 2.93644",
        "imagenet16-120; |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|; 1.538696; 55.03756",
        "imagenet16-120; |none~0|+|none~0|none~1|+|none~0|none~1|none~2|; 0.080456; 1.9534",
    })
    void nasBench201PublishesTheseCostsOnCifar100AndImageNet16(String dataset, String arch, double paramsMillions,
            double flopsMillions) {
        NetworkShape shape = NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201)
                .withDataset(Dataset.bySpecName(dataset).orElseThrow());
        NetworkCost cost = NetworkCost.of(SearchSpace.NAS_BENCH_201.parse(arch), shape);
        assertThat(cost.parameters()).isEqualTo(Math.round(paramsMillions * 1e6));
        assertThat(cost.flops()).isEqualTo(Math.round(flopsMillions * 1e5) * 10);
        assertThat(cost.flopsMillions()).isEqualTo(flopsMillions);
    }

    /**
     * Every cell on every data set against the closed form of TinyNetwork(16, 5) (research notes nb201.md §6): K
     * classes, H×H images, n₁ 1×1 and n₃ 3×3 convolution edges.
     */
    @Test
    void nasBench201sCostIsItsClosedFormOnEveryDataSet() {
        for (Dataset dataset : Dataset.values()) {
            NetworkShape shape = NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201).withDataset(dataset);
            long k = dataset.classes();
            long h2 = (long) dataset.imageSize() * dataset.imageSize();
            for (var cell : SearchSpace.NAS_BENCH_201.cells()) {
                long n1 = cell.count(Op.CONV1X1);
                long n3 = cell.count(Op.CONV3X3);
                NetworkCost cost = NetworkCost.of(cell, shape);
                assertThat(cost.parameters()).as("%s on %s", cell, dataset)
                        .isEqualTo(72_656 + 65 * k + 243_040 * n3 + 28_000 * n1);
                assertThat(cost.flops()).as("%s on %s", cell, dataset)
                        .isEqualTo(7_600 * h2 + 65 * k + (34_560 * n3 + 3_840 * n1) * h2);
            }
        }
    }

    @Test
    void theNetworkFollowsItsDataSet() {
        NetworkShape in16 = NetworkShape.BENCHMARK.withDataset(Dataset.IMAGENET16_120);
        assertThat(in16.inputSize()).isEqualTo(16);
        assertThat(in16.classes()).isEqualTo(120);
        assertThat(in16.resolution(2)).isEqualTo(4);
        var graph = NetworkGraph.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), in16);
        assertThat(graph.input().resolution()).isEqualTo(16);
        assertThat(graph.head().output().channels()).isEqualTo(120);
        assertThat(graph.parameterShapes().get("output.weight")).containsExactly(120, 64);
        assertThat(NetworkShape.BENCHMARK.withDataset(Dataset.CIFAR100).classes()).isEqualTo(100);
        assertThat(in16.describe()).isEqualTo("width 16, 5 cells per stage, 3 stages, on imagenet16-120 "
                + "(16×16 images, 120 classes)");
        assertThat(NetworkShape.BENCHMARK.describe()).isEqualTo("width 16, 5 cells per stage, 3 stages");
        // five stages take 16×16 images down to one pixel; a sixth would have none
        assertThat(new NetworkShape(4, 1, 5, NetworkFamily.NAS_BENCH_201, Dataset.IMAGENET16_120).resolution(4))
                .isEqualTo(1);
        assertThatThrownBy(() -> new NetworkShape(4, 1, 6, NetworkFamily.NAS_BENCH_201, Dataset.IMAGENET16_120))
                .hasMessage("network stages: must be in 1..5 (imagenet16-120's 16×16 images), was 6");
    }

    @Test
    void nasHpoBench2sNetworkHasTheBiasesNasBench201sLacks() {
        // the stem and the two reductions' three convolutions: 16 + 3·32 + 3·64 = 304 biases
        var cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000");
        NetworkCost nhb2 = NetworkCost.of(cell);
        NetworkCost nb201 = NetworkCost.of(cell, NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201));
        assertThat(nhb2.parameters() - nb201.parameters()).isEqualTo(304);
        assertThat(nhb2.multiplyAdds()).isEqualTo(nb201.multiplyAdds());
        // FLOPs count each bias once per output element: stem 16·32², reductions 2·32·16² + 32·16², 2·64·8² + 64·8²
        assertThat(nhb2.flops() - nb201.flops()).isEqualTo(16L * 1024 + 3L * 32 * 256 + 3L * 64 * 64);
        assertThat(nb201.flops() - nb201.multiplyAdds()).isEqualTo(10); // the dense layer's bias
        assertThat(nhb2.flops()).isEqualTo(220_172_938L);
    }

    @Test
    void aOneByOneConvolutionEdgeCostsItsWeightsAndBatchNormInEveryCell() {
        var space = SearchSpace.NAS_BENCH_201;
        var shape = NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201);
        NetworkCost none = NetworkCost.of(space.parse("0|00|000"), shape);
        NetworkCost one = NetworkCost.of(space.parse("2|00|000"), shape);
        // five cells per stage at 16, 32 and 64 channels: C² weights + 2C BatchNorm each
        assertThat(one.parameters() - none.parameters()).isEqualTo(5L * (16 * 16 + 32 + 32 * 32 + 64 + 64 * 64 + 128));
        assertThat(one.multiplyAdds() - none.multiplyAdds())
                .isEqualTo(5L * (16 * 16 * 1024 + 32 * 32 * 256 + 64 * 64 * 64));
    }

    @Test
    void shapesOutsideTheImageAreRejected() {
        assertThatThrownBy(() -> new NetworkShape(0, 5, 3)).hasMessageContaining("width: must be ≥ 1, was 0");
        assertThatThrownBy(() -> new NetworkShape(16, 5, 7)).hasMessageContaining("stages: must be in 1..6");
        assertThatThrownBy(() -> new NetworkShape(16, 0, 3)).hasMessageContaining("cellsPerStage: must be ≥ 1, was 0");
    }
}
