package org.nashpo.bench.format;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.ResolvingDecoder;

/**
 * Decodes records of one schema into a reusable row buffer, two ways. A file written with exactly
 * that schema (by the bench writer, by the generated classes, or by Spark given it as
 * {@code avroSchema}) is decoded from its blocks' bytes ({@link #readRaw}); any other writer schema
 * Avro can resolve (the nullable unions spark-avro derives, older or newer versions of the schema)
 * goes record by record through Avro's {@link ResolvingDecoder} ({@link #read}), slower but exact.
 */
abstract class RowReader<T> implements DatumReader<T> {

    private final Schema expected;
    private final long expectedFingerprint;
    private Schema writer;
    private ResolvingDecoder resolver;

    RowReader(Schema expected) {
        this.expected = expected;
        this.expectedFingerprint = SchemaNormalization.parsingFingerprint64(expected);
    }

    /** Whether a file with this writer schema can be read with {@link #readRaw}. */
    boolean isExpected(Schema writerSchema) {
        return SchemaNormalization.parsingFingerprint64(writerSchema) == expectedFingerprint;
    }

    @Override
    public void setSchema(Schema writerSchema) {
        this.writer = writerSchema;
        this.resolver = null;
    }

    @Override
    public T read(T row, Decoder in) throws IOException {
        if (resolver == null) {
            try {
                resolver = DecoderFactory.get().resolvingDecoder(writer, expected, null);
            } catch (IOException e) {
                throw new IllegalArgumentException("file schema " + writer.getFullName() + " cannot be read as "
                        + expected.getFullName() + ": " + e.getMessage(), e);
            }
        }
        begin(row);
        resolver.configure(in);
        for (Schema.Field f : resolver.readFieldOrder()) {
            readField(f.pos(), resolver, row);
        }
        resolver.drain();
        end(row);
        return row;
    }

    /** Decodes one record written with exactly the expected schema. */
    final void readRaw(T row, BlockDecoder in) {
        begin(row);
        decode(in, row);
        end(row);
    }

    /** Called before a record's fields are read. */
    abstract void begin(T row);

    /** Reads the field at this position of the expected schema through Avro's decoder. */
    abstract void readField(int position, Decoder in, T row) throws IOException;

    /** Reads every field, in the expected schema's order, from the block's bytes. */
    abstract void decode(BlockDecoder in, T row);

    /** Called after a record's fields are read: check what needs several fields. */
    abstract void end(T row);

    static int position(Schema schema, String field) {
        Schema.Field f = schema.getField(field);
        if (f == null) {
            throw new IllegalStateException(schema.getFullName() + " has no field " + field);
        }
        return f.pos();
    }
}
