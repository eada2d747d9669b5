package org.nashpo.bench.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.HandBuiltBenchmark;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;

/** The benchmark directory format: what the writer puts on disk, and that the reader gets all of it back. */
class BenchmarkFormatTest {

    private static Path bench;
    private static BenchmarkManifest manifest;

    @BeforeAll
    static void write() {
        bench = HandBuiltBenchmark.shared();
        manifest = BenchmarkFiles.readManifest(bench);
    }

    @Test
    void manifestCountsTheRowsAndChecksumsEveryFile() throws IOException {
        // the writer writes format 1: the published benchmark's complete shape
        assertThat(manifest.getFormatVersion()).isEqualTo(1);
        assertThat(manifest.getProtocolId()).isEqualTo(HandBuiltBenchmark.PROTOCOL_ID);
        assertThat(manifest.getCounts().getRuns()).isEqualTo(1011L * 48 * 3);
        assertThat(manifest.getCounts().getDivergedRuns()).isEqualTo(1);
        assertThat(manifest.getCounts().getPredictions()).isEqualTo(196_608);
        assertThat(manifest.getCounts().getCellClasses()).isEqualTo(1011);
        assertThat(manifest.getProvenance()).containsKeys("nashpoVersion", "javaVersion", "test");
        assertThat(manifest.getFiles()).extracting(BenchmarkFile::getPath)
                .containsExactly("runs-12/part-00000.avro", "predictions-200/part-00000.avro");
        for (BenchmarkFile f : manifest.getFiles()) {
            Path file = bench.resolve(f.getPath());
            assertThat(Files.size(file)).isEqualTo(f.getBytes());
            try (InputStream in = Files.newInputStream(file)) {
                assertThat(Manifests.sha256(in)).isEqualTo(f.getSha256()).hasSize(64);
            }
        }
        assertThat(BenchmarkFiles.verifyChecksums(bench, manifest)).isEmpty();
    }

    @Test
    void readerReturnsEveryRowAsWritten() {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong runs = new AtomicLong();
        AtomicLong predictions = new AtomicLong();
        RunRow expected = new RunRow();

        long total = BenchmarkFiles.read(bench, manifest, row -> {
            runs.incrementAndGet();
            int c = ClassOrdinals.of(row.cell());
            int hp = HpGrid.lrIndex(row.learningRate()) * 6 + HpGrid.batchIndex(row.batchSize());
            int s = HpGrid.SEEDS.indexOf(row.seed());
            if (!SearchSpace.get().classes().get(c).representative().equals(CellCode.ofIndex(row.cell()))) {
                wrong.add(row + ": not the representative");
            }
            synchronized (expected) {
                HandBuiltBenchmark.fill(expected, CellCode.ofIndex(row.cell()), c, hp, s);
                if (!sameValues(expected, row)) {
                    wrong.add(row.toString());
                }
            }
        }, p -> {
            predictions.incrementAndGet();
            int index = p.cell() * 48 + HpGrid.lrIndex(p.learningRate()) * 6 + HpGrid.batchIndex(p.batchSize());
            if (p.meanTestAccuracy() != HandBuiltBenchmark.longAccuracy(index) || p.epochs() != 200) {
                wrong.add(p.toString());
            }
        });

        assertThat(wrong).isEmpty();
        assertThat(runs.get()).isEqualTo(145_584);
        assertThat(predictions.get()).isEqualTo(196_608);
        assertThat(total).isEqualTo(145_584 + 196_608);
    }

    private static boolean sameValues(RunRow a, RunRow b) {
        for (Metric m : Metric.values()) {
            if (a.length(m) != b.length(m)) {
                return false;
            }
            for (int e = 0; e < a.length(m); e++) {
                if (a.value(m, e) != b.value(m, e)) {
                    return false;
                }
            }
        }
        return a.epochs() == b.epochs() && a.epochsCompleted() == b.epochsCompleted()
                && a.parameters() == b.parameters() && a.multiplyAdds() == b.multiplyAdds()
                && a.totalTrainSeconds() == b.totalTrainSeconds()
                && a.totalTrainValidSeconds() == b.totalTrainValidSeconds()
                && a.totalTestSeconds() == b.totalTestSeconds();
    }

