package org.nashpo.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released version of the TrainingRun schema, archived by {@link ArchiveSchemaVersion} (the schema
 * under {@code src/main/resources/org/nashpo/schema/archive}, where {@link TrainingRunVersions} lists it
 * for readers, a sample data file under {@code src/test/resources/archive}), must stay readable by the
 * current generated classes.
 */
class SchemaEvolutionTest {

    private static final Schema CURRENT = TrainingRun.getClassSchema();
    private static final Pattern ARCHIVED_SCHEMA = Pattern.compile("TrainingRun-v(\\d+)\\.avsc");

    static Stream<Named<Integer>> archivedVersions() throws IOException, URISyntaxException {
        return versionNumbers().stream().map(version -> Named.of("v" + version, version));
    }

    @Test
    void archiveHoldsEveryVersionFromOneWithoutGaps() throws IOException, URISyntaxException {
        List<Integer> versions = versionNumbers();

        assertThat(versions).isNotEmpty();
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
        // what readers accept is the same list, each version with its sample data file
        assertThat(TrainingRunVersions.archived()).hasSameSizeAs(versions);
        for (int version : versions) {
            assertThat(archivedDataFile(version)).as("the sample data file of v%d", version).exists();
        }
    }

    /** Readers accept exactly the archived versions and the current one: a doc changed is another schema. */
    @Test
    void readersAcceptEachArchivedVersionExactlyAndNothingElse() throws IOException, URISyntaxException {
        List<Integer> versions = versionNumbers();
        for (int version : versions) {
            assertThat(TrainingRunVersions.version(archivedSchema(version))).contains("v" + version);
        }
        assertThat(TrainingRunVersions.version(CURRENT)).contains("v" + versions.get(versions.size() - 1));
        assertThat(TrainingRunVersions.names()).hasSize(versions.size());

        Schema renamedDoc = new Schema.Parser().parse(CURRENT.toString().replace("Identity of the run", "Identity"));
        assertThat(SchemaNormalization.parsingFingerprint64(renamedDoc))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(CURRENT));
        assertThat(TrainingRunVersions.version(renamedDoc)).isEmpty();
        Schema renamedField = new Schema.Parser().parse(CURRENT.toString()
                .replace("\"trainEvalTimeSeconds\"", "\"tsainEvalTimeSeconds\""));
        assertThat(TrainingRunVersions.version(renamedField)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archivedVersions")
    void currentSchemaCanReadArchivedVersion(int version) throws IOException, URISyntaxException {
        SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(CURRENT, archivedSchema(version));

        String incompatibilities = compatibility.getResult().getIncompatibilities().stream()
                .map(problem -> problem.getType() + " at " + problem.getLocation() + ": " + problem.getMessage())
                .collect(Collectors.joining(System.lineSeparator()));
        assertThat(compatibility.getType())
                .withFailMessage("current TrainingRun cannot read TrainingRun-v%d:%n%s", version, incompatibilities)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archivedVersions")
    void currentClassReadsArchivedDataFile(int version) throws IOException, URISyntaxException {
        Schema archived = archivedSchema(version);
        // The reader schema is the generated class's; DataFileReader supplies the writer schema from the file.
        SpecificDatumReader<TrainingRun> datumReader = new SpecificDatumReader<>(TrainingRun.class);
        List<TrainingRun> runs = new ArrayList<>();
        try (DataFileReader<TrainingRun> reader = new DataFileReader<>(archivedDataFile(version), datumReader)) {
            assertThat(SchemaNormalization.parsingFingerprint64(reader.getSchema()))
                    .as("TrainingRun-v%d.avro is written with TrainingRun-v%d.avsc", version, version)
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(archived));
            reader.forEach(runs::add);
        }

        assertThat(runs).hasSize(2);
        TrainingRun completed = runs.get(0);
        assertThat(completed.getKey().getCellcode()).isEqualTo("0|10|210");
        assertThat(completed.getKey().getLearningRate()).isEqualTo(0.1);
        assertThat(completed.getKey().getBatchSize()).isEqualTo(256);
        assertThat(completed.getKey().getSeed()).isEqualTo(222);
        assertThat(completed.getKey().getEpochs()).isEqualTo(12);
        assertThat(completed.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(completed.getStatusReason()).isNull();
        assertThat(completed.getPerEpoch()).hasSize(12);
        assertThat(completed.getPerEpoch().get(7).getEpoch()).isEqualTo(7);
        assertThat(completed.getPerEpoch().get(7).getValidAccuracy()).isEqualTo(77.90);
        assertThat(completed.getPerEpoch().get(11).getTestAccuracy()).isEqualTo(80.47);
        assertThat(completed.getPerEpoch().get(6).getLearningRate()).isCloseTo(0.05, within(1e-12));
        assertThat(completed.getParameters()).isEqualTo(802_730L);
        assertThat(completed.getMultiplyAdds()).isEqualTo(113_951_360L);
        assertThat(completed.getProvenance().getDataChecksums())
                .containsEntry("test_batch.bin", "40351d587109b95175f43aff81a1287e")
                .hasSize(3);
        assertThat(completed.getProvenance().getLibraryVersions()).containsEntry("spark", "4.2.0");
        assertThat(completed.getProvenance().getStartedAt()).isEqualTo(Instant.parse("2025-03-14T09:26:53.125Z"));

        TrainingRun diverged = runs.get(1);
        assertThat(diverged.getKey().getCellcode()).isEqualTo("0|00|000");
        assertThat(diverged.getKey().getLearningRate()).isEqualTo(0.4);
        assertThat(diverged.getKey().getBatchSize()).isEqualTo(16);
        assertThat(diverged.getKey().getSeed()).isEqualTo(555);
        assertThat(diverged.getStatus()).isEqualTo(RunStatus.DIVERGED);
        assertThat(diverged.getStatusReason()).isEqualTo("loss became NaN at epoch 2");
        assertThat(diverged.getPerEpoch()).hasSize(3);
        assertThat(diverged.getPerEpoch().get(1).getTrainLoss()).isEqualTo(5.9364);
        assertThat(diverged.getPerEpoch().get(2).getTrainLoss()).isNaN();
        assertThat(diverged.getParameters()).isEqualTo(73_722L);
        assertThat(diverged.getMultiplyAdds()).isEqualTo(11_264_000L);
        assertThat(diverged.getProvenance().getExecutorId()).isNull();
        assertThat(diverged.getProvenance().getDeviceName()).isEqualTo("NVIDIA A100-SXM4-40GB");

        GenericData model = datumReader.getSpecificData();
        for (TrainingRun run : runs) {
            assertAddedFieldsReadAsDefaults(CURRENT, archived, run, model);
        }
    }

    @Test
    void currentSchemaIsArchived() throws IOException, URISyntaxException {
        List<Integer> versions = versionNumbers();
        int newest = versions.get(versions.size() - 1);

        assertThat(SchemaNormalization.parsingFingerprint64(CURRENT))
                .withFailMessage("TrainingRun.avsc changed since TrainingRun-v%d.avsc: archive it as v%d with ArchiveSchemaVersion",
                        newest, newest + 1)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(archivedSchema(newest)));
        // the fingerprint ignores defaults and properties; Schema.equals does not
        assertThat(CURRENT)
                .withFailMessage("TrainingRun.avsc's defaults or properties changed since TrainingRun-v%d.avsc: "
                        + "archive it as v%d with ArchiveSchemaVersion", newest, newest + 1)
                .isEqualTo(archivedSchema(newest));
        // nor its docs: readers accept a file's schema only if it is exactly an archived one (TrainingRunVersions),
        // so a schema written but never archived would make the files written with it unreadable to later builds
        assertThat(TrainingRunVersions.fingerprint(CURRENT))
                .withFailMessage("TrainingRun.avsc's text (a doc) changed since TrainingRun-v%d.avsc: archive it as v%d "
                        + "with ArchiveSchemaVersion", newest, newest + 1)
                .isEqualTo(TrainingRunVersions.fingerprint(archivedSchema(newest)));
    }

    @Test
    void corruptedDataFileFailsToRead(@TempDir Path tmp) throws IOException, URISyntaxException {
        byte[] bytes = Files.readAllBytes(archivedDataFile(1).toPath());
        Arrays.fill(bytes, bytes.length - 100, bytes.length, (byte) 0);
        Path corrupted = Files.write(tmp.resolve("corrupted.avro"), bytes);

        assertThatThrownBy(() -> readAll(corrupted))
                .isInstanceOf(AvroRuntimeException.class)
                .hasRootCauseInstanceOf(IOException.class)
                .hasRootCauseMessage("Invalid sync!");
    }

    /**
     * Avro's DataFileStream takes an EOFException inside a block for the end of the file, so a file cut
     * short loses its last block without any error. This pins that behaviour: whoever reads nashpo files
     * must not take "no exception" for "complete" — nashpo's RunFiles (worker) also checks that the
     * file ends with its sync marker. If Avro starts reporting
     * truncation this test fails, and should then assert the exception instead.
     */
    @Test
    void truncatedDataFileSilentlyLosesItsLastBlock(@TempDir Path tmp) throws IOException, URISyntaxException {
        byte[] bytes = Files.readAllBytes(archivedDataFile(1).toPath());
        Path truncated = Files.write(tmp.resolve("truncated.avro"), Arrays.copyOf(bytes, bytes.length - 100));

        assertThat(readAll(truncated)).isEmpty();
    }

    @Test
    void builtRunSurvivesDataFileRoundTrip() throws IOException {
        TrainingRun written = sampleRun();

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (DataFileWriter<TrainingRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(TrainingRun.class))) {
            writer.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
            writer.create(CURRENT, file);
            writer.append(written);
        }
        List<TrainingRun> read = new ArrayList<>();
        try (DataFileStream<TrainingRun> reader = new DataFileStream<>(
                new ByteArrayInputStream(file.toByteArray()), new SpecificDatumReader<>(TrainingRun.class))) {
            reader.forEach(read::add);
        }

        assertThat(read).containsExactly(written);
        assertThat(read.get(0).getPerEpoch().get(1).getTrainLoss()).isNaN();
    }

