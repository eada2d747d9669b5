package org.nashpo.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.ImageSet;

/** Runs of other spaces and families than NAS-HPO-Bench-II's: 1×1 convolutions, pooling without the padding. */
class TrainerSpacesTest {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);

    @BeforeAll
    static void backend() {
        Backend.configure(2);
    }

    @ParameterizedTest(name = "{0} in {1}, {2}")
    @CsvSource({
        // NAS-Bench-201's digits: 1×1 and 3×3 convs from the input, avg pools excluding the padding, a skip
        "2|34|142, 'zero,skip,conv1x1,conv3x3,avgpool3x3', nas-bench-201",
        // NAS-HPO-Bench-II's network and space, extended by conv1x1 (digit 4)
        "4|02|214, 'conv3x3,avgpool3x3,skip,zero,conv1x1', nas-hpo-bench-2"})
    void aCellWithOneByOneConvolutionsTrains(String code, String operations, String family) {
        SearchSpace space = SearchSpace.ofNames(List.of(operations.split(",")));
        NetworkShape shape = TINY.withFamily(NetworkFamily.bySpecName(family).orElseThrow());
        TrainingProtocol protocol = new TrainingProtocol(shape, 64, 32, 32, Map.of("synthetic", "0"));
        RunKey key = RunKey.of(protocol, new Configuration(space.parse(code), 0.2, 8), 222, 5);
        Trainer trainer = new Trainer(shape, true, TrainerTest.synthetic(64, 1), TrainerTest.synthetic(32, 2),
                TrainerTest.synthetic(32, 3), Trainer.SGD);

        Trainer.Outcome outcome = trainer.train(key, m -> { });

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome.parameters()).isEqualTo(NetworkCost.of(key.cellcode(), shape).parameters());
        assertThat(outcome.epochs()).hasSize(5).allSatisfy(m -> assertThat(m.getTrainLoss()).isFinite());
        List<EpochMetrics> e = outcome.epochs();
        assertThat(e.get(4).getTrainLoss()).isLessThan(e.get(0).getTrainLoss());
        // twice chance on 64 synthetic images after 5 epochs of batch 8, as TrainerTest asks of 0|10|210
        assertThat(e.get(4).getTrainAccuracy()).isGreaterThan(20.0);
    }

    /**
     * A NAS-Bench-201 network on ImageNet16-120's 16×16 images and 120 classes trains: the engine's head and loss
     * follow the data set (synthetic images of 16×16 whose class shows as a bright block).
     */
    @org.junit.jupiter.api.Test
    void aNetworkOnImageNet16sImagesAndClassesTrains() {
        NetworkShape shape = TINY.withFamily(NetworkFamily.NAS_BENCH_201).withDataset(Dataset.IMAGENET16_120);
        TrainingProtocol protocol = new TrainingProtocol(shape, 96, 48, 48, Map.of("synthetic", "0"));
        RunKey key = RunKey.of(protocol, new Configuration(SearchSpace.NAS_BENCH_201.parse("3|13|113"), 0.1, 16), 222,
                3);
        Trainer trainer = new Trainer(shape, false, small(96, 1), small(48, 2), small(48, 3), Trainer.SGD);

        Trainer.Outcome outcome = trainer.train(key, m -> { });

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome.parameters()).isEqualTo(NetworkCost.of(key.cellcode(), shape).parameters());
        List<EpochMetrics> e = outcome.epochs();
        assertThat(e).hasSize(3).allSatisfy(m -> assertThat(m.getValidLoss()).isFinite());
        // chance is ln 120 ≈ 4.79; the valid set is evaluated unaugmented, so its loss is a plain pass's
        assertThat(e.get(0).getTrainLoss()).isBetween(3.0, 7.0);
        assertThat(e.get(2).getTrainLoss()).isLessThan(e.get(0).getTrainLoss());
    }

    /** {@code n} 16×16 images of 120 classes (class k a bright block at a place of its own). */
    private static ImageSet small(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        return new ImageSet() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void fill(int[] indices, int from, int count, float[] features, int[] labels,
                    java.util.SplittableRandom augment) {
                for (int b = 0; b < count; b++) {
                    int image = indices[from + b];
                    int label = image % 8 * 15;
                    labels[b] = label;
                    for (int p = 0; p < 768; p++) {
                        features[b * 768 + p] = (float) r.nextGaussian() * 0.3f;
                    }
                    int row = label / 15 / 4 * 8;
                    int col = label / 15 % 4 * 4;
                    for (int c = 0; c < 3; c++) {
                        for (int y = row; y < row + 8; y++) {
                            for (int x = col; x < col + 4; x++) {
                                features[b * 768 + c * 256 + y * 16 + x] += 2f;
                            }
                        }
                    }
                }
            }
        };
    }
}
