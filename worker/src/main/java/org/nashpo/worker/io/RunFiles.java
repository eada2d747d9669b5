package org.nashpo.worker.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.schema.TrainingRun;

/** Reads and writes run files through Hadoop's FileSystem (file://, hdfs://, s3a://, bare local paths). */
public final class RunFiles {

    private RunFiles() {
    }

    /**
     * Writes the runs to {@code target}: first to a hidden temporary file beside it, then renamed,
     * so a crash leaves no partial file under the final name. An existing target is an error: run
     * files are never overwritten.
     */
    public static void write(URI target, List<TrainingRun> runs, Configuration conf) {
        Path path = new Path(target);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path)) {
                throw new IllegalArgumentException("run file " + path + " already exists; run files are never overwritten");
            }
            Path parent = path.getParent();
            if (parent != null) {
                fs.mkdirs(parent);
            }
            Path temporary = new Path(parent, "." + path.getName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = fs.create(temporary, false);
                    DataFileWriter<TrainingRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(TrainingRun.class))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                writer.create(TrainingRun.getClassSchema(), out);
                for (TrainingRun run : runs) {
                    writer.append(run);
                }
            } catch (IOException | RuntimeException e) {
                fs.delete(temporary, false);
                throw e;
            }
            if (!fs.rename(temporary, path)) {
                fs.delete(temporary, false);
                throw new IOException("could not rename " + temporary + " to " + path + " (does it exist now?)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing run file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every run of a file. A file that is not an Avro run file, is truncated or corrupt is a
     * {@link CorruptRunFileException} naming the file and what is wrong; nothing of it is returned.
     *
     * <p>Run files are small: the file is read once, whole, and checked and decoded in memory (an
     * output of 160,000 runs is scanned file by file, so every open and stat counts).
     */
    public static List<TrainingRun> read(URI source, Configuration conf) {
        Path path = new Path(source);
        byte[] bytes;
        try (InputStream in = path.getFileSystem(conf).open(path)) {
            bytes = in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("run file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new CorruptRunFileException(path + " is not a readable run file: " + e.getMessage(), e);
        }
        List<TrainingRun> runs = new ArrayList<>();
        try {
            requireEndsWithSync(bytes);
            try (DataFileStream<TrainingRun> reader = new DataFileStream<>(new java.io.ByteArrayInputStream(bytes),
                    new CanonicalReader())) {
                for (TrainingRun run : reader) {
                    runs.add(run);
                }
            }
        } catch (IOException | AvroRuntimeException e) {
            throw new CorruptRunFileException(path + " is not a readable run file (after " + runs.size()
                    + " records): " + e.getMessage(), e);
        }
        return runs;
    }

    /**
     * Avro's reader treats an end of file inside a block as the end of the data, so a truncated
     * file would silently lose its last records. Every complete container file ends with the sync
     * marker its header declares (after the header, or after the last block): check that it does.
     */
    private static void requireEndsWithSync(byte[] file) throws IOException {
        byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
        try {
            BinaryDecoder header = DecoderFactory.get().binaryDecoder(file, null);
            byte[] magic = new byte[DataFileConstants.MAGIC.length];
            header.readFixed(magic);
            if (!Arrays.equals(magic, DataFileConstants.MAGIC)) {
                throw new IOException("not an Avro object container file (no magic bytes)");
            }
            for (long n = header.readMapStart(); n != 0; n = header.mapNext()) {
                for (long i = 0; i < n; i++) {
                    header.skipString();
                    header.skipBytes();
                }
            }
            header.readFixed(sync);
        } catch (java.io.EOFException | AvroRuntimeException e) {
            throw new IOException("the file ends inside its header", e);
        }
        if (file.length < sync.length
                || !Arrays.equals(sync, 0, sync.length, file, file.length - sync.length, file.length)) {
            throw new IOException("the file does not end at a block boundary: it is truncated or has trailing bytes");
        }
    }

    /**
     * Reads {@link TrainingRun}s, resolving each file's writer schema against the current one. Every
     * file carries its schema and Avro caches the resolution per schema object, so the writer schemas
     * seen are kept once each (a handful: one per released schema version) to resolve each only once.
     */
    private static final class CanonicalReader extends SpecificDatumReader<TrainingRun> {
        private static final java.util.Map<org.apache.avro.Schema, org.apache.avro.Schema> SEEN =
                new java.util.concurrent.ConcurrentHashMap<>();

        CanonicalReader() {
            super(TrainingRun.getClassSchema());
        }

        @Override
        public void setSchema(org.apache.avro.Schema writer) {
            super.setSchema(SEEN.size() < 64 ? SEEN.computeIfAbsent(writer, w -> w) : writer);
        }
    }

    /** A run file that cannot be read completely. */
    public static final class CorruptRunFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CorruptRunFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