    @Test
    void filesAreTheAvroSchemasRecordsThatAnyAvroReaderReads() throws IOException {
        try (DataFileReader<BenchmarkRun> runs = new DataFileReader<>(
                bench.resolve("runs-12/part-00000.avro").toFile(), new SpecificDatumReader<>(BenchmarkRun.class))) {
            BenchmarkRun first = runs.next();
            CellCode cell = SearchSpace.get().classes().get(0).representative();
            assertThat(first.getCellcode()).isEqualTo(cell.toString());
            assertThat(first.getCellClassId()).isEqualTo(SearchSpace.get().classOf(cell).id());
            assertThat(first.getLearningRate()).isEqualTo(0.003125);
            assertThat(first.getBatchSize()).isEqualTo(16);
            assertThat(first.getSeed()).isEqualTo(222);
            assertThat(first.getValidAccuracy()).hasSize(12).element(3)
                    .isEqualTo(HandBuiltBenchmark.validAccuracy(0, 0, 0, 3));
            assertThat(first.getTotalTestSeconds()).isEqualTo(28.5f + HandBuiltBenchmark.TOTAL_TEST_EXTRA);
        }
        try (DataFileReader<SurrogatePrediction> predictions = new DataFileReader<>(
                bench.resolve("predictions-200/part-00000.avro").toFile(),
                new SpecificDatumReader<>(SurrogatePrediction.class))) {
            predictions.next();
            SurrogatePrediction second = predictions.next();
            assertThat(second.getCellcode()).isEqualTo("0|00|000");
            assertThat(second.getBatchSize()).isEqualTo(32);
            assertThat(second.getMeanTestAccuracy()).isEqualTo(HandBuiltBenchmark.longAccuracy(1));
        }
    }

    @Test
    void readsRowsThatTheGeneratedClassesWrote(@TempDir Path dir) throws IOException {
        RunRow row = new RunRow();
        HandBuiltBenchmark.fill(row, CellCode.parse("0|10|210"), 3, 17, 2);
        BenchmarkRun record = BenchmarkRun.newBuilder()
                .setCellClassId(SearchSpace.get().classOf(CellCode.parse("0|10|210")).id())
                .setCellcode("0|10|210").setLearningRate(row.learningRate()).setBatchSize(row.batchSize())
                .setSeed(row.seed()).setEpochs(12).setEpochsCompleted(12).setParameters(7).setMultiplyAdds(8)
                .setTrainLoss(series(row, Metric.TRAIN_LOSS)).setTrainAccuracy(series(row, Metric.TRAIN_ACCURACY))
                .setValidLoss(series(row, Metric.VALID_LOSS)).setValidAccuracy(series(row, Metric.VALID_ACCURACY))
                .setTestLoss(series(row, Metric.TEST_LOSS)).setTestAccuracy(series(row, Metric.TEST_ACCURACY))
                .setTrainSeconds(series(row, Metric.TRAIN_SECONDS)).setValidSeconds(series(row, Metric.VALID_SECONDS))
                .setTestSeconds(series(row, Metric.TEST_SECONDS))
                .setTotalTrainSeconds(1).setTotalTrainValidSeconds(2).setTotalTestSeconds(3).build();
        Path file = dir.resolve("runs-12/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<BenchmarkRun> w = new DataFileWriter<>(new SpecificDatumWriter<>(BenchmarkRun.class))) {
            w.setCodec(CodecFactory.deflateCodec(6));
            w.create(BenchmarkRun.getClassSchema(), file.toFile());
            w.append(record);
            w.append(record);
        }
        List<String> read = new ArrayList<>();

        BenchmarkFiles.read(dir, manifestOf(dir, file, 2), r -> {
            synchronized (read) {
                read.add(r + " " + r.value(Metric.VALID_ACCURACY, 11) + " " + r.totalTestSeconds() + " "
                        + r.parameters());
            }
        }, p -> { });

        assertThat(read).containsOnly("0|10|210 lr=" + row.learningRate() + " batch=" + row.batchSize()
                + " seed=888 " + row.value(Metric.VALID_ACCURACY, 11) + " 3.0 7").hasSize(2);
    }

