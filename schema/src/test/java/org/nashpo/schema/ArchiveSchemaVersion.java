package org.nashpo.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * Archives the current {@link TrainingRun} schema as released version N: writes
 * {@code TrainingRun-vN.avsc} (the schema as pretty JSON) into the schema archive of main resources
 * ({@code src/main/resources/org/nashpo/schema/archive}, where {@link TrainingRunVersions} finds it: readers
 * accept run files written with it) and {@code TrainingRun-vN.avro} (a deflate Avro data file with one
 * completed and one diverged sample run) into {@code src/test/resources/archive}, where
 * {@code SchemaEvolutionTest} checks that the current schema still reads every archived version.
 *
 * <p>Run it when releasing a schema change, with the next version number (the test's failure
 * message names it), then commit both files. It is a plain {@code main} on the test classpath, given
 * the schema module's directory:
 *
 * <pre>
 * cd nashpo
 * mvn -q -pl schema test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp schema/target/test-classes:schema/target/classes:$(cat schema/target/test.classpath) \
 *     org.nashpo.schema.ArchiveSchemaVersion 4 schema
 * </pre>
 *
 * <p>The sample runs are generic records built against the current schema, not generated classes,
 * so the tool keeps compiling when fields are added: new fields take their defaults.
 */
public final class ArchiveSchemaVersion {

    // Columns of the per-epoch tables: trainLoss, trainAccuracy, validLoss, validAccuracy, testLoss,
    // testAccuracy, trainTimeSeconds, validTimeSeconds, testTimeSeconds.
    private static final double[][] COMPLETED_EPOCHS = {
        {1.6342, 45.12, 1.4125, 48.66, 1.4218, 48.21, 152.48, 6.12, 6.15},
        {1.2217, 58.37, 1.1538, 59.02, 1.1602, 58.74, 140.12, 5.98, 6.01},
        {1.0135, 65.84, 0.9976, 65.31, 1.0051, 64.97, 139.87, 6.03, 6.06},
        {0.8874, 70.21, 0.8912, 69.18, 0.8987, 68.85, 140.33, 5.95, 5.98},
        {0.7829, 73.96, 0.8147, 72.07, 0.8203, 71.80, 139.95, 6.07, 6.09},
        {0.6953, 76.88, 0.7533, 74.39, 0.7598, 74.02, 140.41, 5.99, 6.02},
        {0.6188, 79.45, 0.7041, 76.22, 0.7112, 75.91, 140.07, 6.01, 6.04},
        {0.5502, 81.73, 0.6615, 77.90, 0.6689, 77.56, 139.76, 5.96, 5.99},
        {0.4871, 83.92, 0.6270, 79.16, 0.6341, 78.88, 140.22, 6.04, 6.07},
        {0.4356, 85.61, 0.6012, 80.05, 0.6087, 79.70, 139.91, 5.97, 6.00},
        {0.3987, 86.87, 0.5858, 80.61, 0.5931, 80.29, 140.18, 6.02, 6.05},
        {0.3791, 87.54, 0.5807, 80.83, 0.5876, 80.47, 139.84, 6.00, 6.03},
    };
    private static final double[][] DIVERGED_EPOCHS = {
        {2.4871, 11.84, 2.3519, 12.06, 2.3547, 11.93, 48.72, 2.91, 2.94},
        {5.9364, 10.02, 7.1283, 10.37, 7.1305, 10.21, 47.95, 2.88, 2.90},
        {Double.NaN, 10.00, Double.NaN, 10.00, Double.NaN, 10.00, 47.61, 2.87, 2.92},
    };

