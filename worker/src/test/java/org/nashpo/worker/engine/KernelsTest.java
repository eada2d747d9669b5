package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's convolutions and poolings run on oneDNN's primitives, forward and backward, on the CPU
 * backend, in every variant the network families' layers use: had any fallen back to libnd4j's generic code
 * (im2col + gemm for a convolution), oneDNN's log of the probe's steps would lack it. Its BatchNorms run on the
 * engine's own kernel, so oneDNN's log must not show one (a BatchNorm back on ND4J's op would); on CUDA the
 * probe asks cuDNN for them.
 */
class KernelsTest {

    private static KernelProbe.Result probe;

    @BeforeAll
    static void runAStep() throws Exception {
        probe = KernelProbe.run(false);
    }

    @Test
    void everyConvolutionAndPoolingOfAStepRunsOnOneDnnAndNoBatchNormDoes() {
        assertThat(probe.library()).isEqualTo("oneDNN");
        assertThat(probe.missing()).as("oneDNN's log:%n%s", String.join("\n", probe.log())).isEmpty();
        // read from the families' layers: 3×3 (stride 1 and 2) and 1×1 convolutions, the cells' 3×3 pooling
        // counting and excluding the padding, the reductions' 2×2 pooling
        assertThat(probe.executed()).containsOnlyKeys(
                "convolution 3×3 stride 1 padding 1 forward", "convolution 3×3 stride 1 padding 1 backward data",
                "convolution 3×3 stride 1 padding 1 backward weights", "convolution 3×3 stride 2 padding 1 forward",
                "convolution 3×3 stride 2 padding 1 backward data", "convolution 3×3 stride 2 padding 1 backward weights",
                "average pooling 2×2 stride 2 padding 0, padding counted forward",
                "average pooling 2×2 stride 2 padding 0, padding counted backward",
                "convolution 1×1 stride 1 padding 0 forward", "convolution 1×1 stride 1 padding 0 backward data",
                "convolution 1×1 stride 1 padding 0 backward weights",
                "average pooling 3×3 stride 1 padding 1, padding counted forward",
                "average pooling 3×3 stride 1 padding 1, padding counted backward",
                "average pooling 3×3 stride 1 padding 1, padding excluded forward",
                "average pooling 3×3 stride 1 padding 1, padding excluded backward");
        assertThat(probe.log()).as("oneDNN's log shows no BatchNorm").noneMatch(l -> l.contains(",batch_normalization,"));
        assertThat(KernelProbe.needs(KernelProbe.networks(), true)).extracting(KernelProbe.Need::name)
                .contains("batch normalization forward", "batch normalization backward");
    }

    @Test
    void aStepWithoutOneDnnIsSeenAsSuchAndEachVariantByItsWindow() {
        List<KernelProbe.Need> needs = KernelProbe.needs(KernelProbe.networks(), false);
        List<String> generic = List.of(KernelProbe.START, "some libnd4j output", KernelProbe.DONE);
        assertThat(KernelProbe.parse(false, needs, generic).missing()).hasSize(needs.size());
        List<String> convOnly = List.of(KernelProbe.START,
                "onednn_verbose,exec,cpu,convolution,jit:avx2,forward_training,src_f32::blocked:abcd:f0,,alg:convolution_direct,mb4_ic3oc4_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1,0.1");
        assertThat(KernelProbe.parse(false, needs, convOnly).missing()).hasSize(needs.size() - 1)
                .doesNotContain("convolution 3×3 stride 1 padding 1 forward")
                .contains("convolution 1×1 stride 1 padding 0 forward");
        List<String> pooling = List.of(KernelProbe.START,
                "onednn_verbose,exec,cpu,pooling_v2,jit:avx2,forward_inference,src_f32::blocked:aBcd8b:f0,,alg:pooling_avg_include_padding,mb4ic4_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1,0.01");
        assertThat(KernelProbe.parse(false, needs, pooling).missing()).hasSize(needs.size() - 1)
                .doesNotContain("average pooling 3×3 stride 1 padding 1, padding counted forward")
                .contains("average pooling 3×3 stride 1 padding 1, padding excluded forward");
    }
}
