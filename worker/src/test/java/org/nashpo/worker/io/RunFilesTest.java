package org.nashpo.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunKey;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;

class RunFilesTest {

    static TrainingRun run(int seed) {
        return TrainingRun.newBuilder()
                .setKey(new RunKey("p", "babd0b3a48c508c7", "0|10|210", 0.1, 256, seed, 1, null))
                .setNetwork(new NetworkShape(16, 5, 3, null))
                .setData(new DataSubset("file:/data", 10, 10, 10, null, null))
                .setPerEpoch(List.of(new EpochMetrics(0, 0.1, 2.3, 10.0, 2.2, 11.0, 2.25, 12.0, 1.0, 0.5, 0.25, 0.5)))
                .setParameters(802_730)
                .setMultiplyAdds(113_951_360)
                .setTotalTimeSeconds(3.0)
                .setStatus(RunStatus.COMPLETED)
                .setStatusReason(null)
                .setProvenance(Provenance.newBuilder().setNashpoVersion("t").setGitCommit(null).setJavaVersion("17")
                        .setOs("linux").setCpu("cpu").setHost("h").setExecutorId(null).setDevice("cpu")
                        .setDeviceName(null).setBackend("CPU").setLibraryVersions(Map.of())
                        .setDataChecksums(Map.of("data_batch_1.bin", "abc")).setRngSeed(seed).setSpecHash(null)
                        .setStartedAt(Instant.ofEpochMilli(1000)).setFinishedAt(Instant.ofEpochMilli(4000)).build())
                .build();
    }

    @Test
    void runsRoundTripAndNoTemporaryFileIsLeft(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/runs.avro");
        RunFiles.write(file.toUri(), List.of(run(222), run(555)), new Configuration());
        assertThat(RunFiles.read(file.toUri(), new Configuration())).containsExactly(run(222), run(555));
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    /** Files of earlier versions (deflate), uncompressed ones, and a codec nashpo never writes, refused by name. */
    @Test
    void everyCodecNashpoWroteIsReadAndOthersAreRefusedByName(@TempDir Path dir) throws IOException {
        for (var codec : List.of(org.apache.avro.file.CodecFactory.deflateCodec(6),
                org.apache.avro.file.CodecFactory.nullCodec(), org.apache.avro.file.CodecFactory.snappyCodec())) {
            Path file = dir.resolve(codec + ".avro");
            try (var writer = new org.apache.avro.file.DataFileWriter<>(
                    new org.apache.avro.specific.SpecificDatumWriter<>(TrainingRun.class))) {
                writer.setCodec(codec);
                writer.create(TrainingRun.getClassSchema(), file.toFile());
                writer.append(run(222));
                writer.append(run(555));
            }
            assertThat(RunFiles.read(file.toUri(), new Configuration())).as("codec %s", codec)
                    .containsExactly(run(222), run(555));
        }
        Path bzip = dir.resolve("bzip2.avro");
        try (var writer = new org.apache.avro.file.DataFileWriter<>(
                new org.apache.avro.specific.SpecificDatumWriter<>(TrainingRun.class))) {
            writer.setCodec(org.apache.avro.file.CodecFactory.bzip2Codec());
            writer.create(TrainingRun.getClassSchema(), bzip.toFile());
        }
        assertThatThrownBy(() -> RunFiles.read(bzip.toUri(), new Configuration()))
                .isInstanceOf(RunFiles.CorruptRunFileException.class)
                .hasMessageContaining("bzip2.avro").hasMessageContaining("compressed with bzip2");
    }

    @Test
    void anExistingFileIsNeverOverwritten(@TempDir Path dir) {
        Path file = dir.resolve("runs.avro");
        RunFiles.write(file.toUri(), List.of(run(222)), new Configuration());
        assertThatThrownBy(() -> RunFiles.write(file.toUri(), List.of(run(555)), new Configuration()))
                .hasMessageContaining("already exists");
        assertThat(RunFiles.read(file.toUri(), new Configuration())).containsExactly(run(222));
    }

    @Test
    void truncatedAndForeignFilesAreReportedNotRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.avro");
        RunFiles.write(file.toUri(), List.of(run(222), run(555)), new Configuration());
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.avro");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        assertThatThrownBy(() -> RunFiles.read(truncated.toUri(), new Configuration()))
                .isInstanceOf(RunFiles.CorruptRunFileException.class)
                .hasMessageContaining("truncated.avro").hasMessageContaining("not a readable run file");
        Path foreign = dir.resolve("notes.avro");
        Files.writeString(foreign, "hello");
        assertThatThrownBy(() -> RunFiles.read(foreign.toUri(), new Configuration()))
                .isInstanceOf(RunFiles.CorruptRunFileException.class).hasMessageContaining("notes.avro");
        assertThatThrownBy(() -> RunFiles.read(dir.resolve("missing.avro").toUri(), new Configuration()))
                .hasMessageContaining("does not exist");
    }

    /**
     * Every byte after the header flipped in turn (block counts and sizes, compressed data, the
     * block's CRC-32, the sync marker): never a record with other numbers, always a corrupt file
     * named with what is wrong; a byte of the schema's JSON, a damaged header.
     */
    @Test
    void aFlippedByteIsReportedAsCorruptNeverReadAsOtherNumbers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.avro");
        RunFiles.write(file.toUri(), List.of(run(222), run(555)), new Configuration());
        byte[] bytes = Files.readAllBytes(file);
        int header = headerLength(bytes);
        Path damaged = dir.resolve("damaged.avro");
        for (int i = header; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= (byte) 0xFF;
            Files.write(damaged, copy);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> RunFiles.read(damaged.toUri(), new Configuration()));
            assertThat(thrown).as("byte %d of %d (header %d) flipped", i, bytes.length, header)
                    .isInstanceOf(RunFiles.CorruptRunFileException.class)
                    .hasMessageContaining("damaged.avro").hasMessageContaining("corrupt")
                    .hasMessageNotContaining("Exception");
        }
        byte[] copy = bytes.clone();
        int brace = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("{\"type\"");
        copy[brace] ^= (byte) 0xFF;
        Files.write(damaged, copy);
        assertThatThrownBy(() -> RunFiles.read(damaged.toUri(), new Configuration()))
                .isInstanceOf(RunFiles.CorruptRunFileException.class)
                .hasMessageContaining("damaged.avro is not a readable run file: its header is corrupt");
    }

    /** Where the first block starts: after the magic, the metadata map and the 16-byte sync marker. */
    private static int headerLength(byte[] file) throws IOException {
        var in = new java.io.ByteArrayInputStream(file);
        var decoder = org.apache.avro.io.DecoderFactory.get().directBinaryDecoder(in, null);
        decoder.readFixed(new byte[4]);
        for (long n = decoder.readMapStart(); n != 0; n = decoder.mapNext()) {
            for (long i = 0; i < n; i++) {
                decoder.skipString();
                decoder.skipBytes();
            }
        }
        decoder.readFixed(new byte[16]);
        return file.length - in.available();
    }
}