    private ArchiveSchemaVersion() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ArchiveSchemaVersion <version> <the schema module's directory>");
            System.exit(2);
        }
        Path module = Path.of(args[1]);
        archive(Integer.parseInt(args[0]), module.resolve("src/main/resources/org/nashpo/schema/archive"),
                module.resolve("src/test/resources/archive"));
    }

    static void archive(int version, Path schemaDir, Path dataDir) throws IOException {
        Schema schema = TrainingRun.getClassSchema();
        Path schemaFile = schemaDir.resolve("TrainingRun-v" + version + ".avsc");
        Path dataFile = dataDir.resolve("TrainingRun-v" + version + ".avro");
        // A released version is immutable: rewriting it would hide the very change the archive guards.
        for (Path file : List.of(schemaFile, dataFile)) {
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " exists; released versions are never rewritten");
            }
        }
        Files.createDirectories(schemaDir);
        Files.createDirectories(dataDir);
        Files.writeString(schemaFile, schema.toString(true) + System.lineSeparator());

        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema, model))) {
            writer.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
            writer.create(schema, dataFile.toFile());
            writer.append(completedRun(schema));
            writer.append(divergedRun(schema));
        }
        System.out.println("wrote " + schemaFile + " and " + dataFile);
    }

    private static GenericRecord completedRun(Schema schema) {
        return new GenericRecordBuilder(schema)
                .set("key", new GenericRecordBuilder(fieldSchema(schema, "key"))
                        .set("protocolId", "proto-7f3a9c21")
                        .set("cellClassId", "class-5e0d44b8")
                        .set("cellcode", "0|10|210")
                        .set("learningRate", 0.1)
                        .set("batchSize", 256)
                        .set("seed", 222)
                        .set("epochs", 12)
                        .build())
                .set("network", network(schema))
                .set("data", data(schema))
                .set("perEpoch", epochs(schema, 0.1, 12, COMPLETED_EPOCHS))
                .set("parameters", 802_730L)
                .set("multiplyAdds", 113_951_360L)
                .set("totalTimeSeconds", 1843.75)
                .set("status", status(schema, "COMPLETED"))
                .set("provenance", new GenericRecordBuilder(fieldSchema(schema, "provenance"))
                        .set("nashpoVersion", "0.1.0")
                        .set("gitCommit", "3e1f0a7c9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f")
                        .set("javaVersion", "17.0.15")
                        .set("os", "Linux 6.1.0-31-amd64 amd64")
                        .set("cpu", "AMD EPYC 7763 64-Core Processor")
                        .set("host", "worker-07")
                        .set("executorId", "12")
                        .set("device", "cpu")
                        .set("backend", "nd4j-native linux-x86_64-onednn-avx2")
                        .set("libraryVersions", libraryVersions())
                        .set("dataChecksums", Map.of(
                                "data_batch_1.bin", "5dd1a7f7a3e4c0b1d2f3a4b5c6d7e8f9",
                                "test_batch.bin", "40351d587109b95175f43aff81a1287e",
                                "split-train.txt", "9c1e2f4a6b8d0e2f4a6c8e0a2c4e6a8c"))
                        .set("rngSeed", 222L)
                        .set("specHash", "spec-91b0e6d2")
                        .set("startedAt", Instant.parse("2025-03-14T09:26:53.125Z"))
                        .set("finishedAt", Instant.parse("2025-03-14T09:57:36.875Z"))
                        .build())
                .build();
    }

    private static GenericRecord divergedRun(Schema schema) {
        return new GenericRecordBuilder(schema)
                .set("key", new GenericRecordBuilder(fieldSchema(schema, "key"))
                        .set("protocolId", "proto-7f3a9c21")
                        .set("cellClassId", "class-0a11c3f9")
                        .set("cellcode", "0|00|000")
                        .set("learningRate", 0.4)
                        .set("batchSize", 16)
                        .set("seed", 555)
                        .set("epochs", 12)
                        .build())
                .set("network", network(schema))
                .set("data", data(schema))
                .set("perEpoch", epochs(schema, 0.4, 12, DIVERGED_EPOCHS))
                .set("parameters", 73_722L)
                .set("multiplyAdds", 11_264_000L)
                .set("totalTimeSeconds", 166.42)
                .set("status", status(schema, "DIVERGED"))
                .set("statusReason", "loss became NaN at epoch 2")
                .set("provenance", new GenericRecordBuilder(fieldSchema(schema, "provenance"))
                        .set("nashpoVersion", "0.1.0")
                        .set("javaVersion", "17.0.15")
                        .set("os", "Linux 6.1.0-31-amd64 amd64")
                        .set("cpu", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz")
                        .set("host", "gpu-03")
                        .set("device", "cuda:1")
                        .set("deviceName", "NVIDIA A100-SXM4-40GB")
                        .set("backend", "nd4j-cuda-11.6")
                        .set("libraryVersions", libraryVersions())
                        .set("dataChecksums", Map.of(
                                "data_batch_2.bin", "bd0c8c5a4e2f6b7d9a1c3e5f7b9d1f3a",
                                "test_batch.bin", "40351d587109b95175f43aff81a1287e"))
                        .set("rngSeed", 555L)
                        .set("startedAt", Instant.parse("2025-03-15T02:11:40.500Z"))
                        .set("finishedAt", Instant.parse("2025-03-15T02:14:26.920Z"))
                        .build())
                .build();
    }

    private static GenericRecord network(Schema schema) {
        return new GenericRecordBuilder(fieldSchema(schema, "network"))
                .set("width", 16)
                .set("cellsPerStage", 5)
                .set("stages", 3)
                .build();
    }

    private static GenericRecord data(Schema schema) {
        return new GenericRecordBuilder(fieldSchema(schema, "data"))
                .set("uri", "hdfs://namenode:8020/datasets/cifar-10-batches-bin")
                .set("trainSize", 40_000)
                .set("validSize", 10_000)
                .set("testSize", 10_000)
                .build();
    }

    private static List<GenericRecord> epochs(Schema schema, double learningRate, int scheduleLength, double[][] rows) {
        Schema epochSchema = fieldSchema(schema, "perEpoch").getElementType();
        List<GenericRecord> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < rows.length; epoch++) {
            double[] row = rows[epoch];
            GenericRecordBuilder builder = new GenericRecordBuilder(epochSchema);
            if (epochSchema.getField("trainEvalTimeSeconds") != null) {
                // schema v3: the train set (as large as the valid set) takes as long to evaluate
                builder.set("trainEvalTimeSeconds", row[7]);
            }
            epochs.add(builder
                    .set("epoch", epoch)
                    .set("learningRate", learningRate * (1 + Math.cos(Math.PI * epoch / scheduleLength)) / 2)
                    .set("trainLoss", row[0])
                    .set("trainAccuracy", row[1])
                    .set("validLoss", row[2])
                    .set("validAccuracy", row[3])
                    .set("testLoss", row[4])
                    .set("testAccuracy", row[5])
                    .set("trainTimeSeconds", row[6])
                    .set("validTimeSeconds", row[7])
                    .set("testTimeSeconds", row[8])
                    .build());
        }
        return epochs;
    }

    private static Map<String, String> libraryVersions() {
        return Map.of("deeplearning4j", "1.0.0-M2.1", "nd4j", "1.0.0-M2.1", "spark", "4.2.0", "hadoop", "3.5.0");
    }

    private static GenericData.EnumSymbol status(Schema schema, String symbol) {
        return new GenericData.EnumSymbol(fieldSchema(schema, "status"), symbol);
    }

    private static Schema fieldSchema(Schema record, String name) {
        return record.getField(name).schema();
    }
}
