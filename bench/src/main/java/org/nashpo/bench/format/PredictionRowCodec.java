package org.nashpo.bench.format;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.util.Utf8;
import org.nashpo.schema.SurrogatePrediction;

/**
 * Encodes and decodes {@link PredictionRow}s as {@link SurrogatePrediction} records, cellcodes in one
 * space's digits.
 */
final class PredictionRowCodec {

    static final Schema SCHEMA = SurrogatePrediction.getClassSchema();
    private static final int CELLCODE = RowReader.position(SCHEMA, "cellcode");
    private static final int LEARNING_RATE = RowReader.position(SCHEMA, "learningRate");
    private static final int BATCH_SIZE = RowReader.position(SCHEMA, "batchSize");
    private static final int EPOCHS = RowReader.position(SCHEMA, "epochs");
    private static final int MEAN_TEST_ACCURACY = RowReader.position(SCHEMA, "meanTestAccuracy");

    static {
        // Reader.decode reads the fields in this order
        List<String> order = List.of("cellcode", "learningRate", "batchSize", "epochs", "meanTestAccuracy");
        if (!order.equals(SCHEMA.getFields().stream().map(Schema.Field::name).toList())) {
            throw new IllegalStateException("SurrogatePrediction's fields are not in the order PredictionRowCodec "
                    + "decodes: " + order);
        }
    }

    private PredictionRowCodec() {
    }

    static final class Reader extends RowReader<PredictionRow> {

        private final Cellcodes cellcodes;
        private final Utf8 cellcode = new Utf8();

        Reader(Cellcodes cellcodes) {
            super(SCHEMA);
            this.cellcodes = cellcodes;
        }

        @Override
        void begin(PredictionRow row) {
            row.cell(-1);
        }

        @Override
        void readField(int position, Decoder in, PredictionRow row) throws IOException {
            if (position == CELLCODE) {
                row.cell(cellcodes.index(in.readString(cellcode)));
            } else if (position == LEARNING_RATE) {
                row.learningRate(in.readDouble());
            } else if (position == BATCH_SIZE) {
                row.batchSize(in.readInt());
            } else if (position == EPOCHS) {
                row.epochs(in.readInt());
            } else if (position == MEAN_TEST_ACCURACY) {
                row.meanTestAccuracy(in.readFloat());
            } else {
                throw new IllegalStateException("SurrogatePrediction field " + position + " has no decoder");
            }
        }

        @Override
        void decode(BlockDecoder in, PredictionRow row) {
            row.cell(cellcodes.index(in.readString(cellcode)));
            row.learningRate(in.readDouble());
            row.batchSize(in.readInt());
            row.epochs(in.readInt());
            row.meanTestAccuracy(in.readFloat());
        }

        @Override
        void end(PredictionRow row) {
            // every field is checked where the row is used
        }
    }

    static final class Writer implements DatumWriter<PredictionRow> {

        private final Cellcodes cellcodes;

        Writer(Cellcodes cellcodes) {
            this.cellcodes = cellcodes;
        }

        @Override
        public void setSchema(Schema schema) {
            if (!schema.equals(SCHEMA)) {
                throw new IllegalArgumentException("PredictionRow writes " + SCHEMA.getFullName() + " only, not " + schema);
            }
        }

        @Override
        public void write(PredictionRow row, Encoder out) throws IOException {
            for (Schema.Field f : SCHEMA.getFields()) {
                int position = f.pos();
                if (position == CELLCODE) {
                    out.writeString(cellcodes.cellcode(row.cell()));
                } else if (position == LEARNING_RATE) {
                    out.writeDouble(row.learningRate());
                } else if (position == BATCH_SIZE) {
                    out.writeInt(row.batchSize());
                } else if (position == EPOCHS) {
                    out.writeInt(row.epochs());
                } else if (position == MEAN_TEST_ACCURACY) {
                    out.writeFloat(row.meanTestAccuracy());
                } else {
                    throw new IllegalStateException("SurrogatePrediction field " + f.name() + " has no encoder");
                }
            }
        }
    }
}
