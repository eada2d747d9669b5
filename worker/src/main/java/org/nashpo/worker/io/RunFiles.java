package org.nashpo.worker.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.schema.TrainingRun;
import org.nashpo.schema.TrainingRunVersions;

/** Reads and writes run files through Hadoop's FileSystem (file://, hdfs://, s3a://, bare local paths). */
public final class RunFiles {

    private RunFiles() {
    }

    /**
     * Publishes the runs as the run file {@code target} ({@link Staged}): written under a hidden staging
     * name beside it, then renamed onto it in one step that refuses an existing file, so that no reader
     * sees a half-written file and of two writers of one target exactly one succeeds. Run files are never
     * overwritten: a target that exists, before or by another writer meanwhile, is an
     * {@link IllegalArgumentException} naming it, and nothing of this write is left.
     */
    public static void write(URI target, List<TrainingRun> runs, Configuration conf) {
        Path path = new Path(target);
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("opening the file system of " + path + ": " + e.getMessage(), e);
        }
        write(fs, path, runs);
    }

    /** {@link #write(URI, List, Configuration)} through a given file system (e.g. {@link LocalFiles#withoutForks}). */
    public static void write(FileSystem fs, Path path, List<TrainingRun> runs) {
        Staged staged = Staged.beside(fs, path);
        try {
            create(fs, staged.path(), runs);
        } catch (IOException e) {
            staged.abandon();
            throw new UncheckedIOException("writing run file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            staged.abandon();
            throw e;
        }
        if (!staged.publish(Staged.IfExists.KEEP)) {
            throw new IllegalArgumentException("run file " + path + " already exists; run files are never overwritten");
        }
    }

    /** Writes the runs as a new file at {@code path}, which must not exist (a staging path: callers publish it). */
    static void create(FileSystem fs, Path path, List<TrainingRun> runs) throws IOException {
        try (OutputStream out = fs.create(path, false);
                DataFileWriter<TrainingRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(TrainingRun.class))) {
            // snappy, not deflate: each block carries a CRC-32 of its data, so a damaged byte is reported as
            // such instead of decoding into other numbers (Avro's deflate blocks have no checksum)
            writer.setCodec(CodecFactory.snappyCodec());
            writer.create(TrainingRun.getClassSchema(), out);
            for (TrainingRun run : runs) {
                writer.append(run);
            }
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
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("opening the file system of " + path + ": " + e.getMessage(), e);
        }
        return read(fs, path);
    }

    /**
     * {@link #read(URI, Configuration)} through a file system already at hand: a reader of many files
     * builds its Hadoop configuration once (building one parses Hadoop's XML defaults: milliseconds).
     */
    public static List<TrainingRun> read(FileSystem fs, Path path) {
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
            bytes = in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("run file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new CorruptRunFileException(path + " is not a readable run file: " + e.getMessage(), e);
        }
        List<TrainingRun> runs = new ArrayList<>();
        try {
            requireWholeBlocks(bytes);
            decode(bytes, runs);
        } catch (IOException | AvroRuntimeException e) {
            throw new CorruptRunFileException(path + " is not a readable run file: " + damage(e, runs.size())
                    + "; it cannot be read as data (in a construct output, the next construct sets it aside in "
                    + RunStore.UNREADABLE + "/ and trains its run again)", e);
        }
        return runs;
    }

    /** What is wrong with a file Avro could not read, in words, ending with the innermost cause's own message. */
    private static String damage(Exception e, int readBefore) {
        // the innermost cause that says something (an EOFException says nothing; what wraps it does)
        Throwable root = e;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null || root.getMessage() == null) {
                root = t;
            }
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines()
                .findFirst().orElse("");
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            if (name.endsWith("JsonParseException") || name.endsWith("SchemaParseException")) {
                return "its header is corrupt (the schema it carries does not parse: " + detail + ")";
            }
            if (message.startsWith("its header is corrupt")) {
                return message;
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
        } catch (java.io.EOFException | RuntimeException e) {
            // Avro's decoder meets damaged bytes with its own runtime exceptions and with Java's (a map count
            // past its collection limit is an UnsupportedOperationException): all of them say the same here
            throw new IOException("its header runs past the end of the file: the file is truncated or its header "
                    + "corrupt", e);
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
        } catch (java.io.EOFException | RuntimeException e) {
            throw new IOException("block " + (blocks + 1) + " runs past the end of the file: the file is truncated "
                    + "or corrupt", e);
        }
    }

    /**
     * A reader per accepted writer schema seen, by the JSON text a file's header carries (a handful: one per
     * released schema version). Avro's own file reader parses each file's schema and resolves it
     * against the reader's again, which took a third of the time of reading 160,000 small run files.
     * Avro's datum readers may be shared between threads.
     */
    private static final java.util.Map<String, SpecificDatumReader<TrainingRun>> READERS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_WRITER_SCHEMAS = 64;

    /**
     * Decodes the records of a container file {@link #requireWholeBlocks} has checked: its header's
     * schema and codec, then each block decompressed by Avro's codec (snappy checks its CRC-32) and
     * decoded record by record, every byte of the block used.
     */
    private static void decode(byte[] file, List<TrainingRun> runs) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(file, null);
        in.skipFixed(DataFileConstants.MAGIC.length);
        String schema = null;
        String codec = null;
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                String key = in.readString();
                byte[] value = in.readBytes(null).array();
                if (key.equals(DataFileConstants.SCHEMA)) {
                    schema = new String(value, java.nio.charset.StandardCharsets.UTF_8);
                } else if (key.equals(DataFileConstants.CODEC)) {
                    codec = new String(value, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        if (schema == null) {
            throw new IOException("its header is corrupt (it carries no schema)");
        }
        if (codec == null) {
            // Avro writes the codec's name into every file, even "null": a header without it is damaged
            throw new IOException("its header is corrupt (it names no codec)");
        }
        in.skipFixed(DataFileConstants.SYNC_SIZE);
        if (!codec.equals(DataFileConstants.SNAPPY_CODEC) && !codec.equals(DataFileConstants.DEFLATE_CODEC)
                && !codec.equals(DataFileConstants.NULL_CODEC)) {
            throw new IOException("its blocks are compressed with " + codec + ", a codec nashpo never writes (it "
                    + "reads snappy, deflate and null)");
        }
        SpecificDatumReader<TrainingRun> reader = reader(schema);
        BinaryDecoder records = null;
        while (!in.isEnd()) {
            long count = in.readLong();
            int size = (int) in.readLong();
            byte[] block = new byte[size];
            in.readFixed(block);
            in.skipFixed(DataFileConstants.SYNC_SIZE);
            byte[] data = decompress(codec, block);
            records = DecoderFactory.get().binaryDecoder(data, records);
            for (long r = 0; r < count; r++) {
                runs.add(reader.read(null, records));
            }
            if (!records.isEnd()) {
                throw new IOException("a data block is corrupt (it holds more bytes than its " + count + " records)");
            }
        }
    }

    /** A block's data as Avro's codecs write it: snappy (with a CRC-32 of the data after it), deflate or none. */
    private static byte[] decompress(String codec, byte[] block) throws IOException {
        switch (codec) {
            case DataFileConstants.SNAPPY_CODEC -> {
                if (block.length < 4) {
                    throw new IOException("a data block is corrupt (too short for its checksum)");
                }
                byte[] data = new byte[org.xerial.snappy.Snappy.uncompressedLength(block, 0, block.length - 4)];
                org.xerial.snappy.Snappy.uncompress(block, 0, block.length - 4, data, 0);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(data);
                if (java.nio.ByteBuffer.wrap(block, block.length - 4, 4).getInt() != (int) crc.getValue()) {
                    throw new IOException("Checksum failure");
                }
                return data;
            }
            case DataFileConstants.DEFLATE_CODEC -> {
                java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
                try {
                    inflater.setInput(block);
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(block.length * 4);
                    byte[] buffer = new byte[8192];
                    while (!inflater.finished()) {
                        int n = inflater.inflate(buffer);
                        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                            throw new java.util.zip.ZipException("the deflate stream ends early");
                        }
                        out.write(buffer, 0, n);
                    }
                    return out.toByteArray();
                } catch (java.util.zip.DataFormatException e) {
                    throw new java.util.zip.ZipException(e.getMessage());
                } finally {
                    inflater.end();
                }
            }
            default -> {
                return block;
            }
        }
    }

    /**
     * The reader of files written with {@code writerSchema}, which must be exactly one of the TrainingRun
     * versions nashpo wrote ({@link TrainingRunVersions}): Avro's blocks carry checksums, its header does
     * not, and a damaged byte of a field's name would otherwise parse as another schema whose field the
     * reader does not know (and fills with its default, the recorded values silently lost).
     */
    private static SpecificDatumReader<TrainingRun> reader(String writerSchema) throws IOException {
        SpecificDatumReader<TrainingRun> known = READERS.get(writerSchema);
        if (known != null) {
            return known;
        }
        Schema writer;
        try {
            writer = new Schema.Parser().setValidateDefaults(false).parse(writerSchema);
        } catch (AvroRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            // Avro's parser reports most damage as a SchemaParseException, some (a name it cannot resolve) otherwise
            throw new org.apache.avro.SchemaParseException(String.valueOf(e.getMessage()));
        }
        if (TrainingRunVersions.version(writer).isEmpty()) {
            throw new IOException("its header is corrupt or foreign (the schema it carries is none of the TrainingRun "
                    + "versions nashpo writes, " + String.join(", ", TrainingRunVersions.names()) + ")");
        }
        SpecificDatumReader<TrainingRun> reader = new SpecificDatumReader<>(writer, TrainingRun.getClassSchema());
        if (READERS.size() < MAX_WRITER_SCHEMAS) {
            SpecificDatumReader<TrainingRun> first = READERS.putIfAbsent(writerSchema, reader);
            return first != null ? first : reader;
        }
        return reader;
    }

    /** A run file that cannot be read completely. */
    public static final class CorruptRunFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CorruptRunFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
