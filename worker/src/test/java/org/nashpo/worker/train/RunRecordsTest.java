package org.nashpo.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.RunFiles;

/** A record names its space and family (null for NAS-HPO-Bench-II's) and reads back into the key it was written from. */
class RunRecordsTest {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);

    private static TrainingRun record(CellCode cell, NetworkFamily family) {
        return record(cell, new TrainingProtocol(TINY.withFamily(family), 64, 32, 32, Map.of("synthetic", "0")));
    }

    private static TrainingRun record(CellCode cell, TrainingProtocol protocol) {
        RunKey key = RunKey.of(protocol, new org.nashpo.core.grid.Configuration(cell, 0.1, 16), 555, 1);
        List<EpochMetrics> epochs = List.of(new EpochMetrics(0, 0.1, 2.3, 10.0, 2.2, 11.0, 2.25, 12.0, 1.0, 0.5, 0.25,
                0.5));
        Provenance provenance = Provenance.newBuilder().setNashpoVersion("t").setGitCommit(null).setJavaVersion("17")
                .setOs("linux").setCpu("cpu").setHost("h").setExecutorId(null).setDevice("cpu").setDeviceName(null)
                .setBackend("CPU").setLibraryVersions(Map.of()).setDataChecksums(Map.of("synthetic", "0"))
                .setRngSeed(555).setSpecHash(null).setStartedAt(Instant.ofEpochMilli(1000))
                .setFinishedAt(Instant.ofEpochMilli(4000)).build();
        return RunRecords.of(key, protocol, "file:/data", new Trainer.Outcome(RunStatus.COMPLETED, null, epochs,
                NetworkCost.of(key.cellcode(), protocol.network()).parameters()), provenance, 3.0);
    }

    /** Written to a run file and read back, as a construct output's readers do. */
    private static TrainingRun roundTrip(TrainingRun run, Path dir) {
        URI file = dir.resolve("run.avro").toUri();
        RunFiles.write(file, List.of(run), new Configuration());
        List<TrainingRun> read = RunFiles.read(file, new Configuration());
        assertThat(read).containsExactly(run);
        return read.get(0);
    }

    @Test
    void aNasBench201RecordNamesItsOperationsAndFamilyAndReadsBackIntoItsKey(@TempDir Path dir) {
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        TrainingRun run = roundTrip(record(space.parse("2|34|142"), NetworkFamily.NAS_BENCH_201), dir);
        assertThat(run.getKey().getOperations()).containsExactly("zero", "skip", "conv1x1", "conv3x3", "avgpool3x3");
        assertThat(run.getNetwork().getFamily()).isEqualTo("nas-bench-201");
        assertThat(run.getKey().getCellcode()).isEqualTo("2|34|142");

        RunKey key = RunRecords.key(run);
        assertThat(key.cellcode()).isEqualTo(space.parse("2|34|142"));
        assertThat(key.cellcode().space()).isEqualTo(space);
        assertThat(key.cellClassId()).isEqualTo(run.getKey().getCellClassId());
        assertThat(RunRecords.space(run)).isEqualTo(space);
        assertThat(RunRecords.family(run)).isEqualTo(NetworkFamily.NAS_BENCH_201);
        assertThat(RunRecords.shape(run)).isEqualTo(TINY.withFamily(NetworkFamily.NAS_BENCH_201));
        // the bias-free network's count, as NetworkCost gives it for that family
        assertThat(run.getParameters()).isEqualTo(NetworkCost.of(key.cellcode(), RunRecords.shape(run)).parameters());
        // the digits alone, read in NAS-HPO-Bench-II's space, would be another cell (or none)
        assertThat(key.cellcode().stableCode()).isNotEqualTo(run.getKey().getCellcode());
    }

    @Test
    void aNasHpoBench2RecordLeavesBothNullAsRecordsBeforeThemAndReadsBackIntoItsKey(@TempDir Path dir) {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");
        TrainingRun run = roundTrip(record(cell, NetworkFamily.NAS_HPO_BENCH_2), dir);
        assertThat(run.getKey().getOperations()).isNull();
        assertThat(run.getNetwork().getFamily()).isNull();
        RunKey key = RunRecords.key(run);
        assertThat(key.cellcode()).isEqualTo(cell);
        assertThat(RunRecords.space(run)).isEqualTo(SearchSpace.NAS_HPO_BENCH_2);
        assertThat(RunRecords.shape(run)).isEqualTo(TINY);
        assertThat(key.id()).isEqualTo(RunKey.of(new TrainingProtocol(TINY, 64, 32, 32, Map.of("synthetic", "0")),
                new org.nashpo.core.grid.Configuration(cell, 0.1, 16), 555, 1).id());
    }

    @Test
    void aRecordIsOfTodaysRecipeWhenItsNetworkAndDataGiveItsProtocolIdToday(@TempDir Path dir) {
        TrainingProtocol today = new TrainingProtocol(TINY.withFamily(NetworkFamily.NAS_BENCH_201), 64, 32, 32,
                Map.of("synthetic", "0"));
        TrainingRun run = roundTrip(record(SearchSpace.NAS_BENCH_201.parse("2|34|142"), today), dir);
        assertThat(RunRecords.protocolToday(run)).isEqualTo(today);
        assertThat(RunRecords.isOfTodaysRecipe(run)).isTrue();

        // the same run as an older recipe recorded it: another protocol id for the same network and data
        TrainingRun older = TrainingRun.newBuilder(run).setKey(org.nashpo.schema.RunKey.newBuilder(run.getKey())
                .setProtocolId("0123456789abcdef").build()).build();
        assertThat(RunRecords.isOfTodaysRecipe(older)).isFalse();
        // other data than its protocol was computed from: not today's protocol either
        TrainingRun otherData = TrainingRun.newBuilder(run).setProvenance(Provenance.newBuilder(run.getProvenance())
                .setDataChecksums(Map.of("synthetic", "1")).build()).build();
        assertThat(RunRecords.isOfTodaysRecipe(otherData)).isFalse();
    }

    @Test
    void aRecordNamesItsDataSetAndSplitUnlessTheyAreNasHpoBench2sCifar10(@TempDir Path dir) throws Exception {
        TrainingRun cifar10 = roundTrip(record(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"),
                NetworkFamily.NAS_HPO_BENCH_2), dir);
        assertThat(cifar10.getData().getDataset()).isNull();
        assertThat(cifar10.getData().getSplit()).isNull();
        assertThat(RunRecords.dataset(cifar10)).isEqualTo(Dataset.CIFAR10);
        assertThat(RunRecords.split(cifar10)).isEqualTo(DataSplit.NAS_HPO_BENCH_2);

        NetworkShape in16 = TINY.withFamily(NetworkFamily.NAS_BENCH_201).withDataset(Dataset.IMAGENET16_120);
        TrainingProtocol protocol = new TrainingProtocol(in16, 64, 32, 32, Map.of("synthetic", "0"));
        TrainingRun run = roundTrip(record(SearchSpace.NAS_BENCH_201.parse("2|34|142"), protocol),
                Files.createDirectories(dir.resolve("in16")));
        assertThat(run.getData().getDataset()).isEqualTo("imagenet16-120");
        assertThat(run.getData().getSplit()).isEqualTo("nas-bench-201");
        assertThat(RunRecords.shape(run)).isEqualTo(in16);
        assertThat(RunRecords.split(run)).isEqualTo(DataSplit.NAS_BENCH_201);
        // the network on 16×16 images with 120 classes: its cost, not CIFAR-10's
        assertThat(run.getParameters()).isEqualTo(NetworkCost.of(RunRecords.key(run).cellcode(), in16).parameters());
        assertThat(run.getMultiplyAdds()).isEqualTo(NetworkCost.of(RunRecords.key(run).cellcode(), in16)
                .multiplyAdds()).isLessThan(NetworkCost.of(RunRecords.key(run).cellcode(),
                        in16.withDataset(Dataset.CIFAR10)).multiplyAdds() / 3);
        assertThat(RunRecords.key(run).protocolId()).isEqualTo(protocol.id());

        TrainingRun cifar10Nb201 = record(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), new TrainingProtocol(TINY, 64,
                32, 32, Map.of("synthetic", "0"), DataSplit.NAS_BENCH_201));
        assertThat(cifar10Nb201.getData().getDataset()).isEqualTo("cifar10");
        assertThat(cifar10Nb201.getData().getSplit()).isEqualTo("nas-bench-201");

        TrainingRun unknown = TrainingRun.newBuilder(run).setData(DataSubset.newBuilder(run.getData())
                .setDataset("mnist").build()).build();
        assertThatThrownBy(() -> RunRecords.shape(unknown)).hasMessage("data.dataset \"mnist\" is not a known data "
                + "set; expected one of cifar10, cifar100, imagenet16-120");
    }

    @Test
    void anExtendedSpaceIsNamedInFullAndItsFamilyLeftNull(@TempDir Path dir) {
        SearchSpace extended = SearchSpace.of(List.of(Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO, Op.CONV1X1));
        TrainingRun run = roundTrip(record(extended.parse("4|02|214"), NetworkFamily.NAS_HPO_BENCH_2), dir);
        assertThat(run.getKey().getOperations()).containsExactly("conv3x3", "avgpool3x3", "skip", "zero", "conv1x1");
        assertThat(run.getNetwork().getFamily()).isNull();
        assertThat(RunRecords.key(run).cellcode()).isEqualTo(extended.parse("4|02|214"));
    }

    @Test
    void anUnknownOperationOrFamilyIsNamedWithItsField() {
        TrainingRun run = record(SearchSpace.NAS_BENCH_201.parse("2|34|142"), NetworkFamily.NAS_BENCH_201);
        TrainingRun badOperation = TrainingRun.newBuilder(run).setKey(org.nashpo.schema.RunKey.newBuilder(run.getKey())
                .setOperations(List.of("zero", "maxpool3x3")).build()).build();
        assertThatThrownBy(() -> RunRecords.key(badOperation)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key.operations").hasMessageContaining("maxpool3x3");
        TrainingRun badFamily = TrainingRun.newBuilder(run).setNetwork(org.nashpo.schema.NetworkShape.newBuilder(
                run.getNetwork()).setFamily("darts").build()).build();
        assertThatThrownBy(() -> RunRecords.shape(badFamily)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network.family").hasMessageContaining("darts");
        // a cellcode beyond the space's digits
        TrainingRun badDigit = TrainingRun.newBuilder(run).setKey(org.nashpo.schema.RunKey.newBuilder(run.getKey())
                .setOperations(null).build()).build();
        assertThatThrownBy(() -> RunRecords.key(badDigit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2|34|142");
    }
}
