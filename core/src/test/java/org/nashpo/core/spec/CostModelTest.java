package org.nashpo.core.spec;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;

class CostModelTest {

    private static final TrainingProtocol FULL = Examples.protocol(NetworkShape.BENCHMARK, 25_000, 25_000, 10_000);

    private static RunKey key(String cell, double lr, int batchSize, int epochs) {
        return RunKey.of(FULL, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(cell), lr, batchSize), 222, epochs);
    }

    @Test
    void theWorkIsMultiplyAddsTimesEpochsTimesImagesWithTheBatchCorrection() {
        // multiply-adds per image of PROTOCOL.md §2's reference values
        RunKey reference = key("0|10|210", 0.1, 32, 2);
        assertThat(CostModel.work(reference, NetworkShape.BENCHMARK, 100, 50))
                .isEqualTo(2 * 113_951_360.0 * (3 * 100 * (1 + 32.0 / 32) + 50));
        RunKey allConv = key("0|00|000", 0.1, 512, 1);
        assertThat(CostModel.work(allConv, NetworkShape.BENCHMARK, 100, 0))
                .isEqualTo(220_119_680.0 * 3 * 100 * (1 + 32.0 / 512));
    }

    @Test
    void smallBatchesAreSlowerAndTimeScalesWithEpochs() {
        CostModel model = CostModel.UNCALIBRATED;
        double batch16 = model.predictedSeconds(key("0|10|210", 0.1, 16, 12), FULL);
        double batch512 = model.predictedSeconds(key("0|10|210", 0.1, 512, 12), FULL);
        assertThat(batch16).isGreaterThan(1.5 * batch512);
        assertThat(model.predictedSeconds(key("0|10|210", 0.1, 16, 200), FULL) / batch16)
                .isCloseTo(200 / 12.0, within(1e-9));
        assertThat(model.predictedSeconds(key("0|10|210", 0.4, 16, 12), FULL)).as("the lr costs nothing")
                .isEqualTo(batch16);
    }

    @Test
    void theBiggestLongestRunStartsFirst() {
        RunKey zeroShort = key("3|33|333", 0.1, 512, 1);
        RunKey middle = key("0|10|210", 0.1, 256, 12);
        RunKey allConvLong = key("0|00|000", 0.1, 512, 200);
        assertThat(CostModel.UNCALIBRATED.longestFirst(List.of(zeroShort, middle, allConvLong), FULL))
                .containsExactly(allConvLong, middle, zeroShort);
        RunKey sameCost = key("3|33|333", 0.2, 512, 1);
        assertThat(CostModel.UNCALIBRATED.longestFirst(List.of(sameCost, zeroShort), FULL))
                .as("ties keep their order").containsExactly(sameCost, zeroShort);
    }

    @Test
    void calibrationRecoversTheScaleOfMeasuredRuns() {
        double scale = 3.7e-11;
        String[] cells = {"0|00|000", "0|10|210", "3|33|333", "1|02|120"};
        int[] batches = {16, 64, 512};
        List<RunCost> exact = new ArrayList<>();
        List<RunCost> noisy = new ArrayList<>();
        Random noise = new Random(11);
        for (String cell : cells) {
            for (int batch : batches) {
                RunKey k = key(cell, 0.05, batch, 12);
                double seconds = scale * CostModel.work(k, NetworkShape.BENCHMARK, 25_000, 60_000);
                exact.add(new RunCost(k, seconds));
                noisy.add(new RunCost(k, seconds * (0.9 + 0.2 * noise.nextDouble())));
            }
        }
        CostModel calibrated = CostModel.UNCALIBRATED.calibrate(exact, FULL);
        assertThat(calibrated.secondsPerMultiplyAdd()).isCloseTo(scale, Percentage.withPercentage(1e-9));
        assertThat(calibrated.predictedSeconds(exact.get(0).key(), FULL))
                .isCloseTo(exact.get(0).seconds(), Percentage.withPercentage(1e-9));
        assertThat(CostModel.UNCALIBRATED.calibrate(noisy, FULL).secondsPerMultiplyAdd())
                .isCloseTo(scale, Percentage.withPercentage(5));
        assertThat(CostModel.UNCALIBRATED.calibrate(List.of(), FULL)).isSameAs(CostModel.UNCALIBRATED);
    }

    @Test
    void calibrationFitsTheStepOverheadWhenBatchSizesVary() {
        // a CPU-like machine: 5 images' worth of overhead per step instead of the default 32
        CostModel truth = new CostModel(2.5e-10, 5);
        List<RunCost> measured = new ArrayList<>();
        for (String cell : new String[] {"0|00|000", "0|10|210", "1|02|120"}) {
            for (int batch : new int[] {16, 128, 512}) {
                RunKey k = key(cell, 0.05, batch, 12);
                measured.add(new RunCost(k, truth.predictedSeconds(k, FULL)));
            }
        }
        CostModel fitted = CostModel.UNCALIBRATED.calibrate(measured, FULL);
        assertThat(fitted.secondsPerMultiplyAdd()).isCloseTo(2.5e-10, Percentage.withPercentage(1e-6));
        assertThat(fitted.stepOverheadImages()).isCloseTo(5, within(1e-6));
        // which changes the order: with little overhead, a large batch of a big cell outweighs a small one
        RunKey smallBatchMiddle = key("0|10|210", 0.1, 16, 12);
        RunKey largeBatchBig = key("0|00|000", 0.1, 512, 12);
        assertThat(CostModel.UNCALIBRATED.longestFirst(List.of(largeBatchBig, smallBatchMiddle), FULL))
                .containsExactly(smallBatchMiddle, largeBatchBig);
        assertThat(fitted.longestFirst(List.of(smallBatchMiddle, largeBatchBig), FULL))
                .containsExactly(largeBatchBig, smallBatchMiddle);

        // one batch size cannot separate the two parts: only the scale moves
        List<RunCost> oneBatch = measured.stream().filter(r -> r.key().batchSize() == 128).toList();
        CostModel scaled = CostModel.UNCALIBRATED.calibrate(oneBatch, FULL);
        assertThat(scaled.stepOverheadImages()).isEqualTo(CostModel.STEP_OVERHEAD_IMAGES);
        assertThat(scaled.predictedSeconds(oneBatch.get(0).key(), FULL))
                .isCloseTo(oneBatch.get(0).seconds(), Percentage.withPercentage(1e-6));
    }

    @Test
    void impossibleMeasurementsAndScalesAreRefused() {
        RunKey k = key("0|10|210", 0.1, 256, 12);
        assertThatThrownBy(() -> new RunCost(k, 0)).hasMessageStartingWith("seconds: must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> new RunCost(k, Double.NaN)).hasMessageStartingWith("seconds: must be");
        assertThatThrownBy(() -> new CostModel(-1)).hasMessage("secondsPerMultiplyAdd: must be a finite number > 0, was -1.0");
        assertThatThrownBy(() -> new CostModel(1e-12, -2)).hasMessage("stepOverheadImages: must be a finite number ≥ 0, was -2.0");
        assertThatThrownBy(() -> CostModel.work(k, NetworkShape.BENCHMARK, 0, 10))
                .hasMessage("images: train must be ≥ 1 and eval ≥ 0, were 0 and 10");
    }
}
