package org.nashpo.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkShape;

class TrainingProtocolTest {

    @Test
    void theIdIsStableAndIndependentOfChecksumOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a.bin", "1");
        ab.put("b.bin", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b.bin", "2");
        ba.put("a.bin", "1");
        TrainingProtocol p = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, ab);
        assertThat(p.id()).isEqualTo(new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, ba).id());
        assertThat(p.id()).matches("[0-9a-f]{16}");
        assertThat(p.canonicalText()).contains("network=16/5/3").contains("data=100/100/100").contains("a.bin=1;b.bin=2");
    }

    @Test
    void whatChangesResultsChangesTheId() {
        TrainingProtocol p = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of("a.bin", "1"));
        assertThat(new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of("a.bin", "2")).id()).isNotEqualTo(p.id());
        assertThat(new TrainingProtocol(NetworkShape.BENCHMARK, 101, 100, 100, Map.of("a.bin", "1")).id()).isNotEqualTo(p.id());
        assertThat(new TrainingProtocol(new NetworkShape(16, 4, 3), 100, 100, 100, Map.of("a.bin", "1")).id())
                .isNotEqualTo(p.id());
    }

    @Test
    void aDataSetOtherThanNasHpoBench2sCifar10SaysItselfItsSplitAndItsRecipe() {
        TrainingProtocol cifar10 = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of("a.bin", "1"));
        assertThat(cifar10.split()).isEqualTo(DataSplit.NAS_HPO_BENCH_2);
        assertThat(cifar10.canonicalText()).doesNotContain("dataset=").doesNotContain("split=");

        TrainingProtocol cifar100 = new TrainingProtocol(NetworkShape.BENCHMARK.withDataset(Dataset.CIFAR100), 100, 100,
                100, Map.of("a.bin", "1"));
        assertThat(cifar100.split()).isEqualTo(DataSplit.NAS_BENCH_201);
        assertThat(cifar100.canonicalText()).endsWith(";dataset=cifar100;split=nas-bench-201;"
                + "normalize(mean=129.3/124.1/112.4,std=68.2/65.4/70.4);augment(train: crop32-pad4-zero, hflip0.5)"
                + ";data=100/100/100;a.bin=1");
        assertThat(new TrainingProtocol(NetworkShape.BENCHMARK.withDataset(Dataset.IMAGENET16_120), 100, 100, 100,
                Map.of("a.bin", "1")).canonicalText()).contains(";dataset=imagenet16-120;split=nas-bench-201;"
                        + "normalize(mean=122.68/116.66/104.01,std=63.22/61.26/65.09);"
                        + "augment(train: crop16-pad2-zero, hflip0.5)");
        // CIFAR-10 divided as NAS-Bench-201 divides it is another protocol: its valid batches are not augmented
        TrainingProtocol cifar10Nb201 = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100,
                Map.of("a.bin", "1"), DataSplit.NAS_BENCH_201);
        assertThat(cifar10Nb201.canonicalText()).contains(";dataset=cifar10;split=nas-bench-201;"
                + "normalize(mean=125.3/123.0/113.9,std=63.0/62.1/66.7);augment(train: crop32-pad4-zero, hflip0.5)");
        assertThat(List.of(cifar10.id(), cifar100.id(), cifar10Nb201.id())).doesNotHaveDuplicates();
        assertThatThrownBy(() -> new TrainingProtocol(NetworkShape.BENCHMARK.withDataset(Dataset.CIFAR100), 100, 100,
                100, Map.of(), DataSplit.NAS_HPO_BENCH_2)).hasMessage("split nas-hpo-bench-2 divides cifar10 only, "
                        + "not cifar100; cifar100 has nas-bench-201's");
    }

    @Test
    void emptySubsetsAreRejected() {
        assertThatThrownBy(() -> new TrainingProtocol(NetworkShape.BENCHMARK, 0, 100, 100, Map.of()))
                .hasMessageContaining("trainSize: must be ≥ 1, was 0");
    }

    @Test
    void theBuildNamesItsVersion() {
        assertThat(BuildInfo.current().version()).isNotBlank().doesNotStartWith("${");
    }
}