    @Test
    void aClassIdThatIsNotTheCellcodesClassIsRefused(@TempDir Path dir) throws IOException {
        BenchmarkRun record = BenchmarkRun.newBuilder()
                .setCellClassId(SearchSpace.get().classOf(CellCode.parse("0|00|000")).id())
                .setCellcode("0|10|210").setLearningRate(0.1).setBatchSize(64).setSeed(222).setEpochs(12)
                .setEpochsCompleted(12).setParameters(7).setMultiplyAdds(8)
                .setTrainLoss(List.of()).setTrainAccuracy(List.of()).setValidLoss(List.of())
                .setValidAccuracy(List.of()).setTestLoss(List.of()).setTestAccuracy(List.of())
                .setTrainSeconds(List.of()).setValidSeconds(List.of()).setTestSeconds(List.of())
                .setTotalTrainSeconds(1).setTotalTrainValidSeconds(2).setTotalTestSeconds(3).build();
        Path file = dir.resolve("runs-12/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<BenchmarkRun> w = new DataFileWriter<>(new SpecificDatumWriter<>(BenchmarkRun.class))) {
            w.create(BenchmarkRun.getClassSchema(), file.toFile());
            w.append(record);
        }

        assertThatThrownBy(() -> BenchmarkFiles.read(dir, manifestOf(dir, file, 1), r -> { }, p -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("part-0.avro")
                .hasMessageContaining("is not the class of cellcode 0|10|210");
    }

    @Test
    void resolvesRunsWithNullableColumnsAndElements(@TempDir Path dir) throws IOException {
        RunRow row = new RunRow();
        HandBuiltBenchmark.fill(row, CellCode.parse("0|10|210"), 3, 17, 2);
        BenchmarkRun record = record(row, SearchSpace.get().classOf(CellCode.parse("0|10|210")).id(), "0|10|210");
        // what spark-avro derives from a Dataset of these rows: every column and array element nullable
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : BenchmarkRun.getClassSchema().getFields()) {
            Schema type = f.schema();
            if (type.isUnion()) { // already nullable: Spark derives the same union from its one type
                type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            }
            type = type.getType() == Schema.Type.ARRAY ? Schema.createArray(nullable(type.getElementType())) : type;
            fields.add(new Schema.Field(f.name(), nullable(type)));
        }
        Schema spark = Schema.createRecord("topLevelRecord", null, null, false, fields);
        GenericRecordBuilder b = new GenericRecordBuilder(spark);
        for (Schema.Field f : BenchmarkRun.getClassSchema().getFields()) {
            b.set(f.name(), record.get(f.pos()));
        }
        Path file = dir.resolve("runs-12/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(spark))) {
            w.create(spark, file.toFile());
            w.append(b.build());
        }
        List<RunRow> read = new ArrayList<>();

        BenchmarkFiles.read(dir, manifestOf(dir, file, 1), r -> {
            RunRow copy = new RunRow();
            HandBuiltBenchmark.fill(copy, CellCode.ofIndex(r.cell()), 3, 17, 2);
            assertThat(sameValues(copy, r)).isTrue();
            read.add(r);
        }, p -> { });

        assertThat(read).hasSize(1);
    }

    private static Schema nullable(Schema type) {
        return Schema.createUnion(type, Schema.create(Schema.Type.NULL));
    }

    private static BenchmarkRun record(RunRow row, String classId, String cellcode) {
        return BenchmarkRun.newBuilder()
                .setCellClassId(classId).setCellcode(cellcode).setLearningRate(row.learningRate())
                .setBatchSize(row.batchSize()).setSeed(row.seed()).setEpochs(12).setEpochsCompleted(12)
                .setParameters(row.parameters()).setMultiplyAdds(row.multiplyAdds())
                .setTrainLoss(series(row, Metric.TRAIN_LOSS)).setTrainAccuracy(series(row, Metric.TRAIN_ACCURACY))
                .setValidLoss(series(row, Metric.VALID_LOSS)).setValidAccuracy(series(row, Metric.VALID_ACCURACY))
                .setTestLoss(series(row, Metric.TEST_LOSS)).setTestAccuracy(series(row, Metric.TEST_ACCURACY))
                .setTrainSeconds(series(row, Metric.TRAIN_SECONDS)).setValidSeconds(series(row, Metric.VALID_SECONDS))
                .setTestSeconds(series(row, Metric.TEST_SECONDS))
                .setTotalTrainSeconds(row.totalTrainSeconds()).setTotalTrainValidSeconds(row.totalTrainValidSeconds())
                .setTotalTestSeconds(row.totalTestSeconds()).build();
    }

    private static List<Float> series(RunRow row, Metric m) {
        List<Float> values = new ArrayList<>();
        for (int e = 0; e < 12; e++) {
            values.add(row.value(m, e));
        }
        return values;
    }

    @Test
    void resolvesAWriterSchemaLikeTheOneSparkAvroDerives(@TempDir Path dir) throws IOException {
        // spark-avro without the avroSchema option: nullable unions everywhere, plus a column we do not know
        String schema = """
                {"type": "record", "name": "topLevelRecord", "fields": [
                  {"name": "extra", "type": ["string", "null"]},
                  {"name": "meanTestAccuracy", "type": ["float", "null"]},
                  {"name": "cellcode", "type": ["string", "null"]},
                  {"name": "learningRate", "type": ["double", "null"]},
                  {"name": "batchSize", "type": ["int", "null"]},
                  {"name": "epochs", "type": ["int", "null"]}
                ]}""";
        Schema named = new Schema.Parser().parse(schema);
        Path file = dir.resolve("predictions-200/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(
                new GenericDatumWriter<>(named))) {
            w.setCodec(CodecFactory.snappyCodec());
            w.create(named, file.toFile());
            w.append(new GenericRecordBuilder(named).set("extra", "x")
                    .set("meanTestAccuracy", 87.5f).set("cellcode", "1|22|303").set("learningRate", 0.2)
                    .set("batchSize", 64).set("epochs", 200).build());
        }
        List<String> read = new ArrayList<>();

        BenchmarkFiles.read(dir, predictionsManifest(dir, file, 1), r -> { },
                p -> read.add(p + " " + p.epochs() + " " + p.meanTestAccuracy()));

        assertThat(read).containsExactly("1|22|303 lr=0.2 batch=64 200 87.5");
    }

