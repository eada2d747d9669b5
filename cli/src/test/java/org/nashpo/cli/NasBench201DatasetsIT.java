package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.data.OfficialFormats;

/**
 * NAS-Bench-201's three data sets, end to end from files in their official formats written by the test (CIFAR-10:
 * the repository's mini set; CIFAR-100's binary version and ImageNet16's pickles: OfficialFormats): one construct
 * output holds the runs of all three (one spec each, NAS-Bench-201's space and splits, width 4, one cell per stage,
 * one epoch), aggregate builds one directory of data sets from it, and the bench library opens each by name. A
 * truncated ImageNet16 file is refused by name before anything is written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NasBench201DatasetsIT {

    private static final String CELLS = "['|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|', "
            + "'|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|none~0|none~1|skip_connect~2|']";

    @TempDir
    static Path dir;
    private static Path cifar100;
    private static Path imageNet16;

    @BeforeAll
    static void writeTheData() {
        cifar100 = OfficialFormats.cifar100(dir.resolve("cifar-100-binary"), 300, 200, 11);
        imageNet16 = OfficialFormats.imageNet16(dir.resolve("imagenet16"), 30, 160, 12);
    }

    private static Path spec(String dataset, Path data, String sizes) throws IOException {
        return Files.writeString(dir.resolve(dataset + ".yaml"), String.join("\n",
                "name: nb201-" + dataset,
                "space: nas-bench-201",
                "data: {dataset: " + dataset + ", split: nas-bench-201, uri: " + data + ", " + sizes + "}",
                "output: " + dir.resolve("runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.1], batchSizes: [64], seeds: [222]}",
                "schedules:",
                "  - {epochs: 1, cells: " + CELLS + "}",
                "resources: {threadsPerTask: 1}",
                ""));
    }

    @Test
    @Order(1)
    void eachDataSetIsConstructedIntoOneOutput() throws IOException {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        List<Path> specs = List.of(
                spec("cifar10", mini, "trainSize: 100, validSize: 50, testSize: 50"),
                spec("cifar100", cifar100, "trainSize: 100, validSize: 50, testSize: 50"),
                spec("imagenet16-120", imageNet16, "trainSize: 100, validSize: 50, testSize: 50"));
        for (Path spec : specs) {
            CliRun construct = CliRun.of("construct", "--spec", spec.toString(), "--json");
            assertThat(construct.code()).as(construct.err()).isZero();
            assertThat(construct.json().get("trained").asInt()).as(spec.toString()).isEqualTo(2);
            assertThat(construct.json().get("failed").asInt()).isZero();
        }
        try (var files = Files.list(dir.resolve("runs/runs"))) {
            assertThat(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".avro") && !f.startsWith("."))).hasSize(6);
        }
    }

    @Test
    @Order(2)
    void aggregateBuildsADirectoryOfDataSetsQueriedByName() throws IOException {
        Path bench = dir.resolve("bench");
        for (Dataset dataset : Dataset.values()) {
            CliRun aggregate = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out",
                    bench.toString(), "--dataset", dataset.specName(), "--master", "local[2]");
            assertThat(aggregate.code()).as(aggregate.err()).isZero();
            assertThat(aggregate.out()).contains("data     " + dataset.specName() + ", divided as nas-bench-201 "
                    + "divides it; 4 records of other data sets left out");
        }
        assertThat(Benchmark.datasets(bench)).containsExactly("cifar10", "cifar100", "imagenet16-120");
        assertThat(bench.resolve("manifest.json")).doesNotExist();

        for (Dataset dataset : Dataset.values()) {
            Benchmark b = Benchmark.open(bench, dataset.specName());
            assertThat(b.dataset()).isEqualTo(dataset);
            assertThat(b.split()).isEqualTo(DataSplit.NAS_BENCH_201);
            assertThat(b.family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
            assertThat(Files.readString(bench.resolve(dataset.specName()).resolve("manifest.json")))
                    .contains("\"dataset\" : \"" + dataset.specName() + "\"");
            var cell = b.cell("|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|none~0|none~1|skip_connect~2|");
            int config = b.indexOf(new Configuration(cell, 0.1, 64));
            assertThat(b.has(config, 222)).isTrue();
            assertThat(b.accuracy(config, Mode.VALID, 1, 222)).isBetween(0.0, 100.0);
            // the network its class's representative trained had the data set's classes and images
            NetworkShape shape = new NetworkShape(4, 1, 3, NetworkFamily.NAS_BENCH_201, dataset);
            var trained = b.space().classOf(cell).representative();
            assertThat(b.parameters(config)).isEqualTo(NetworkCost.of(trained, shape).parameters());
            assertThat(b.multiplyAdds(config)).isEqualTo(NetworkCost.of(trained, shape).multiplyAdds());
        }
        // the protocols differ by data set, so do the runs' keys
        assertThat(Arrays.stream(Dataset.values()).map(d -> Benchmark.open(bench, d.specName()).manifest()
                .getProtocolId()).distinct()).hasSize(3);
    }

    @Test
    @Order(3)
    void aTruncatedFileIsRefusedByNameAndNothingIsWritten() throws IOException {
        Path broken = dir.resolve("imagenet16-broken");
        Files.createDirectories(broken);
        try (var files = Files.list(imageNet16)) {
            for (Path f : files.toList()) {
                Files.copy(f, broken.resolve(f.getFileName()));
            }
        }
        Path valData = broken.resolve("val_data");
        byte[] whole = Files.readAllBytes(valData);
        Files.write(valData, Arrays.copyOf(whole, whole.length / 2));
        Path spec = Files.writeString(dir.resolve("broken.yaml"), Files.readString(dir.resolve("imagenet16-120.yaml"))
                .replace(imageNet16.toString(), broken.toString()).replace(dir.resolve("runs").toString(),
                        dir.resolve("broken-runs").toString()));

        CliRun construct = CliRun.of("construct", "--spec", spec.toString());

        assertThat(construct.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(construct.err()).contains("ImageNet16 file file:" + valData + " is not a complete pickle of "
                + "ImageNet16's layout (it ends after " + whole.length / 2 + " bytes, before the pickle does: truncated)")
                // the directory is where the spec says: no advice about relative paths
                .doesNotContain("resolves against");
        assertThat(dir.resolve("broken-runs")).doesNotExist();
    }

    @Test
    @Order(4)
    void archGivesNasBench201sPublishedCostsOnEachDataSet() {
        String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|";
        assertThat(CliRun.of("arch", "--space", "nas-bench-201", "--dataset", "cifar100", arch).out())
                .contains("network          width 16, 5 cells per stage, 3 stages, nas-bench-201 network, on cifar100 "
                        + "(32×32 images, 100 classes)")
                .contains("params 0.808276 M, FLOPs 113.95722 M");
        CliRun in16 = CliRun.of("arch", "--space", "nas-bench-201", "--dataset", "imagenet16-120", arch);
        assertThat(in16.out()).contains("per 16×16 image").contains("params 0.809576 M, FLOPs 28.49548 M");
        CliRun unknown = CliRun.of("arch", "--space", "nas-bench-201", "--dataset", "svhn", arch);
        assertThat(unknown.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err()).contains("--dataset svhn: unknown data set; expected one of cifar10, cifar100, "
                + "imagenet16-120");
        assertThat(SearchSpace.NAS_BENCH_201.parse(arch).toString()).isEqualTo("3|34|034");
    }
}
