package org.nashpo.spark.aggregate;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.spark.construct.ConstructPlan;

/**
 * Writes the part files of a benchmark table on any Hadoop FileSystem from rows already encoded as
 * Avro binary (what travels between Spark tasks), and describes each as the manifest lists it: path,
 * records, bytes and SHA-256, computed while writing. The sync marker of each file is derived from
 * the table, the part number and a caller's salt, so the same rows give the same bytes.
 */
public final class TableFiles {

    private TableFiles() {
    }

    /** One writer and one reader per record type: building one looks up the schema's classes (it runs per row). */
    private static final ClassValue<SpecificDatumWriter<SpecificRecord>> WRITERS = new ClassValue<>() {
        @Override
        protected SpecificDatumWriter<SpecificRecord> computeValue(Class<?> type) {
            return new SpecificDatumWriter<>(org.apache.avro.specific.SpecificData.get().getSchema(type));
        }
    };
    private static final ClassValue<SpecificDatumReader<?>> READERS = new ClassValue<>() {
        @Override
        protected SpecificDatumReader<?> computeValue(Class<?> type) {
            return new SpecificDatumReader<>(type);
        }
    };

    /** The Avro binary encoding of a record (no container). */
    public static byte[] encode(SpecificRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            WRITERS.get(record.getClass()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + record.getSchema().getName(), e);
        }
        return bytes.toByteArray();
    }

    /** Decodes what {@link #encode} wrote. */
    public static <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) {
        try {
            @SuppressWarnings("unchecked")
            SpecificDatumReader<T> reader = (SpecificDatumReader<T>) READERS.get(type);
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException("decoding " + type.getSimpleName(), e);
        }
    }

    /**
     * Writes {@code rows} (each the binary encoding of a record of {@code schema}) to
     * {@code root/table/part-NNNNN.avro}.
     *
     * @param hadoopProperties the job's Hadoop settings (this runs on executors)
     */
    public static BenchmarkFile writePart(Map<String, String> hadoopProperties, String root, String table, int part,
            String schema, String salt, Iterator<byte[]> rows) {
        String name = String.format("part-%05d%s", part, BenchmarkLayout.DATA_FILE_SUFFIX);
        Path file = new Path(new Path(root, table), name);
        try {
            FileSystem fs = file.getFileSystem(ConstructPlan.hadoopConfiguration(hadoopProperties));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long records = 0;
            Counting counted;
            // a retried task writes the same bytes over what a lost attempt left
            try (OutputStream raw = fs.create(file, true)) {
                counted = new Counting(new DigestOutputStream(raw, sha));
                Schema parsed = new Schema.Parser().parse(schema);
                try (DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<>(parsed))) {
                    writer.setCodec(CodecFactory.nullCodec());
                    writer.create(parsed, counted, syncMarker(table + '\n' + part + '\n' + salt));
                    while (rows.hasNext()) {
                        writer.appendEncoded(ByteBuffer.wrap(rows.next()));
                        records++;
                    }
                }
            }
            return new BenchmarkFile(table + "/" + name, table, records, counted.count,
                    HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static byte[] syncMarker(String seed) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(digest, DataFileConstants.SYNC_SIZE);
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