    private static BenchmarkManifest manifestOf(Path dir, Path file, long records) throws IOException {
        return withFile(dir, file, BenchmarkLayout.RUNS_TABLE, records);
    }

    private static BenchmarkManifest predictionsManifest(Path dir, Path file, long records) throws IOException {
        return withFile(dir, file, BenchmarkLayout.PREDICTIONS_TABLE, records);
    }

    private static BenchmarkManifest withFile(Path dir, Path file, String table, long records) throws IOException {
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Manifests.sha256(in);
        }
        return BenchmarkManifest.newBuilder(manifest)
                .setFiles(List.of(new BenchmarkFile(dir.relativize(file).toString(), table, records, Files.size(file),
                        sha)))
                .build();
    }

    @Test
    void aRowCountThatDiffersFromTheManifestIsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs-12/part-0.avro");
        Files.createDirectories(file.getParent());
        Files.copy(bench.resolve("runs-12/part-00000.avro"), file);

        assertThatThrownBy(() -> BenchmarkFiles.read(dir, manifestOf(dir, file, 145_583), r -> { }, p -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 145584 rows, the manifest says 145583");
    }

    @Test
    void verifyChecksumsNamesACorruptedFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("predictions-200/part-0.avro");
        Files.createDirectories(file.getParent());
        Files.copy(bench.resolve("predictions-200/part-00000.avro"), file);
        BenchmarkManifest m = predictionsManifest(dir, file, 196_608);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), Files.size(file) / 2);
        }

        assertThat(BenchmarkFiles.verifyChecksums(dir, m)).singleElement().asString()
                .startsWith("predictions-200/part-0.avro: sha256 is ");
    }

    @Test
    void manifestProblemsAreListedTogether(@TempDir Path dir) throws IOException {
        copyBenchmark(dir);
        String original = Files.readString(dir.resolve(BenchmarkLayout.MANIFEST));
        String json = original
                .replace("0.003125, ", "")
                .replace("\"seeds\" : [ 222, 555, 888 ]", "\"seeds\" : [ 1, 2, 3 ]");
        Files.writeString(dir.resolve(BenchmarkLayout.MANIFEST), json);
        Files.write(dir.resolve("runs-12/part-00000.avro"), new byte[] {1}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("learningRates: is [0.00625")
                .hasMessageContaining("seeds: is [1, 2, 3], expected [222, 555, 888]")
                .hasMessageContaining("files[0] (runs-12/part-00000.avro): the file has");

        // an unknown version is named; its grid is checked as the newest format's (a subset of the protocol's)
        Files.writeString(dir.resolve(BenchmarkLayout.MANIFEST), json.replace("\"formatVersion\" : 1",
                "\"formatVersion\" : 9"));
        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("formatVersion: is 9, expected 1 or 2")
                .hasMessageContaining("seeds: holds 1, which is not in the protocol's grid [222, 555, 888]")
                .message().doesNotContain("learningRates");
    }

    @Test
    void aDirectoryWithoutManifestIsNotABenchmark(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no manifest.json");
        Files.writeString(dir.resolve(BenchmarkLayout.MANIFEST), "{\"formatVersion\": \"one\"}");
        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a readable benchmark manifest");
    }

    @Test
    void theWriterNeverOverwrites(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> BenchmarkWriter.create(dir, "p", "test", Map.of(), CodecFactory.nullCodec()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not empty");
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
    }

    private static void copyBenchmark(Path dir) throws IOException {
        for (String name : List.of(BenchmarkLayout.MANIFEST, "runs-12/part-00000.avro",
                "predictions-200/part-00000.avro")) {
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = Files.newInputStream(bench.resolve(name));
                    OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
        }
    }
}
