package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;

/**
 * A small benchmark of NAS-Bench-201's space and network built end to end by the demo pipeline (construct,
 * aggregate, fit-surrogate, export, optimize, report, and a full-size synthetic benchmark of the same space): the
 * shape of examples/nas-bench-201-small.yaml on fewer images and cells. Its cells are named by NAS-Bench-201's
 * digits and architecture strings; its exports carry the strings; the original API's pickles are refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NasBench201IT {

    @TempDir
    static Path dir;
    private static Path spec;
    private static Path out;
    private static CliRun demo;

    @BeforeAll
    static void runTheDemo() throws IOException {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        spec = Files.writeString(dir.resolve("nb201.yaml"), String.join("\n",
                "name: nb201",
                "space: nas-bench-201",
                "data: {uri: " + mini + ", trainSize: 128, validSize: 64, testSize: 64}",
                "output: " + dir.resolve("target/nb201/runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.1], batchSizes: [64], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: {operations: [conv1x1, zero]}",
                "  - epochs: 2",
                "    cells: ['2|22|220', '|nor_conv_1x1~0|+|nor_conv_1x1~0|none~1|+|none~0|nor_conv_1x1~1|none~2|', "
                        + "'0|00|000']",
                "resources: {threadsPerTask: 1}",
                ""));
        out = dir.resolve("target/nb201");
        demo = CliRun.of("demo", "--spec", spec.toString(), "--runs", "3", "--synthetic-runs", "3");
    }

    @Test
    @Order(1)
    void thePipelineBuildsNasBench201sBenchmark() throws IOException {
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.err()).contains("construct: 17/17 runs done").contains("fit-surrogate: cross-validating")
                .contains("export nashpobench2: skipped (the original API's pickles hold NAS-HPO-Bench-II's space");
        Benchmark bench = Benchmark.open(out.resolve("bench"));
        assertThat(bench.space()).isEqualTo(SearchSpace.NAS_BENCH_201);
        assertThat(bench.family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
        assertThat(Files.readString(out.resolve("bench/manifest.json")))
                .contains("\"family\" : \"nas-bench-201\"");
        // queried by digits and by architecture string, the same class's results
        var byDigits = bench.cell("2|22|220");
        var byName = bench.cell("|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|none~2|");
        assertThat(byName).isEqualTo(byDigits);
        assertThat(bench.space().classOf(byDigits).members()).contains(byName);
    }

    @Test
    @Order(2)
    void itsExportsNameCellsAsNasBench201DoesAndItsPicklesAreRefused() throws IOException {
        List<String> runs = Files.readAllLines(out.resolve("export/csv/runs.csv"));
        assertThat(runs.get(0)).startsWith("cellcode,arch_str,cell_class_id,");
        // the class of 2|22|220 trained on its representative, named both ways
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        var cls = space.classOf(space.parse("2|22|220"));
        String rep = cls.representative().toString();
        assertThat(runs).anySatisfy(line -> assertThat(line)
                .startsWith(rep + "," + cls.representative().nb201String() + "," + cls.id() + ","));
        assertThat(out.resolve("export/parquet/runs.parquet")).exists();
        // the curves name cells both ways too: one row per epoch of each run
        List<String> curves = Files.readAllLines(out.resolve("export/csv/curves.csv"));
        assertThat(curves.get(0)).startsWith("cellcode,arch_str,cell_class_id,").contains(",epoch,trained,");
        assertThat(curves).filteredOn(line -> line.startsWith(rep + "," + cls.representative().nb201String() + ","
                + cls.id() + ",")).isNotEmpty();
        assertThat(out.resolve("export/parquet/curves.parquet")).exists();
        assertThat(out.resolve("export/nashpobench2")).doesNotExist();

        CliRun pickles = CliRun.of("export", "--bench", out.resolve("bench").toString(), "--format", "nashpobench2",
                "--out", dir.resolve("pickles").toString(), "--master", "local[2]");
        assertThat(pickles.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(pickles.err()).contains("the original API's pickles hold NAS-HPO-Bench-II's space")
                .contains("[zero, skip, conv1x1, conv3x3, avgpool3x3]").contains("export it as parquet, csv or avro");
        assertThat(dir.resolve("pickles")).doesNotExist();
    }

    @Test
    @Order(3)
    void theReportsNameTheSpace() throws IOException {
        String report = Files.readString(out.resolve("report/report.html"));
        assertThat(report).contains("nas-bench-201");
        String synthetic = Files.readString(out.resolve("report-synthetic/report.html"));
        assertThat(synthetic).contains("nas-bench-201");
        assertThat(Benchmark.open(out.resolve("synth")).space()).isEqualTo(SearchSpace.NAS_BENCH_201);
    }

    @Test
    @Order(4)
    void archAndSpaceDescribeNasBench201sCellsAsItPublishesThem() {
        CliRun arch = CliRun.of("arch", "--space", "nas-bench-201",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        assertThat(arch.code()).as(arch.err()).isZero();
        assertThat(arch.out()).contains("cellcode         3|34|131")
                .contains("as NAS-Bench-201 publishes them (its get_cost_info): params 0.802426 M, FLOPs 113.95137 M");
        CliRun space = CliRun.of("space", "--spec", spec.toString());
        assertThat(space.code()).as(space.err()).isZero();
        assertThat(space.out()).contains("cellcodes          15,625  (6 edges × 5 operations: 0=zero, 1=skip, "
                + "2=conv1x1, 3=conv3x3, 4=avgpool3x3)").contains("canonical classes  5,425")
                .contains("6,466  under NAS-Bench-201's own uniqueness rule");
    }
}
