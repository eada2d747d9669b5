package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.run.TrainingProtocol;

/** The spec's {@code data.dataset} and {@code data.split}: which data set, divided how, and the network it makes. */
class DatasetSpecTest {

    private static BenchmarkSpec spec(String data, String network) {
        return Examples.parse("""
                name: x
                space: nas-bench-201
                data: {uri: d%s}
                output: o
                %s
                grid: {lrs: [0.1], batchSizes: [256], seeds: [222]}
                schedules: [{epochs: 12, cells: ['|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|']}]
                """.formatted(data, network));
    }

    private static List<String> problems(String data, String network) {
        return catchThrowableOfType(SpecException.class, () -> spec(data, network)).problems().stream()
                .map(SpecProblem::toString).toList();
    }

    @Test
    void theDataSetChoosesItsSplitAndTheNetworksInputAndHead() {
        BenchmarkSpec in16 = spec(", dataset: imagenet16-120", "");
        assertThat(in16.data().dataset()).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(in16.data().split()).isEqualTo(DataSplit.NAS_BENCH_201);
        assertThat(in16.network().dataset()).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(in16.network().family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
        assertThat(in16.network().inputSize()).isEqualTo(16);
        assertThat(in16.network().classes()).isEqualTo(120);

        BenchmarkSpec cifar100 = spec(", dataset: cifar100", "");
        assertThat(cifar100.network().classes()).isEqualTo(100);
        assertThat(cifar100.network().inputSize()).isEqualTo(32);
        BenchmarkSpec cifar10 = spec("", "");
        assertThat(cifar10.data().dataset()).isEqualTo(Dataset.CIFAR10);
        assertThat(cifar10.data().split()).isEqualTo(DataSplit.NAS_HPO_BENCH_2);
        assertThat(spec(", dataset: cifar10, split: nas-bench-201", "").data().split())
                .isEqualTo(DataSplit.NAS_BENCH_201);
    }

    @Test
    void theFullDataOfEachSplitIsNasBench201s() {
        TrainingProtocol in16 = spec(", dataset: imagenet16-120", "").protocolOnFullData(Examples.CHECKSUMS);
        assertThat(List.of(in16.trainSize(), in16.validSize(), in16.testSize())).containsExactly(151_700, 3_000, 3_000);
        TrainingProtocol cifar100 = spec(", dataset: cifar100", "").protocolOnFullData(Examples.CHECKSUMS);
        assertThat(List.of(cifar100.trainSize(), cifar100.validSize(), cifar100.testSize()))
                .containsExactly(50_000, 5_000, 5_000);
        assertThat(cifar100.split()).isEqualTo(DataSplit.NAS_BENCH_201);
        TrainingProtocol cifar10 = spec(", split: nas-bench-201", "").protocolOnFullData(Examples.CHECKSUMS);
        assertThat(List.of(cifar10.trainSize(), cifar10.validSize(), cifar10.testSize()))
                .containsExactly(25_000, 25_000, 10_000);
        assertThat(cifar10.split()).isEqualTo(DataSplit.NAS_BENCH_201);
    }

    @Test
    void theCanonicalTextNamesAnyDataButNasHpoBench2sCifar10() {
        assertThat(spec("", "").canonicalText()).doesNotContain("data.dataset").doesNotContain("data.split");
        assertThat(spec(", dataset: cifar100", "").canonicalText())
                .contains("data.uri: file:/specs/team/d\ndata.dataset: cifar100\ndata.split: nas-bench-201\n");
        assertThat(List.of(spec("", "").specHash(), spec(", dataset: cifar100", "").specHash(),
                spec(", split: nas-bench-201", "").specHash(), spec(", dataset: imagenet16-120", "").specHash()))
                .doesNotHaveDuplicates();
        // the default, said or not, is the same spec
        assertThat(spec(", dataset: cifar10, split: nas-hpo-bench-2", "").specHash()).isEqualTo(spec("", "").specHash());
    }

    @Test
    void sizesStagesAndSplitsAreCheckedAgainstTheDataSet() {
        assertThat(problems(", dataset: imagenet16-120, trainSize: 151701, validSize: 3001, testSize: 3000",
                "network: {stages: 6}")).containsExactly(
                        "data.trainSize: must be 1–151700, was 151701",
                        "data.validSize: must be 1–3000, was 3001",
                        "network.stages: must be 1–5, was 6 (imagenet16-120's 16×16 images: each stage halves them)");
        assertThat(problems(", dataset: cifar100, split: nas-hpo-bench-2, validSize: 5001", "")).containsExactly(
                "data.split: must be nas-bench-201 for cifar100 (nas-hpo-bench-2's split divides cifar10 only), "
                        + "was nas-hpo-bench-2");
        assertThat(problems(", dataset: imagenet16, split: nb201", "")).containsExactly(
                "data.dataset: must be one of cifar10, cifar100, imagenet16-120, was \"imagenet16\"",
                "data.split: must be one of nas-hpo-bench-2, nas-bench-201, was \"nb201\"");
        assertThat(spec(", dataset: cifar100, trainSize: 50000, validSize: 5000, testSize: 5000", "")
                .data().trainSize()).hasValue(50_000);
    }
}
