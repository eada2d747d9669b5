package org.nashpo.core.spec;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;

class ExamplesTest {

    @Test
    void theFullBenchmarkExpandsToThePapersRuns() throws Exception {
        BenchmarkSpec spec = Examples.read("nas-hpo-bench-2.yaml");
        assertThat(spec.network()).isEqualTo(NetworkShape.BENCHMARK);
        assertThat(spec.grid()).isEqualTo(new GridSpec(HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES, HpGrid.SEEDS));
        assertThat(spec.data().uri()).hasToString("hdfs:///datasets/cifar-10");
        assertThat(spec.output()).hasToString("hdfs:///nashpo/nas-hpo-bench-2");
        assertThat(spec.resources()).contains(new Resources(4, 1));

        TrainingProtocol protocol = spec.protocol(Examples.CHECKSUMS, 25_000, 25_000, 10_000);
        List<RunKey> keys = spec.expand(protocol);

        assertThat(keys).hasSize(1_011 * 48 * 3 + 100 * 48 * 3).hasSize(159_984);
        assertThat(new HashSet<>(keys)).hasSize(keys.size());
        Map<Integer, Long> perSchedule = keys.stream().collect(groupingBy(RunKey::epochs, counting()));
        assertThat(perSchedule).containsExactlyInAnyOrderEntriesOf(Map.of(12, 145_584L, 200, 14_400L));
        SearchSpace space = SearchSpace.NAS_HPO_BENCH_2;
        assertThat(keys.stream().filter(k -> !space.classOf(k.cellcode()).representative().equals(k.cellcode())))
                .as("keys training a cell that is not its class's representative").isEmpty();
        assertThat(keys.stream().map(RunKey::protocolId).distinct()).containsExactly(protocol.id());
        assertThat(keys.stream().filter(k -> k.epochs() == 200).map(RunKey::cellcode).distinct())
                .containsExactlyInAnyOrderElementsOf(space.longScheduleCells());
    }

    @Test
    void theTinySpecTrainsFourClassesOnTheRepositorysSubset() throws Exception {
        BenchmarkSpec spec = Examples.read("tiny.yaml");
        Path root = Examples.dir().getParent();
        assertThat(Path.of(spec.data().uri())).isEqualTo(root.resolve("data/cifar-10-mini")).isDirectory();
        assertThat(Path.of(spec.output())).isEqualTo(root.resolve("target/tiny-runs"));
        assertThat(spec.data().trainSize()).isEqualTo(OptionalInt.of(256));
        assertThat(spec.data().validSize()).isEqualTo(OptionalInt.of(128));
        assertThat(spec.data().testSize()).isEqualTo(OptionalInt.of(128));
        assertThat(spec.network()).isEqualTo(new NetworkShape(4, 1, 3));
        assertThat(spec.schedules()).singleElement().extracting(Schedule::epochs).isEqualTo(1);

        List<CellCode> cells = Stream.of("0|00|000", "0|10|210", "0|03|323", "3|33|333").map(SearchSpace.NAS_HPO_BENCH_2::parse).toList();
        long classes = cells.stream().map(SearchSpace.NAS_HPO_BENCH_2::classOf).distinct().count();
        List<RunKey> keys = spec.expand(spec.protocol(Examples.CHECKSUMS, 2_022, 1_978, 1_000));

        assertThat(classes).isEqualTo(4);
        assertThat(keys).hasSize((int) classes * 2 * 2 * 1).hasSize(16);
        assertThat(keys).extracting(RunKey::epochs).containsOnly(1);
        assertThat(keys).extracting(RunKey::learningRate).containsOnly(0.025, 0.1);
        assertThat(keys).extracting(RunKey::batchSize).containsOnly(32, 64);
        assertThat(keys.stream().map(RunKey::cellcode).distinct())
                .containsExactlyInAnyOrderElementsOf(cells.stream()
                        .map(c -> SearchSpace.NAS_HPO_BENCH_2.classOf(c).representative()).toList());
    }

    /**
     * NAS-Bench-201's HP benchmark on its other two data sets: the same runs into the same output as on CIFAR-10,
     * under protocols of their own, on NAS-Bench-201's full splits; priced per CIFAR image, ImageNet16's 16×16 images
     * cost a quarter of the work.
     */
    @Test
    void nasBench201sHpBenchmarkOnItsThreeDataSets() throws Exception {
        BenchmarkSpec cifar10 = Examples.read("nas-bench-201-hp.yaml");
        BenchmarkSpec cifar100 = Examples.read("nas-bench-201-hp-cifar100.yaml");
        BenchmarkSpec in16 = Examples.read("nas-bench-201-hp-imagenet16-120.yaml");
        assertThat(cifar100.data().dataset()).isEqualTo(Dataset.CIFAR100);
        assertThat(in16.data().dataset()).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(List.of(cifar100.data().split(), in16.data().split())).containsOnly(DataSplit.NAS_BENCH_201);
        assertThat(in16.network().inputSize()).isEqualTo(16);
        assertThat(in16.network().classes()).isEqualTo(120);
        assertThat(List.of(cifar100.output(), in16.output())).containsOnly(cifar10.output());

        TrainingProtocol p100 = cifar100.protocolOnFullData(Examples.CHECKSUMS);
        TrainingProtocol p16 = in16.protocolOnFullData(Examples.CHECKSUMS);
        assertThat(List.of(p16.trainSize(), p16.validSize(), p16.testSize())).containsExactly(151_700, 3_000, 3_000);
        assertThat(in16.data().trainSize()).hasValue(151_700);
        assertThat(cifar100.expand(p100)).hasSize(795_600);
        assertThat(in16.expand(p16)).hasSize(795_600);
        assertThat(List.of(cifar10.protocolOnFullData(Examples.CHECKSUMS).id(), p100.id(), p16.id()))
                .doesNotHaveDuplicates();

        RunKey key = in16.expand(p16).get(0);
        CostModel c10 = Planner.scaleFor(CostModel.UNCALIBRATED, 4000, cifar10.protocolOnFullData(Examples.CHECKSUMS));
        CostModel c16 = Planner.scaleFor(CostModel.UNCALIBRATED, 4000, p16);
        assertThat(c16).isEqualTo(c10);
        assertThat(CostModel.work(key, in16.network(), 1000, 0) / CostModel.work(key, cifar10.network(), 1000, 0))
                .isCloseTo(0.25, org.assertj.core.api.Assertions.within(0.001));
    }
}
