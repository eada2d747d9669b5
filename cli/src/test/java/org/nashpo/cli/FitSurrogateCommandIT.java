package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;

/** nashpo fit-surrogate on a small benchmark directory: a 2-epoch table for 12 classes, a 6-epoch one for 8. */
class FitSurrogateCommandIT {

    private static final List<Double> LRS = List.of(0.025, 0.1);
    private static final List<Integer> BATCHES = List.of(64, 256);

    @Test
    void fitsReportsAndAddsThePredictionsToTheBenchmark(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("bench");
        List<CellClass> classes = writeBench(bench);

        CliRun r = CliRun.of("fit-surrogate", "--bench", bench.toString(), "--folds", "4", "--seed", "3",
                "--gbt-iterations", "10", "--forest-trees", "10", "--master", "local[2]", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("shortEpochs").asInt()).isEqualTo(2);
        assertThat(j.get("longEpochs").asInt()).isEqualTo(6);
        assertThat(j.get("trainingConfigurations").asInt()).isEqualTo(8 * LRS.size() * BATCHES.size());
        assertThat(j.get("trainingClasses").asInt()).isEqualTo(8);
        assertThat(j.get("model").asText()).isIn("gbt", "random-forest");
        assertThat(j.at("/heldOut/configurations").asInt()).isEqualTo(32);
        assertThat(j.at("/baseline/kendallTau").isNumber()).isTrue();
        long cells = classes.stream().mapToLong(c -> c.members().size()).sum();
        assertThat(j.get("predictions").asLong()).isEqualTo(cells * LRS.size() * BATCHES.size());
        assertThat(j.at("/unpredictedByReason/CLASS_WITHOUT_SHORT_RUNS").asLong())
                .isEqualTo((4096 - cells) * LRS.size() * BATCHES.size());
        assertThat(bench.resolve("predictions-6/part-00000.avro")).isRegularFile();
        assertThat(bench.resolve("surrogate/metrics.json")).isRegularFile();

        CliRun again = CliRun.of("fit-surrogate", "--bench", bench.toString(), "--master", "local[2]");
        assertThat(again.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(again.err()).contains("predictions-6").contains("--overwrite");

        CliRun text = CliRun.of("fit-surrogate", "--bench", bench.toString(), "--folds", "4", "--gbt-iterations", "5",
                "--forest-trees", "5", "--master", "local[2]", "--overwrite");
        assertThat(text.code()).as(text.err()).isZero();
        System.out.print(text.out());
        assertThat(text.out()).contains("(chosen)").contains("baseline").contains("predictions-6")
                .contains("the cell's class has no short-schedule runs");
    }

    @Test
    void badInputIsExitCodeTwoWithTheReason(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("fit-surrogate", "--bench", dir.resolve("nothing").toString(), "--master", "local[2]");
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("--bench").contains("nothing: does not exist; expected a benchmark directory");

        CliRun folds = CliRun.of("fit-surrogate", "--bench", dir.toString(), "--folds", "1");
        assertThat(folds.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(folds.err()).contains("folds: must be ≥ 2, was 1");
    }

    /** 12 random classes on the short schedule, 8 of them on the long one; long accuracy follows the short one. */
    private static List<CellClass> writeBench(Path bench) throws IOException {
        Random random = new Random(5);
        List<CellClass> all = new ArrayList<>(SearchSpace.NAS_HPO_BENCH_2.classes());
        Collections.shuffle(all, random);
        List<CellClass> classes = all.subList(0, 12);
        List<BenchmarkRun> shortRuns = new ArrayList<>();
        List<BenchmarkRun> longRuns = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            CellClass cls = classes.get(c);
            for (double lr : LRS) {
                for (int batch : BATCHES) {
                    double acc = 40 + 4 * cls.representative().count(Op.CONV3X3) + 5 * random.nextGaussian();
                    shortRuns.add(run(cls, lr, batch, 2, acc));
                    if (c < 8) {
                        longRuns.add(run(cls, lr, batch, 6, Math.min(99, acc + 20 + random.nextGaussian())));
                    }
                }
            }
        }
        Files.createDirectories(bench);
        List<BenchmarkFile> files = List.of(table(bench, "runs-2", shortRuns), table(bench, "runs-6", longRuns));
        BenchmarkManifest manifest = BenchmarkManifest.newBuilder().setFormatVersion(2).setProtocolId("p")
                .setSource("aggregate").setCreatedAt("2026-11-27T00:00:00Z").setShortEpochs(2).setLongEpochs(6)
                .setLearningRates(LRS).setBatchSizes(BATCHES).setSeeds(List.of(222))
                .setCounts(BenchmarkCounts.newBuilder().setCellClasses(12).setConfigurations(12 * 4)
                        .setRuns(shortRuns.size()).setDivergedRuns(0).setPredictions(0).build())
                .setFiles(files).setProvenance(Map.of()).build();
        try (OutputStream out = Files.newOutputStream(bench.resolve("manifest.json"))) {
            Manifests.write(manifest, out);
        }
        return classes;
    }

    private static BenchmarkRun run(CellClass cls, double lr, int batch, int epochs, double finalAccuracy) {
        List<Float> acc = Collections.nCopies(epochs, (float) finalAccuracy);
        List<Float> loss = Collections.nCopies(epochs, 1f);
        NetworkCost cost = NetworkCost.of(cls.representative());
        return BenchmarkRun.newBuilder().setCellClassId(cls.id()).setCellcode(cls.representative().toString())
                .setLearningRate(lr).setBatchSize(batch).setSeed(222).setEpochs(epochs).setEpochsCompleted(epochs)
                .setParameters(cost.parameters()).setMultiplyAdds(cost.multiplyAdds()).setTrainLoss(loss)
                .setTrainAccuracy(acc).setValidLoss(loss).setValidAccuracy(acc).setTestLoss(loss).setTestAccuracy(acc)
                .setTrainSeconds(loss).setValidSeconds(loss).setTestSeconds(loss).setTotalTrainSeconds(epochs)
                .setTotalTrainValidSeconds(2f * epochs).setTotalTestSeconds(epochs).build();
    }

    private static BenchmarkFile table(Path bench, String table, List<BenchmarkRun> rows) throws IOException {
        Path file = bench.resolve(table).resolve("part-00000.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<BenchmarkRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(BenchmarkRun.class))) {
            writer.create(BenchmarkRun.getClassSchema(), file.toFile());
            for (BenchmarkRun row : rows) {
                writer.append(row);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return BenchmarkFile.newBuilder().setPath(table + "/part-00000.avro").setTable(table)
                    .setRecords(rows.size()).setBytes(Files.size(file)).setSha256(Manifests.sha256(in)).build();
        }
    }
}
