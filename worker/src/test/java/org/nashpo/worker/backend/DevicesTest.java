package org.nashpo.worker.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void theCudaBuildRunsOnTheArchitecturesItsCubinsCover() {
        // a cubin of its own: K80, P100, V100, T4, A100, A10/RTX 30xx
        for (String gpu : new String[] {"3.7", "6.0", "7.0", "7.5", "8.0", "8.6"}) {
            assertThat(Devices.supportsGpu(gpu)).as(gpu).isTrue();
        }
        // a cubin of the same major, lower minor: Jetson Xavier (7.2 ← 7.0), Orin (8.7) and L4/RTX 40xx (8.9 ← 8.6)
        for (String gpu : new String[] {"5.3", "6.2", "7.2", "8.7", "8.9"}) {
            assertThat(Devices.supportsGpu(gpu)).as(gpu).isTrue();
        }
        // H100 (9.0), K40 (3.5): no cubin of theirs, no PTX to JIT
        for (String gpu : new String[] {"9.0", "3.5", "10.0"}) {
            assertThat(Devices.supportsGpu(gpu)).as(gpu).isFalse();
        }
    }

    @Test
    void anUnsupportedGpuIsRefusedByNameWithTheListItWouldNeed() {
        assertThat(Devices.unsupported("NVIDIA H100 80GB HBM3", "9.0"))
                .contains("NVIDIA H100 80GB HBM3").contains("compute capability 9.0")
                .contains("3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6").contains("no PTX");
    }
}
