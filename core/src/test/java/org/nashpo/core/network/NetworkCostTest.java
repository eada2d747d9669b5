package org.nashpo.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
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