    /** The check of added fields must look inside nested records, arrays, maps and unions, or it proves nothing. */
    @Test
    void addedFieldsCheckFindsFieldsAddedAtAnyDepth() throws IOException {
        Schema old = new Schema.Parser().parse("""
                {"type": "record", "name": "Run", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "items", "type": {"type": "array", "items":
                    {"type": "record", "name": "Item", "fields": [{"name": "x", "type": "int"}]}}},
                  {"name": "byName", "type": {"type": "map", "values": "Item"}},
                  {"name": "maybe", "type": ["null", "Item"]}
                ]}""");
        Schema current = new Schema.Parser().parse("""
                {"type": "record", "name": "Run", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "items", "type": {"type": "array", "items":
                    {"type": "record", "name": "Item", "fields": [
                      {"name": "x", "type": "int"},
                      {"name": "y", "type": "double", "default": 0.5}]}}},
                  {"name": "byName", "type": {"type": "map", "values": "Item"}},
                  {"name": "maybe", "type": ["null", "Item"]},
                  {"name": "note", "type": "string", "default": "n/a"}
                ]}""");
        Schema oldItem = old.getField("items").schema().getElementType();
        GenericRecord written = new GenericRecordBuilder(old)
                .set("id", "run-1")
                .set("items", List.of(item(oldItem, 1), item(oldItem, 2)))
                .set("byName", Map.of("k", item(oldItem, 3)))
                .set("maybe", item(oldItem, 4))
                .build();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(written, encoder);
        encoder.flush();
        GenericRecord read = new GenericDatumReader<GenericRecord>(old, current)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(assertAddedFieldsReadAsDefaults(current, old, read, GenericData.get()))
                .containsExactly("items[0].y", "items[1].y", "byName[k].y", "maybe.y", "note");
    }

