package org.nashpo.spark.surrogate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;

/**
 * Writes a benchmark directory in the layout of format 2 (runs-{S}/ and runs-{L}/ of BenchmarkRun rows,
 * manifest.json last) from rows the test makes, so fit-surrogate can be tested on known truth.
 */
final class BenchFixture {

    private BenchFixture() {
    }

    /** One run whose per-epoch curves rise linearly to the given final values. */
    static BenchmarkRun run(CellCode cell, String classId, double lr, int batch, int seed, int epochs,
            double finalTest, double finalValid, double finalTrainLoss) {
        List<Float> test = new ArrayList<>();
        List<Float> valid = new ArrayList<>();
        List<Float> loss = new ArrayList<>();
        List<Float> seconds = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double f = (double) e / epochs;
            test.add((float) (10 + (finalTest - 10) * f));
            valid.add((float) (10 + (finalValid - 10) * f));
            loss.add((float) (2.3 + (finalTrainLoss - 2.3) * f));
            seconds.add(1f);
        }
        NetworkCost cost = NetworkCost.of(cell);
        return BenchmarkRun.newBuilder().setCellClassId(classId).setCellcode(cell.toString()).setLearningRate(lr)
                .setBatchSize(batch).setSeed(seed).setEpochs(epochs).setEpochsCompleted(epochs)
                .setParameters(cost.parameters()).setMultiplyAdds(cost.multiplyAdds())
                .setTrainLoss(loss).setTrainAccuracy(valid).setValidLoss(loss).setValidAccuracy(valid)
                .setTestLoss(loss).setTestAccuracy(test).setTrainSeconds(seconds).setValidSeconds(seconds)
                .setTestSeconds(seconds).setTotalTrainSeconds(epochs).setTotalTrainValidSeconds(2f * epochs)
                .setTotalTestSeconds(epochs).build();
    }

    /** Writes the two runs tables and then the manifest; returns the manifest. */
    static BenchmarkManifest write(Path dir, int shortEpochs, int longEpochs, List<Double> lrs, List<Integer> batches,
            List<Integer> seeds, List<BenchmarkRun> shortRuns, List<BenchmarkRun> longRuns) throws IOException {
        List<BenchmarkFile> files = new ArrayList<>();
        files.add(table(dir, "runs-" + shortEpochs, shortRuns));
        if (!longRuns.isEmpty()) {
            files.add(table(dir, "runs-" + longEpochs, longRuns));
        }
        Set<String> classes = new HashSet<>();
        shortRuns.forEach(r -> classes.add(r.getCellClassId()));
        BenchmarkManifest manifest = BenchmarkManifest.newBuilder().setFormatVersion(2).setProtocolId("test-protocol")
                .setSource("aggregate").setCreatedAt("2026-11-27T00:00:00Z").setShortEpochs(shortEpochs)
                .setLongEpochs(longEpochs).setLearningRates(lrs).setBatchSizes(batches).setSeeds(seeds)
                .setCounts(BenchmarkCounts.newBuilder().setCellClasses(classes.size())
                        .setConfigurations(classes.size() * lrs.size() * batches.size()).setRuns(shortRuns.size())
                        .setDivergedRuns(0).setPredictions(0).build())
                .setFiles(files).setProvenance(Map.of("test", "BenchFixture")).build();
        try (OutputStream out = Files.newOutputStream(dir.resolve(BenchmarkLayout.MANIFEST))) {
            Manifests.write(manifest, out);
        }
        return manifest;
    }

    private static BenchmarkFile table(Path dir, String table, List<BenchmarkRun> rows) throws IOException {
        Path file = dir.resolve(table).resolve("part-00000.avro");
        Files.createDirectories(file.getParent());
        List<BenchmarkRun> shuffled = new ArrayList<>(rows);
        Collections.reverse(shuffled); // rows may come in any order
        try (DataFileWriter<BenchmarkRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(BenchmarkRun.class))) {
            writer.create(BenchmarkRun.getClassSchema(), file.toFile());
            for (BenchmarkRun r : shuffled) {
                writer.append(r);
            }
        }
        String sha256;
        try (InputStream in = Files.newInputStream(file)) {
            sha256 = Manifests.sha256(in);
        }
        return BenchmarkFile.newBuilder().setPath(table + "/part-00000.avro").setTable(table).setRecords(rows.size())
                .setBytes(Files.size(file)).setSha256(sha256).build();
    }
}
