package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's convolutions, BatchNorms and poolings run on oneDNN's primitives, forward and
 * backward, on the CPU backend: had any fallen back to libnd4j's generic code (im2col + gemm for
 * a convolution), oneDNN's log of the probe's step would lack it.
 */
class KernelsTest {

    private static KernelProbe.Result probe;

    @BeforeAll
    static void runAStep() throws Exception {
        probe = KernelProbe.run(false);
    }

    @Test
    void everyConvolutionBatchNormAndPoolingOfAStepRunsOnOneDnn() {
        assertThat(probe.library()).isEqualTo("oneDNN");
        assertThat(probe.executed()).hasSize(7);
        assertThat(probe.missing()).as("oneDNN's log:%n%s", String.join("\n", probe.log())).isEmpty();
    }

    @Test
    void aStepWithoutOneDnnIsSeenAsSuch() {
        List<String> generic = List.of(KernelProbe.START, "some libnd4j output", KernelProbe.DONE);
        assertThat(KernelProbe.parse(false, generic).missing()).hasSize(7);
        List<String> convOnly = List.of(KernelProbe.START,
                "onednn_verbose,exec,cpu,convolution,jit:avx2,forward_training,src_f32::blocked:abcd:f0,,alg:convolution_direct,mb4_ic3oc4_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1,0.1");
        assertThat(KernelProbe.parse(false, convOnly).missing()).hasSize(6).doesNotContain("convolution forward");
        List<String> pooling = List.of(KernelProbe.START,
                "onednn_verbose,exec,cpu,pooling_v2,jit:avx2,forward_inference,src_f32::blocked:aBcd8b:f0,,alg:pooling_avg_include_padding,mb4ic4_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1,0.01");
        assertThat(KernelProbe.parse(false, pooling).missing()).hasSize(6).doesNotContain("pooling forward");
    }
}
