package org.nashpo.core.spec;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkShape;

class PlannerTest {

    private static final TrainingProtocol FULL = Examples.protocol(NetworkShape.BENCHMARK, 25_000, 25_000, 10_000);

    @Test
    void listSchedulingOnKnownSmallCases() {
        // 2 GPUs, runs 3,3,2,2,2 (the classic LPT example): longest first gives 7, the optimum is 6
        assertThat(Planner.greedy(new double[] {3, 3, 2, 2, 2}, 2)).isEqualTo(7);
        // in the order 2,2,2,3,3: GPUs 2,0 → 2,2 → 4,2 → 4,5 → 7,5: ends at 7
        assertThat(Planner.greedy(new double[] {2, 2, 2, 3, 3}, 2)).isEqualTo(7);
        // a long run last is the bad case for an unordered order: 1,1,1,1,4 on 2 GPUs → 2 + 4 = 6, longest first 4
        assertThat(Planner.greedy(new double[] {1, 1, 1, 1, 4}, 2)).isEqualTo(6);
        assertThat(Planner.greedy(new double[] {4, 1, 1, 1, 1}, 2)).isEqualTo(4);
        // contiguous shares of 1,1,1,1,4 on 2 GPUs: [1,1] and [1,1,4] → 6
        assertThat(Planner.contiguous(new double[] {1, 1, 1, 1, 4}, 2)).isEqualTo(6);
        assertThat(Planner.contiguous(new double[] {5}, 3)).isEqualTo(5);
    }

    @Test
    void longestFirstIsBetweenTheLowerBoundAndFourThirdsOfIt() {
        List<RunKey> keys = new java.util.ArrayList<>();
        String[] cells = {"0|00|000", "0|10|210", "3|33|333", "1|02|120", "2|21|102", "0|01|011"};
        for (String c : cells) {
            for (int batch : new int[] {16, 64, 256, 512}) {
                for (int epochs : new int[] {12, 200}) {
                    keys.add(RunKey.of(FULL, new Configuration(org.nashpo.core.space.SearchSpace.NAS_HPO_BENCH_2.parse(c), 0.1, batch), 222,
                            epochs));
                }
            }
        }
        Planner.Makespan m = Planner.makespan(keys, CostModel.UNCALIBRATED, FULL, 4);
        assertThat(m.runs()).isEqualTo(48);
        assertThat(m.longestFirst()).isGreaterThanOrEqualTo(m.lowerBound()).isLessThanOrEqualTo(4.0 / 3 * m.lowerBound());
        assertThat(m.unorderedGreedy()).isGreaterThanOrEqualTo(m.lowerBound());
        assertThat(m.unorderedStatic()).isGreaterThanOrEqualTo(m.unorderedGreedy() - 1e-9);
        assertThat(m.totalSeconds()).isCloseTo(keys.stream().mapToDouble(k -> CostModel.UNCALIBRATED.predictedSeconds(k, FULL))
                .sum(), within(1e-6 * m.totalSeconds()));
    }

    @Test
    void theImagesPerSecondOfTheReferenceRunSetTheScale() {
        CostModel gpu = Planner.scaleFor(CostModel.UNCALIBRATED, 2000, FULL);
        // one epoch of the reference cell at batch 256 without evaluation: 25,000 images at 2,000 / s
        RunKey reference = RunKey.of(FULL, new Configuration(Planner.REFERENCE_CELL, 0.1, Planner.REFERENCE_BATCH), 222, 1);
        assertThat(gpu.predictedSeconds(reference, NetworkShape.BENCHMARK, 25_000, 0)).isCloseTo(12.5, within(1e-9));
        assertThat(gpu.stepOverheadImages()).isEqualTo(CostModel.STEP_OVERHEAD_IMAGES);
        assertThatThrownBy(() -> Planner.scaleFor(CostModel.UNCALIBRATED, 0, FULL)).hasMessageContaining("images per second");
        assertThatThrownBy(() -> Planner.makespan(List.of(), CostModel.UNCALIBRATED, FULL, 0)).hasMessageContaining("GPUs");
    }
}
