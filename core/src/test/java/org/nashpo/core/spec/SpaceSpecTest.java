package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/** The spec's {@code space} section: the operations in digit order and the network family. */
class SpaceSpecTest {

    private static BenchmarkSpec spec(String space, String cells) {
        return Examples.parse("""
                name: x
                %s
                data: {uri: d}
                output: o
                grid: {lrs: [0.1], batchSizes: [256], seeds: [222]}
                schedules: [{epochs: 12, cells: %s}]
                """.formatted(space, cells));
    }

    private static List<String> problems(String space, String cells) {
        return catchThrowableOfType(SpecException.class, () -> spec(space, cells)).problems().stream()
                .map(SpecProblem::toString).toList();
    }

    @Test
    void aFamilysNameIsItsOwnSpaceAndNetwork() {
        BenchmarkSpec nb201 = spec("space: nas-bench-201", "representatives");
        assertThat(nb201.space()).isEqualTo(SearchSpace.NAS_BENCH_201);
        assertThat(nb201.network().family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
        BenchmarkSpec plain = spec("", "representatives");
        assertThat(plain.space()).isEqualTo(SearchSpace.NAS_HPO_BENCH_2);
        assertThat(plain.network()).isEqualTo(NetworkShape.BENCHMARK);
        assertThat(spec("space: nas-hpo-bench-2", "representatives").specHash()).isEqualTo(plain.specHash());
    }

    @Test
    void aSpaceMappingNamesTheOperationsInDigitOrderAndTheFamily() {
        BenchmarkSpec spec = spec("space: {network: nas-bench-201, operations: [conv3x3, conv1x1, zero]}",
                "['1|00|222', '|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|']");
        assertThat(spec.space().operations()).containsExactly(Op.CONV3X3, Op.CONV1X1, Op.ZERO);
        assertThat(spec.network().family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
        // the two cells are one: 1|00|222 in these digits is that architecture string
        assertThat(spec.expand(protocol(spec))).hasSize(1);
        assertThat(spec.canonicalText()).contains("space: nas-bench-201 [conv3x3, conv1x1, zero]");
        // operations only: NAS-HPO-Bench-II's network
        assertThat(spec("space: {operations: [conv3x3, avgpool3x3, skip, zero, conv1x1]}", "all").network().family())
                .isEqualTo(NetworkFamily.NAS_HPO_BENCH_2);
    }

    @Test
    void everyMistakeInASpaceIsReportedWithItsPath() {
        assertThat(problems("space: nas-bench-999", "all")).containsExactly(
                "space: unknown space \"nas-bench-999\"; expected nas-hpo-bench-2, nas-bench-201 or a mapping "
                        + "{network: FAMILY, operations: [OP, ...]}");
        assertThat(problems("space: {network: resnet, operations: [conv3x3, maxpool, conv3x3], size: 3}", "all"))
                .containsExactly(
                        "space.size: unknown key; expected one of network, operations",
                        "space.network: unknown network family \"resnet\"; expected nas-hpo-bench-2, nas-bench-201");
        assertThat(problems("space: {operations: [conv3x3, maxpool, conv3x3]}", "all")).containsExactly(
                "space.operations[1]: must be one of [conv3x3, avgpool3x3, skip, zero, conv1x1], was \"maxpool\"",
                "space.operations[2]: \"conv3x3\" is already at space.operations[0]");
        // cells and selections are read in the spec's space
        assertThat(problems("space: {operations: [conv3x3, zero]}", "['0|10|210']")).singleElement().asString()
                .startsWith("schedules[0].cells[0]: cellcode \"0|10|210\": character '2' at position 6 is not an "
                        + "operation digit; expected A|BC|DEF: six digits 0-1");
        assertThat(problems("space: {operations: [conv3x3, zero]}", "long-schedule")).containsExactly(
                "schedules[0].cells: long-schedule names NAS-HPO-Bench-II's cells, whose operations "
                        + "[conv3x3, avgpool3x3, skip, zero] the space [conv3x3, zero] does not all hold");
        assertThat(problems("space: {operations: [conv3x3, zero]}", "{operations: [conv1x1]}")).containsExactly(
                "schedules[0].cells: conv1x1 is not an operation of the space [conv3x3, zero]");
        assertThat(problems("space: {operations: [conv3x3, zero]}", "{random: 15, seed: 1}")).containsExactly(
                "schedules[0].cells.random: must be 1–14 (the number of cell classes), was 15");
    }

    @Test
    void nasBench201sNetworkIsAnotherProtocolButItsOperationsAreNot() {
        TrainingProtocol nhb2 = protocol(spec("", "all"));
        TrainingProtocol extended = protocol(spec("space: {operations: [conv3x3, avgpool3x3, skip, zero, conv1x1]}",
                "all"));
        TrainingProtocol nb201 = protocol(spec("space: nas-bench-201", "all"));
        assertThat(extended.id()).isEqualTo(nhb2.id());
        assertThat(nb201.id()).isNotEqualTo(nhb2.id());
        assertThat(nb201.canonicalText()).endsWith(nhb2.canonicalText().substring(nhb2.canonicalText().indexOf(";data=")))
                .contains(";family=nas-bench-201;");
    }

    /** Extending NAS-HPO-Bench-II's space by the 1×1 convolution adds runs and changes none of the old ones. */
    @Test
    void anExtendedSpaceExpandsToTheOldKeysPlusTheCellsUsingTheNewOperation() {
        BenchmarkSpec old = spec("", "all");
        BenchmarkSpec extended = spec("space: {operations: [conv3x3, avgpool3x3, skip, zero, conv1x1]}", "all");
        List<String> before = old.expand(protocol(old)).stream().map(RunKey::id).toList();
        List<RunKey> after = extended.expand(protocol(extended));
        assertThat(after.stream().map(RunKey::id).toList()).containsAll(before);
        assertThat(after).filteredOn(k -> !before.contains(k.id()))
                .allSatisfy(k -> assertThat(k.cellcode().edges()).contains(Op.CONV1X1))
                .hasSize(after.size() - before.size());
    }

    @Test
    void theExampleBuildsNasBench201sSpaceWithAGrid() throws IOException {
        BenchmarkSpec spec = Examples.read("nas-bench-201-hp.yaml");
        assertThat(spec.space()).isEqualTo(SearchSpace.NAS_BENCH_201);
        assertThat(spec.network()).isEqualTo(NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201));
        List<RunKey> keys = spec.expand(spec.protocolOnFullData(Examples.CHECKSUMS));
        assertThat(keys).hasSize(5_425 * 48 * 3 + 100 * 48 * 3);
    }

    @Test
    void theSmallExampleIsNasBench201sConv1x1ZeroSubSpace() throws IOException {
        BenchmarkSpec spec = Examples.read("nas-bench-201-small.yaml");
        List<RunKey> keys = spec.expand(spec.protocol(Examples.CHECKSUMS, 2_022, 1_978, 1_000));
        assertThat(keys).hasSize(14 * 2 + 6 * 2);
        // a class's function uses the sub-space's operations; its representative may hold others on dead edges
        // (the zero class trains NAS-HPO-Bench-II's 0|00|333, 3|33|000 in these digits)
        assertThat(keys).allSatisfy(k -> {
            boolean[] live = k.cellcode().liveEdges();
            for (int e = 0; e < live.length; e++) {
                assertThat(!live[e] || k.cellcode().op(e) == Op.CONV1X1).isTrue();
            }
        });
        // the architecture string names 2|22|020, a class of its own; each trains on its representative
        SearchSpace nb201 = SearchSpace.NAS_BENCH_201;
        assertThat(keys.stream().filter(k -> k.epochs() == 4).map(RunKey::cellClassId).distinct()).hasSize(6)
                .contains(nb201.classOf(nb201.parse("2|22|222")).id(), nb201.classOf(nb201.parse("2|22|020")).id());
    }

    private static TrainingProtocol protocol(BenchmarkSpec spec) {
        return spec.protocolOnFullData(Examples.CHECKSUMS);
    }
}
