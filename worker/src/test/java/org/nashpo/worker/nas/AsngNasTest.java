package org.nashpo.worker.nas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.data.ImageSet;

/** The search loop on synthetic models: no network, so many ASNG steps run in milliseconds. */
class AsngNasTest {

    /** Images whose content does not matter: the synthetic models ignore it. */
    private static ImageSet blank(int size) {
        return new ImageSet() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void fill(int[] indices, int from, int count, float[] features, int[] labels,
                    SplittableRandom augment) {
                for (int i = 0; i < count; i++) {
                    labels[i] = indices[from + i] % 10;
                }
            }
        };
    }

    /**
     * A model where one operation is clearly better on every edge: the loss is the number of edges not
     * holding it (cells with as many tie, and a tie moves nothing).
     */
    private static final class OneOpIsBetter implements OneShotModel {
        private final Op best;
        private final SearchSpace space;
        final List<List<CellCode>> trained = new ArrayList<>();
        final List<Double> learningRates = new ArrayList<>();

        OneOpIsBetter(Op best) {
            this(best, SearchSpace.NAS_HPO_BENCH_2);
        }

        OneOpIsBetter(Op best, SearchSpace space) {
            this.best = best;
            this.space = space;
        }

        @Override
        public SearchSpace space() {
            return space;
        }

        @Override
        public double trainStep(List<CellCode> cells, Batch batch, double learningRate) {
            trained.add(cells);
            learningRates.add(learningRate);
            return cells.stream().mapToDouble(c -> loss(c, batch)).average().orElseThrow();
        }

        @Override
        public double loss(CellCode cell, Batch batch) {
            return CellCode.EDGES - cell.count(best);
        }
    }

    @Test
    void thetaConcentratesOnTheOperationThatIsClearlyBetter() {
        for (Op best : List.of(Op.AVGPOOL3X3, Op.ZERO)) {
            OneOpIsBetter model = new OneOpIsBetter(best);
            // 64 images in batches of 8: 8 steps per epoch, 800 ASNG updates in all; θ can reach at most
            // 1 − 3·θ_min = 1 − 3/(6·3) ≈ 0.833 per edge (uniform: 0.25)
            AsngNas.Result r = AsngNas.search(model, blank(64), blank(64), new AsngNas.Settings(100, 8, 0.1, 11), e -> { });
            assertThat(r.completed()).isTrue();
            CellCode expected = new CellCode(SearchSpace.NAS_HPO_BENCH_2, List.of(best, best, best, best, best, best));
            assertThat(r.cell()).as("best op %s", best).isEqualTo(expected);
            // every one of the last 20 epochs (160 updates), not one moment
            List<AsngNas.EpochLog> last = r.epochs().subList(80, 100);
            assertThat(last).allSatisfy(e -> assertThat(e.mostLikely()).isEqualTo(expected));
            for (int e = 0; e < CellCode.EDGES; e++) {
                int at = e * 4 + best.ordinal();
                double mean = last.stream().mapToDouble(l -> l.theta().get(at)).average().orElseThrow();
                assertThat(mean).as("mean θ of %s on edge %d", best, e).isGreaterThan(0.75);
            }
        }
    }

    /**
     * NAS-Bench-201's space: five categories per edge, in its digit order (zero, skip, conv1x1, conv3x3,
     * avgpool3x3); the cells sampled and found are of that space.
     */
    @Test
    void overNasBench201sSpaceThetaHasFiveCategoriesPerEdgeAndConcentratesOnTheBetterOne() {
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        OneOpIsBetter model = new OneOpIsBetter(Op.CONV1X1, space);
        AsngNas.Result r = AsngNas.search(model, blank(64), blank(64), new AsngNas.Settings(100, 8, 0.1, 11), e -> { });
        CellCode expected = space.parse("2|22|222");
        assertThat(r.cell()).isEqualTo(expected);
        assertThat(model.trained).allSatisfy(cells -> assertThat(cells).allSatisfy(
                c -> assertThat(c.space()).isEqualTo(space)));
        // every operation of the space was sampled on some edge early on
        assertThat(model.trained.subList(0, 40).stream().flatMap(List::stream).flatMap(c -> c.edges().stream())
                .distinct()).containsExactlyInAnyOrderElementsOf(space.operations());
        List<AsngNas.EpochLog> last = r.epochs().subList(80, 100);
        for (AsngNas.EpochLog e : last) {
            assertThat(e.theta()).hasSize(30);
            for (int edge = 0; edge < CellCode.EDGES; edge++) {
                double sum = 0;
                for (int k = 0; k < 5; k++) {
                    sum += e.theta().get(edge * 5 + k);
                }
                assertThat(sum).isCloseTo(1, within(1e-9));
            }
        }
        for (int e = 0; e < CellCode.EDGES; e++) {
            int at = e * 5 + space.digit(Op.CONV1X1);
            double mean = last.stream().mapToDouble(l -> l.theta().get(at)).average().orElseThrow();
            // at most 1 − 4·θ_min = 1 − 4/(6·4) ≈ 0.833
            assertThat(mean).as("mean θ of conv1x1 on edge %d", e).isGreaterThan(0.75);
        }
        assertThat(AsngNas.cell(space, new int[] {2, 3, 4, 1, 4, 2})).hasToString("2|34|142");
        assertThat(SearchLog.header(space)).contains(",theta_e01_zero,theta_e01_skip,theta_e01_conv1x1,"
                + "theta_e01_conv3x3,theta_e01_avgpool3x3,theta_e02_zero,");
        assertThat(SearchLog.theta(space, last.get(19).theta()).get("e23")).containsOnlyKeys(space.operationNames())
                .containsEntry("conv1x1", last.get(19).theta().get(5 * 5 + 2));
    }

    @Test
    void eachStepTrainsTwoSampledCellsAtTheCosineRateAndEpochsPairTheSmallerSetsBatches() {
        OneOpIsBetter model = new OneOpIsBetter(Op.CONV3X3);
        List<AsngNas.EpochLog> seen = new ArrayList<>();
        // train 50 images → 7 batches of 8; valid 20 → 3 batches: an epoch is 3 steps
        AsngNas.Result r = AsngNas.search(model, blank(50), blank(20), new AsngNas.Settings(4, 8, 0.2, 3), seen::add);
        assertThat(seen).hasSize(4).isEqualTo(r.epochs());
        assertThat(model.trained).hasSize(12).allSatisfy(cells -> assertThat(cells).hasSize(AsngNas.LAMBDA));
        assertThat(r.epochs()).allSatisfy(e -> assertThat(e.steps()).isEqualTo(3));
        // lr·(1 + cos(π·e/4))/2 for e = 0..3
        assertThat(model.learningRates).element(0).isEqualTo(0.2);
        assertThat(model.learningRates.get(3)).isCloseTo(0.1 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
        assertThat(model.learningRates.get(11)).isCloseTo(0.1 * (1 + Math.cos(3 * Math.PI / 4)), within(1e-12));
        for (AsngNas.EpochLog e : r.epochs()) {
            assertThat(e.theta()).hasSize(24);
            for (int edge = 0; edge < CellCode.EDGES; edge++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    sum += e.theta().get(edge * 4 + k);
                }
                assertThat(sum).isCloseTo(1, within(1e-9));
            }
            assertThat(e.delta() * e.bigDelta()).isCloseTo(AsngNas.DELTA_INIT, within(1e-9));
        }
    }

    @Test
    void theSameSeedGivesTheSameSearchAndAnotherSeedAnother() {
        AsngNas.Settings s = new AsngNas.Settings(3, 8, 0.1, 5);
        AsngNas.Result a = AsngNas.search(new OneOpIsBetter(Op.SKIP), blank(32), blank(32), s, e -> { });
        AsngNas.Result b = AsngNas.search(new OneOpIsBetter(Op.SKIP), blank(32), blank(32), s, e -> { });
        AsngNas.Result c = AsngNas.search(new OneOpIsBetter(Op.SKIP), blank(32), blank(32),
                new AsngNas.Settings(3, 8, 0.1, 6), e -> { });
        assertThat(a.epochs().get(2).theta()).isEqualTo(b.epochs().get(2).theta());
        assertThat(a.epochs().get(2).theta()).isNotEqualTo(c.epochs().get(2).theta());
    }

    @Test
    void aNonFiniteLossStopsTheSearchKeepingTheEpochsDone() {
        OneShotModel exploding = new OneShotModel() {
            private int steps;

            @Override
            public double trainStep(List<CellCode> cells, Batch batch, double learningRate) {
                return ++steps > 5 ? Double.NaN : 1;
            }

            @Override
            public double loss(CellCode cell, Batch batch) {
                return cell.count(Op.CONV3X3);
            }
        };
        AsngNas.Result r = AsngNas.search(exploding, blank(32), blank(32), new AsngNas.Settings(5, 8, 0.1, 1), e -> { });
        assertThat(r.completed()).isFalse();
        assertThat(r.epochs()).hasSize(1);
        assertThat(r.stopReason()).contains("train loss became NaN at epoch 1, step 1");
    }

    @Test
    void sampleCategoriesAreOperationDigitsInEdgeOrder() {
        assertThat(AsngNas.cell(SearchSpace.NAS_HPO_BENCH_2, new int[] {0, 1, 0, 2, 1, 0})).hasToString("0|10|210");
        assertThat(SearchLog.header(SearchSpace.NAS_HPO_BENCH_2)).startsWith("epoch,learning_rate,train_loss,"
                + "valid_loss,Delta,delta,most_likely,theta_e01_conv,theta_e01_avgpool,theta_e01_skip,"
                + "theta_e01_zero,theta_e02_conv");
    }
}
