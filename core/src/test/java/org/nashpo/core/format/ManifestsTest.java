package org.nashpo.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkData;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkSpace;

class ManifestsTest {

    private static BenchmarkManifest manifest() {
        return BenchmarkManifest.newBuilder()
                .setFormatVersion(1).setProtocolId("abc").setSource("aggregate").setCreatedAt("2026-01-01T00:00:00Z")
                .setShortEpochs(12).setLongEpochs(200)
                .setLearningRates(List.of(0.003125, 0.4)).setBatchSizes(List.of(16, 512)).setSeeds(List.of(222))
                .setCounts(new BenchmarkCounts(1011, 196_608, 145_584L, 3L, 196_608L))
                .setFiles(List.of(new BenchmarkFile("runs-12/part-0.avro", "runs-12", 145_584L, 10L, "ab")))
                .setProvenance(Map.of("host", "h"))
                .build();
    }

    @Test
    void writesPlainJsonThatReadsBackEqual() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Manifests.write(manifest(), out);
        String json = out.toString(StandardCharsets.UTF_8);

        // no union wrappers: a plain JSON object any tool reads
        assertThat(json).contains("\"protocolId\" : \"abc\"", "\"learningRates\" : [ 0.003125, 0.4 ]",
                "\"path\" : \"runs-12/part-0.avro\"", "\"host\" : \"h\"");
        assertThat(Manifests.read(new ByteArrayInputStream(out.toByteArray()), "m.json")).isEqualTo(manifest());
    }

    @Test
    void aManifestNamesItsSpaceUnlessItIsNasHpoBench2s() throws IOException {
        ByteArrayOutputStream nhb2 = new ByteArrayOutputStream();
        Manifests.write(manifest(), nhb2);
        assertThat(nhb2.toString(StandardCharsets.UTF_8)).doesNotContain("space");
        assertThat(Manifests.searchSpace(manifest())).isEqualTo(SearchSpace.NAS_HPO_BENCH_2);
        assertThat(Manifests.family(manifest())).isEqualTo(NetworkFamily.NAS_HPO_BENCH_2);

        BenchmarkManifest nb201 = BenchmarkManifest.newBuilder(manifest())
                .setSpace(Manifests.space(SearchSpace.NAS_BENCH_201, NetworkFamily.NAS_BENCH_201)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifests.write(nb201, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"space\" : {", "\"family\" : \"nas-bench-201\"",
                "\"operations\" : [ \"zero\", \"skip\", \"conv1x1\", \"conv3x3\", \"avgpool3x3\" ]");
        BenchmarkManifest read = Manifests.read(new ByteArrayInputStream(out.toByteArray()), "m.json");
        assertThat(read).isEqualTo(nb201);
        assertThat(Manifests.searchSpace(read)).isEqualTo(SearchSpace.NAS_BENCH_201);
        assertThat(Manifests.family(read)).isEqualTo(NetworkFamily.NAS_BENCH_201);

        BenchmarkManifest unknown = BenchmarkManifest.newBuilder(manifest())
                .setSpace(new BenchmarkSpace("resnet", List.of("conv3x3", "maxpool"))).build();
        assertThatThrownBy(() -> Manifests.family(unknown)).hasMessageStartingWith(
                "manifest space.family: unknown network family \"resnet\"");
        assertThatThrownBy(() -> Manifests.searchSpace(unknown)).hasMessageStartingWith(
                "manifest space.operations: operation \"maxpool\" is not known");
    }

    @Test
    void aManifestNamesItsDataSetUnlessItIsNasHpoBench2sCifar10() throws IOException {
        assertThat(Manifests.dataset(manifest())).isEqualTo(Dataset.CIFAR10);
        assertThat(Manifests.split(manifest())).isEqualTo(DataSplit.NAS_HPO_BENCH_2);
        ByteArrayOutputStream nhb2 = new ByteArrayOutputStream();
        Manifests.write(manifest(), nhb2);
        assertThat(nhb2.toString(StandardCharsets.UTF_8)).doesNotContain("\"data\"").doesNotContain("dataset");

        // another space on CIFAR-10: the space, no data, as before data sets
        BenchmarkManifest nb201 = BenchmarkManifest.newBuilder(manifest())
                .setSpace(Manifests.space(SearchSpace.NAS_BENCH_201, NetworkFamily.NAS_BENCH_201)).build();
        ByteArrayOutputStream space = new ByteArrayOutputStream();
        Manifests.write(nb201, space);
        assertThat(space.toString(StandardCharsets.UTF_8)).contains("\"space\" : {").doesNotContain("dataset");

        BenchmarkManifest in16 = BenchmarkManifest.newBuilder(nb201)
                .setData(Manifests.data(Dataset.IMAGENET16_120, DataSplit.NAS_BENCH_201)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifests.write(in16, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"space\" : {").contains(
                "\"data\" : {\n    \"dataset\" : \"imagenet16-120\",\n    \"split\" : \"nas-bench-201\"\n  }");
        BenchmarkManifest read = Manifests.read(new ByteArrayInputStream(out.toByteArray()), "m.json");
        assertThat(read).isEqualTo(in16);
        assertThat(Manifests.dataset(read)).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(Manifests.split(read)).isEqualTo(DataSplit.NAS_BENCH_201);
        // NAS-HPO-Bench-II's space on another data set writes both fields
        BenchmarkManifest cifar100 = BenchmarkManifest.newBuilder(manifest())
                .setData(Manifests.data(Dataset.CIFAR100, DataSplit.NAS_BENCH_201)).build();
        ByteArrayOutputStream c100 = new ByteArrayOutputStream();
        Manifests.write(cifar100, c100);
        assertThat(Manifests.read(new ByteArrayInputStream(c100.toByteArray()), "m.json")).isEqualTo(cifar100);

        BenchmarkManifest unknown = BenchmarkManifest.newBuilder(manifest())
                .setData(new BenchmarkData("mnist", "nas-bench-201")).build();
        assertThatThrownBy(() -> Manifests.dataset(unknown)).hasMessage("manifest data.dataset: unknown data set "
                + "\"mnist\"; expected one of cifar10, cifar100, imagenet16-120");
        BenchmarkManifest wrongSplit = BenchmarkManifest.newBuilder(manifest())
                .setData(new BenchmarkData("cifar100", "nas-hpo-bench-2")).build();
        assertThatThrownBy(() -> Manifests.split(wrongSplit))
                .hasMessage("manifest data.split: nas-hpo-bench-2 does not divide cifar100");
    }

    @Test
    void readsFieldsInAnyOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifests.write(manifest(), out);
        String json = out.toString(StandardCharsets.UTF_8);
        String moved = "{\n  \"source\" : \"aggregate\"," + json.substring(1).replace("  \"source\" : \"aggregate\",\n", "");

        assertThat(Manifests.read(new ByteArrayInputStream(moved.getBytes(StandardCharsets.UTF_8)), "m.json"))
                .isEqualTo(manifest());
    }

    @Test
    void somethingElseIsAnErrorNamingTheSource() {
        byte[] json = "{\"formatVersion\": 1, \"protocolId\": 7}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Manifests.read(new ByteArrayInputStream(json), "/b/manifest.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("/b/manifest.json: not a readable benchmark manifest");
    }

    @Test
    void sha256IsTheStandardDigest() throws IOException {
        assertThat(Manifests.sha256(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void onlyAvroFilesThatSparkDoesNotHideAreData() {
        assertThat(BenchmarkLayout.isDataFile("part-00000-1b2c-c000.avro")).isTrue();
        assertThat(BenchmarkLayout.isDataFile(".part-00000.avro.crc")).isFalse();
        assertThat(BenchmarkLayout.isDataFile("_SUCCESS")).isFalse();
        assertThat(BenchmarkLayout.isDataFile("_temporary.avro")).isFalse();
    }

    /** A manifest written by format 1 (before completeness existed) still reads; the new field takes its default. */
    @Test
    void readsAFormat1ManifestWithDefaultsForTheFieldsFormat2Added() throws IOException {
        BenchmarkManifest m;
        try (var in = ManifestsTest.class.getResourceAsStream("manifest-v1.json")) {
            m = Manifests.read(in, "manifest-v1.json");
        }

        assertThat(m.getFormatVersion()).isEqualTo(1);
        assertThat(m.getShortEpochs()).isEqualTo(12);
        assertThat(m.getCounts().getRuns()).isEqualTo(145_584L);
        assertThat(m.getFiles()).extracting(BenchmarkFile::getTable).containsExactly("runs-12", "predictions-200");
        assertThat(m.getCompleteness()).isEmpty();
        assertThat(BenchmarkLayout.READABLE_VERSIONS).contains(m.getFormatVersion());
    }

    @Test
    void aFormat2ManifestRoundTripsWithItsCompleteness() throws IOException {
        BenchmarkManifest v2 = BenchmarkManifest.newBuilder(manifest()).setFormatVersion(2)
                .setCompleteness(List.of(new BenchmarkCompleteness("runs-3", 3, 222, 4L, 3L, 1L,
                        List.of("0|10|210 lr=0.05 batch=32"))))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Manifests.write(v2, out);

        assertThat(Manifests.read(new ByteArrayInputStream(out.toByteArray()), "m.json")).isEqualTo(v2);
    }

    @Test
    void withTableReplacesTheTablesFilesAndRecountsPredictions() {
        BenchmarkManifest m = BenchmarkManifest.newBuilder(manifest()).setShortEpochs(3).setLongEpochs(9)
                .setFiles(List.of(new BenchmarkFile("runs-3/a.avro", "runs-3", 5L, 1L, "x"),
                        new BenchmarkFile("predictions-9/old.avro", "predictions-9", 2L, 1L, "y")))
                .build();

        BenchmarkManifest updated = Manifests.withTable(m, "predictions-9",
                List.of(new BenchmarkFile("predictions-9/new.avro", "predictions-9", 7L, 3L, "z")));

        assertThat(updated.getFiles()).extracting(BenchmarkFile::getPath)
                .containsExactly("runs-3/a.avro", "predictions-9/new.avro");
        assertThat(updated.getCounts().getPredictions()).isEqualTo(7L);
        assertThat(updated.getCounts().getRuns()).isEqualTo(5L);
        assertThat(m.getFiles()).hasSize(2);
        assertThatThrownBy(() -> Manifests.withTable(m, "surrogate",
                List.of(new BenchmarkFile("x/y", "classes", 1L, 1L, "z"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x/y is in table classes, expected surrogate");
    }
}
