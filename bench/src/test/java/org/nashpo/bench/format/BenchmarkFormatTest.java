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
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;

/** The benchmark directory format: what the writer puts on disk, and that the reader gets all of it back. */
class BenchmarkFormatTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;

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
        RunRow expected = new RunRow(NHB2);

        long total = BenchmarkFiles.read(bench, manifest, row -> {
            runs.incrementAndGet();
            int c = ClassOrdinals.of(NHB2).ordinal(row.cell());
            int hp = HpGrid.lrIndex(row.learningRate()) * 6 + HpGrid.batchIndex(row.batchSize());
            int s = HpGrid.SEEDS.indexOf(row.seed());
            if (!NHB2.classes().get(c).representative().equals(NHB2.cell(row.cell()))) {
                wrong.add(row + ": not the representative");
            }
            synchronized (expected) {
                HandBuiltBenchmark.fill(expected, NHB2.cell(row.cell()), c, hp, s);
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
            CellCode cell = NHB2.classes().get(0).representative();
            assertThat(first.getCellcode()).isEqualTo(cell.toString());
            assertThat(first.getCellClassId()).isEqualTo(NHB2.classOf(cell).id());
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
        RunRow row = new RunRow(NHB2);
        HandBuiltBenchmark.fill(row, NHB2.parse("0|10|210"), 3, 17, 2);
        BenchmarkRun record = BenchmarkRun.newBuilder()
                .setCellClassId(NHB2.classOf(NHB2.parse("0|10|210")).id())
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
                .setCellClassId(NHB2.classOf(NHB2.parse("0|00|000")).id())
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
        RunRow row = new RunRow(NHB2);
        HandBuiltBenchmark.fill(row, NHB2.parse("0|10|210"), 3, 17, 2);
        BenchmarkRun record = record(row, NHB2.classOf(NHB2.parse("0|10|210")).id(), "0|10|210");
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
            RunRow copy = new RunRow(NHB2);
            HandBuiltBenchmark.fill(copy, NHB2.cell(r.cell()), 3, 17, 2);
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

        assertThatThrownBy(() -> BenchmarkWriter.create(dir, BenchmarkGrid.PUBLISHED, "p", "test", Map.of(),
                CodecFactory.nullCodec()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not empty");
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void nasHpoBench2sSpaceIsLeftOutOfTheManifestAndReadBack() throws IOException {
        // the manifest is the one written before spaces were configurable: no space field
        assertThat(Files.readString(bench.resolve(BenchmarkLayout.MANIFEST))).doesNotContain("space");
        assertThat(Manifests.searchSpace(manifest)).isEqualTo(NHB2);
        assertThat(Manifests.family(manifest)).isEqualTo(NetworkFamily.NAS_HPO_BENCH_2);
    }

    @Test
    void aSpaceTheLibraryDoesNotKnowIsAManifestProblem(@TempDir Path dir) throws IOException {
        copyBenchmark(dir);
        String json = Files.readString(dir.resolve(BenchmarkLayout.MANIFEST)).replace("\"completeness\" : [ ]\n",
                "\"completeness\" : [ ],\n  \"space\" : {\"family\" : \"resnet\", "
                        + "\"operations\" : [\"conv3x3\", \"conv9x9\"]}\n");
        Files.writeString(dir.resolve(BenchmarkLayout.MANIFEST), json);

        assertThatThrownBy(() -> BenchmarkFiles.readManifest(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("space.operations: operation \"conv9x9\" is not known")
                .hasMessageContaining("space.family: unknown network family \"resnet\"; expected one of "
                        + "nas-hpo-bench-2, nas-bench-201");
    }

    @Test
    void anotherSpaceIsWrittenAsFormat2WithItsSpaceAndCellcodesInItsDigits(@TempDir Path dir) {
        SearchSpace nb201 = SearchSpace.NAS_BENCH_201;
        BenchmarkGrid grid = new BenchmarkGrid(nb201, NetworkFamily.NAS_BENCH_201, 3, 0, List.of(0.1, 0.05),
                List.of(64), List.of(555));
        CellCode cell = nb201.parse("|nor_conv_1x1~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|none~1|"
                + "nor_conv_3x3~2|");
        assertThat(cell).hasToString("2|34|103");
        Path out = dir.resolve("bench");
        try (BenchmarkWriter w = BenchmarkWriter.create(out, grid, "p", "test", Map.of(), CodecFactory.nullCodec())) {
            RunRow row = new RunRow(nb201).cell(nb201.classOf(cell).representative()).learningRate(0.1).batchSize(64)
                    .seed(555).epochs(3).epochsCompleted(3).totals(3, 4, 1);
            for (Metric m : Metric.values()) {
                for (int e = 0; e < 3; e++) {
                    row.value(m, e, 1 + e);
                }
            }
            w.append(row);
            RunRow other = new RunRow(NHB2).cell(NHB2.parse("0|10|210"));
            assertThatThrownBy(() -> w.append(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is of the space [conv3x3, avgpool3x3, skip, zero], the benchmark's is "
                            + "[zero, skip, conv1x1, conv3x3, avgpool3x3]");
            assertThatThrownBy(() -> w.append(new PredictionRow(nb201).cell(cell))).isInstanceOf(
                    IllegalStateException.class).hasMessageContaining("no long schedule");
            w.finish();
        }

        BenchmarkManifest m = BenchmarkFiles.readManifest(out);
        List<String> cells = new ArrayList<>();
        BenchmarkFiles.read(out, m, r -> cells.add(r.toString()), p -> { });

        assertThat(m.getFormatVersion()).isEqualTo(2);
        assertThat(m.getSpace().getFamily()).isEqualTo("nas-bench-201");
        assertThat(m.getSpace().getOperations()).containsExactly("zero", "skip", "conv1x1", "conv3x3", "avgpool3x3");
        assertThat(Manifests.searchSpace(m)).isEqualTo(nb201);
        assertThat(m.getShortEpochs()).isEqualTo(3);
        assertThat(m.getLongEpochs()).isZero();
        assertThat(m.getLearningRates()).containsExactly(0.05, 0.1);
        assertThat(m.getFiles()).extracting(BenchmarkFile::getTable).containsExactly("runs-3");
        assertThat(m.getCounts().getConfigurations()).isEqualTo(nb201.classOf(cell).size() * 2);
        assertThat(m.getCompleteness()).singleElement().satisfies(c -> {
            assertThat(c.getExpected()).isEqualTo(2);
            assertThat(c.getPresent()).isEqualTo(1);
            assertThat(c.getMissing()).containsExactly(nb201.classOf(cell).representative() + " lr=0.05 batch=64");
        });
        assertThat(cells).containsExactly(nb201.classOf(cell).representative() + " lr=0.1 batch=64 seed=555");
    }

    @Test
    void tablesHoldCellcodesNotArchitectureStrings(@TempDir Path dir) throws IOException {
        String arch = NHB2.parse("0|10|210").nb201String();
        Path file = dir.resolve("predictions-200/part-0.avro");
        Files.createDirectories(file.getParent());
        try (DataFileWriter<SurrogatePrediction> w = new DataFileWriter<>(
                new SpecificDatumWriter<>(SurrogatePrediction.class))) {
            w.create(SurrogatePrediction.getClassSchema(), file.toFile());
            w.append(new SurrogatePrediction(arch, 0.1, 64, 200, 50f));
        }

        assertThatThrownBy(() -> BenchmarkFiles.read(dir, predictionsManifest(dir, file, 1), r -> { }, p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is an architecture string");
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