    private static GenericRecord item(Schema itemSchema, int x) {
        return new GenericRecordBuilder(itemSchema).set("x", x).build();
    }

    /**
     * Asserts that every field of {@code current} missing from {@code archived}, at any depth, has a
     * default and was read as it; returns the paths of those fields.
     */
    private static List<String> assertAddedFieldsReadAsDefaults(
            Schema current, Schema archived, Object value, GenericData model) {
        List<String> added = new ArrayList<>();
        collectAddedFields(current, archived, value, "", model, added);
        return added;
    }

    private static void collectAddedFields(
            Schema current, Schema archived, Object value, String path, GenericData model, List<String> added) {
        // A changed type (e.g. a promotion) holds no fields of its own; the compatibility check covers it.
        if (value == null || current.getType() != archived.getType()) {
            return;
        }
        switch (current.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                for (Schema.Field field : current.getFields()) {
                    String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    Object fieldValue = record.get(field.pos());
                    Optional<Schema.Field> archivedField = archivedField(archived, field);
                    if (archivedField.isPresent()) {
                        collectAddedFields(field.schema(), archivedField.get().schema(), fieldValue, fieldPath, model, added);
                    } else {
                        assertThat(field.hasDefaultValue())
                                .as("%s is missing from the archived version, so it needs a default", fieldPath)
                                .isTrue();
                        assertThat(fieldValue)
                                .as("%s read from a version without it", fieldPath)
                                .isEqualTo(model.getDefaultValue(field));
                        added.add(fieldPath);
                    }
                }
            }
            case ARRAY -> {
                int index = 0;
                for (Object element : (Collection<?>) value) {
                    collectAddedFields(current.getElementType(), archived.getElementType(), element,
                            path + "[" + index++ + "]", model, added);
                }
            }
            case MAP -> ((Map<?, ?>) value).forEach((key, element) -> collectAddedFields(
                    current.getValueType(), archived.getValueType(), element, path + "[" + key + "]", model, added));
            case UNION -> {
                Schema branch = current.getTypes().get(model.resolveUnion(current, value));
                Integer archivedBranch = archived.getIndexNamed(branch.getFullName());
                if (archivedBranch != null) {
                    collectAddedFields(branch, archived.getTypes().get(archivedBranch), value, path, model, added);
                }
            }
            default -> {
                // Primitives, enums and fixed have no fields.
            }
        }
    }

    /** The archived field the current one reads from: same name, or one of its aliases, as Avro resolves it. */
    private static Optional<Schema.Field> archivedField(Schema archivedRecord, Schema.Field field) {
        return Stream.concat(Stream.of(field.name()), field.aliases().stream())
                .map(archivedRecord::getField)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static List<TrainingRun> readAll(Path dataFile) throws IOException {
        List<TrainingRun> runs = new ArrayList<>();
        try (DataFileReader<TrainingRun> reader =
                new DataFileReader<>(dataFile.toFile(), new SpecificDatumReader<>(TrainingRun.class))) {
            reader.forEach(runs::add);
        }
        return runs;
    }

    private static TrainingRun sampleRun() {
        EpochMetrics first = EpochMetrics.newBuilder()
                .setEpoch(0).setLearningRate(0.025)
                .setTrainLoss(2.0113).setTrainAccuracy(24.5)
                .setValidLoss(1.8842).setValidAccuracy(31.25)
                .setTestLoss(1.8901).setTestAccuracy(30.9)
                .setTrainTimeSeconds(71.5).setValidTimeSeconds(3.25).setTestTimeSeconds(3.5)
                .build();
        EpochMetrics nan = EpochMetrics.newBuilder(first)
                .setEpoch(1).setLearningRate(0.0125)
                .setTrainLoss(Double.NaN)
                .build();
        return TrainingRun.newBuilder()
                .setKey(RunKey.newBuilder()
                        .setProtocolId("proto-roundtrip").setCellClassId("class-roundtrip").setCellcode("1|01|102")
                        .setLearningRate(0.025).setBatchSize(64).setSeed(7).setEpochs(2)
                        .build())
                .setNetwork(NetworkShape.newBuilder().setWidth(16).setCellsPerStage(5).setStages(3).build())
                .setData(DataSubset.newBuilder()
                        .setUri("file:///data/cifar-10").setTrainSize(1000).setValidSize(200).setTestSize(200)
                        .build())
                .setPerEpoch(List.of(first, nan))
                .setParameters(123_456L)
                .setMultiplyAdds(7_654_321L)
                .setTotalTimeSeconds(160.25)
                .setStatus(RunStatus.DIVERGED)
                .setStatusReason("loss became NaN at epoch 1")
                .setProvenance(Provenance.newBuilder()
                        .setNashpoVersion("0.1.0-SNAPSHOT").setJavaVersion("17.0.15").setOs("Linux")
                        .setCpu("test cpu").setHost("localhost").setDevice("cpu").setBackend("nd4j-native")
                        .setLibraryVersions(Map.of("avro", "1.12.1"))
                        .setDataChecksums(Map.of("data_batch_1.bin", "0123456789abcdef0123456789abcdef"))
                        .setRngSeed(7L)
                        .setStartedAt(Instant.parse("2025-01-02T03:04:05.006Z"))
                        .setFinishedAt(Instant.parse("2025-01-02T03:06:45.256Z"))
                        .build())
                .build();
    }

    private static List<Integer> versionNumbers() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(schemaArchiveDir())) {
            return files.map(file -> ARCHIVED_SCHEMA.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(match -> Integer.parseInt(match.group(1)))
                    .sorted()
                    .toList();
        }
    }

    private static Schema archivedSchema(int version) throws IOException, URISyntaxException {
        return new Schema.Parser().parse(schemaArchiveDir().resolve("TrainingRun-v" + version + ".avsc").toFile());
    }

    private static File archivedDataFile(int version) throws URISyntaxException {
        return archiveDir().resolve("TrainingRun-v" + version + ".avro").toFile();
    }

    /** The sample data files (test resources). */
    private static Path archiveDir() throws URISyntaxException {
        URL archive = SchemaEvolutionTest.class.getResource("/archive");
        assertThat(archive).as("archive directory on the test classpath").isNotNull();
        return Path.of(archive.toURI());
    }

    /** The archived schemas (main resources, beside {@link TrainingRunVersions}). */
    private static Path schemaArchiveDir() throws URISyntaxException {
        URL archive = TrainingRunVersions.class.getResource("archive");
        assertThat(archive).as("the schema archive on the class path").isNotNull();
        return Path.of(archive.toURI());
    }
}
