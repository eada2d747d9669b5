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
                // snappy, not deflate: each block carries a CRC-32 of its data, so a damaged byte is reported as
                // such instead of decoding into other numbers (Avro's deflate blocks have no checksum)
                writer.setCodec(CodecFactory.snappyCodec());
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
            requireWholeBlocks(bytes);
            try (DataFileStream<TrainingRun> reader = new DataFileStream<>(new java.io.ByteArrayInputStream(bytes),
                    new CanonicalReader())) {
                for (TrainingRun run : reader) {
                    runs.add(run);
                }
            }
        } catch (IOException | AvroRuntimeException e) {
            throw new CorruptRunFileException(path + " is not a readable run file: " + damage(e, runs.size())
                    + "; it cannot be read as data (in a construct output, the next construct sets it aside in "
                    + RunStore.UNREADABLE + "/ and trains its run again)", e);
        }
        return runs;
    }

    /** What is wrong with a file Avro could not read, in words, ending with the innermost cause's own message. */
    private static String damage(Exception e, int readBefore) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines()
                .findFirst().orElse("");
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            if (name.endsWith("JsonParseException") || name.endsWith("SchemaParseException")) {
                return "its header is corrupt (the schema it carries does not parse: " + detail + ")";
            }
            if (t instanceof java.util.zip.ZipException || t instanceof java.util.zip.DataFormatException
                    || message.contains("Checksum failure") || message.contains("FAILED_TO_UNCOMPRESS")
                    || name.startsWith("org.xerial.snappy")) {
                return "a data block is corrupt (" + detail + ")";
            }
        }
        return (readBefore == 0 ? "it is corrupt" : "it is corrupt after " + readBefore + " records") + " (" + detail
                + ")";
    }

    /**
     * Avro's reader treats an end of file inside a block, or a block header it cannot read, as the
     * end of the data, so a truncated or damaged file would silently lose records. Every complete
     * container file is its header, then blocks of (record count > 0, byte size, bytes, the sync
     * marker the header declares) up to its last byte: walk them and check that it is.
     */
    private static void requireWholeBlocks(byte[] file) throws IOException {
        byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(file, null);
        try {
            byte[] magic = new byte[DataFileConstants.MAGIC.length];
            in.readFixed(magic);
            if (!Arrays.equals(magic, DataFileConstants.MAGIC)) {
                throw new IOException("not an Avro object container file (no magic bytes)");
            }
            for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                for (long i = 0; i < n; i++) {
                    in.skipString();
                    in.skipBytes();
                }
            }
            in.readFixed(sync);
        } catch (java.io.EOFException | AvroRuntimeException e) {
            throw new IOException("the file ends inside its header: it is truncated", e);
        }
        int blocks = 0;
        try {
            while (!in.isEnd()) {
                long count = in.readLong();
                long size = in.readLong();
                if (count <= 0 || size < 0 || size > file.length) {
                    throw new IOException("block " + (blocks + 1) + " has an impossible header (" + count + " records, "
                            + size + " bytes): the file is corrupt");
                }
                in.skipFixed((int) size);
                byte[] marker = new byte[sync.length];
                in.readFixed(marker);
                if (!Arrays.equals(marker, sync)) {
                    throw new IOException("block " + (blocks + 1) + " does not end at a sync marker: the file is corrupt "
                            + "or truncated");
                }
                blocks++;
            }
        } catch (java.io.EOFException | AvroRuntimeException e) {
            throw new IOException("block " + (blocks + 1) + " runs past the end of the file: the file is truncated "
                    + "or corrupt", e);
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
