package org.nashpo.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.schema.TrainingRunVersions;

/**
 * A run file's header (magic, schema, codec, sync marker) has no checksum of its own: a damaged byte
 * there must make the file refused, never read with another schema. RunFilesTest flips every byte of
 * the blocks; this flips every byte of the header.
 */
class RunFileHeaderTest {

    @Test
    void everyByteOfTheHeaderFlippedIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.avro");
        RunFiles.write(file.toUri(), List.of(RunFilesTest.run(222), RunFilesTest.run(555)), new Configuration());
        byte[] bytes = Files.readAllBytes(file);
        int header = headerLength(bytes);
        assertThat(header).as("the header holds the schema's JSON").isGreaterThan(1000);
        // through the raw local file system: no checksum files to keep in step with each damaged copy
        FileSystem raw = FileSystem.getLocal(new Configuration()).getRaw();
        Path damaged = dir.resolve("damaged.avro");
        org.apache.hadoop.fs.Path damagedPath = new org.apache.hadoop.fs.Path(damaged.toUri());
        for (int i = 0; i < header; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= (byte) 0xFF;
            Files.write(damaged, copy);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> RunFiles.read(raw, damagedPath));
            assertThat(thrown).as("byte %d of the %d-byte header flipped", i, header)
                    .isInstanceOf(RunFiles.CorruptRunFileException.class)
                    .hasMessageContaining("damaged.avro").hasMessageContaining("corrupt")
                    .hasMessageNotContaining("Exception");
        }
        assertThat(RunFiles.read(raw, new org.apache.hadoop.fs.Path(file.toUri())))
                .containsExactly(RunFilesTest.run(222), RunFilesTest.run(555));
    }

    /**
     * The damage that was read as data: one letter of a field's name, which still parses as a schema
     * (Avro then drops the field as unknown to the reader and fills in its default).
     */
    @Test
    void aFieldRenamedByOneByteIsRefusedNotReadWithTheFieldMissing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.avro");
        RunFiles.write(file.toUri(), List.of(RunFilesTest.run(222)), new Configuration());
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String name = "\"name\":\"trainEvalTimeSeconds\"";
        assertThat(text).contains(name);
        Path renamed = dir.resolve("renamed.avro");
        Files.write(renamed, text.replace(name, "\"name\":\"tsainEvalTimeSeconds\"").getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> RunFiles.read(renamed.toUri(), new Configuration()))
                .isInstanceOf(RunFiles.CorruptRunFileException.class)
                .hasMessageContaining("renamed.avro is not a readable run file: its header is corrupt or foreign")
                .hasMessageContaining("none of the TrainingRun versions nashpo writes, v1, v2, v3");
    }

    /** Every archived version's schema (and so the files of earlier releases) is accepted as it was written. */
    @Test
    void theSchemaOfEveryReleasedVersionIsAccepted(@TempDir Path dir) throws IOException {
        List<Schema> archived = TrainingRunVersions.archived();
        assertThat(archived).hasSizeGreaterThanOrEqualTo(3);
        for (int v = 0; v < archived.size(); v++) {
            Path file = dir.resolve("v" + (v + 1) + ".avro");
            try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(archived.get(v)))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                writer.create(archived.get(v), file.toFile());
            }
            assertThat(RunFiles.read(file.toUri(), new Configuration())).as("a file of v%d", v + 1).isEmpty();
        }
    }

    /** Where the first block starts: after the magic, the metadata map and the 16-byte sync marker. */
    private static int headerLength(byte[] file) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        var decoder = DecoderFactory.get().directBinaryDecoder(in, null);
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
