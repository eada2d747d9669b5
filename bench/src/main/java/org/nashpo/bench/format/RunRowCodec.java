package org.nashpo.bench.format;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.util.Utf8;
import org.nashpo.schema.BenchmarkRun;

/** Encodes and decodes {@link RunRow}s as {@link BenchmarkRun} records, cellcodes in one space's digits. */
final class RunRowCodec {

    static final Schema SCHEMA = BenchmarkRun.getClassSchema();
    private static final int CELL_CLASS_ID = RowReader.position(SCHEMA, "cellClassId");
    private static final int CELLCODE = RowReader.position(SCHEMA, "cellcode");
    private static final int LEARNING_RATE = RowReader.position(SCHEMA, "learningRate");
    private static final int BATCH_SIZE = RowReader.position(SCHEMA, "batchSize");
    private static final int SEED = RowReader.position(SCHEMA, "seed");
    private static final int EPOCHS = RowReader.position(SCHEMA, "epochs");
    private static final int EPOCHS_COMPLETED = RowReader.position(SCHEMA, "epochsCompleted");
    private static final int PARAMETERS = RowReader.position(SCHEMA, "parameters");
    private static final int MULTIPLY_ADDS = RowReader.position(SCHEMA, "multiplyAdds");
    private static final int TOTAL_TRAIN = RowReader.position(SCHEMA, "totalTrainSeconds");
    private static final int TOTAL_TRAIN_VALID = RowReader.position(SCHEMA, "totalTrainValidSeconds");
    private static final int TOTAL_TEST = RowReader.position(SCHEMA, "totalTestSeconds");
    // the train-set evaluation's time is part of no query: read past, written as null
    private static final int TRAIN_EVAL = RowReader.position(SCHEMA, "trainEvalSeconds");
    private static final int TOTAL_TRAIN_EVAL = RowReader.position(SCHEMA, "totalTrainEvalSeconds");
    /** Schema position → the series stored there, null for scalar fields. */
    private static final Metric[] SERIES_AT = new Metric[SCHEMA.getFields().size()];

    static {
        for (Metric m : Metric.VALUES) {
            SERIES_AT[RowReader.position(SCHEMA, m.field())] = m;
        }
        // Reader.decode reads the fields in this order
        List<String> order = new ArrayList<>(List.of("cellClassId", "cellcode", "learningRate", "batchSize", "seed",
                "epochs", "epochsCompleted", "parameters", "multiplyAdds"));
        Arrays.stream(Metric.VALUES).map(Metric::field).forEach(order::add);
        order.addAll(List.of("totalTrainSeconds", "totalTrainValidSeconds", "totalTestSeconds", "trainEvalSeconds",
                "totalTrainEvalSeconds"));
        if (!order.equals(SCHEMA.getFields().stream().map(Schema.Field::name).toList())) {
            throw new IllegalStateException("BenchmarkRun's fields are not in the order RunRowCodec decodes: " + order);
        }
    }

    private RunRowCodec() {
    }

    static final class Reader extends RowReader<RunRow> {

        private final Cellcodes cellcodes;
        private final Utf8 cellcode = new Utf8();

        Reader(Cellcodes cellcodes) {
            super(SCHEMA);
            this.cellcodes = cellcodes;
        }

        @Override
        void begin(RunRow row) {
            for (Metric m : Metric.VALUES) {
                row.clear(m);
            }
        }

        @Override
        void readField(int position, Decoder in, RunRow row) throws IOException {
            Metric series = SERIES_AT[position];
            if (series != null) {
                for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                    for (long i = 0; i < n; i++) {
                        row.append(series, in.readFloat());
                    }
                }
            } else if (position == CELL_CLASS_ID) {
                row.cellClassId(in.readString(row.cellClassId()));
            } else if (position == CELLCODE) {
                row.cell(cellcodes.index(in.readString(cellcode)));
            } else if (position == LEARNING_RATE) {
                row.learningRate(in.readDouble());
            } else if (position == BATCH_SIZE) {
                row.batchSize(in.readInt());
            } else if (position == SEED) {
                row.seed(in.readInt());
            } else if (position == EPOCHS) {
                row.epochs(in.readInt());
            } else if (position == EPOCHS_COMPLETED) {
                row.epochsCompleted(in.readInt());
            } else if (position == PARAMETERS) {
                row.parameters(in.readLong());
            } else if (position == MULTIPLY_ADDS) {
                row.multiplyAdds(in.readLong());
            } else if (position == TOTAL_TRAIN) {
                row.totalTrainSeconds(in.readFloat());
            } else if (position == TOTAL_TRAIN_VALID) {
                row.totalTrainValidSeconds(in.readFloat());
            } else if (position == TOTAL_TEST) {
                row.totalTestSeconds(in.readFloat());
            } else if (position == TRAIN_EVAL) {
                if (in.readIndex() == 1) {
                    for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                        for (long i = 0; i < n; i++) {
                            in.readFloat();
                        }
                    }
                } else {
                    in.readNull();
                }
            } else if (position == TOTAL_TRAIN_EVAL) {
                if (in.readIndex() == 1) {
                    in.readFloat();
                } else {
                    in.readNull();
                }
            } else {
                throw new IllegalStateException("BenchmarkRun field " + position + " has no decoder");
            }
        }

        @Override
        void decode(BlockDecoder in, RunRow row) {
            row.cellClassId(in.readString(row.cellClassId()));
            row.cell(cellcodes.index(in.readString(cellcode)));
            row.learningRate(in.readDouble());
            row.batchSize(in.readInt());
            row.seed(in.readInt());
            row.epochs(in.readInt());
            row.epochsCompleted(in.readInt());
            row.parameters(in.readLong());
            row.multiplyAdds(in.readLong());
            for (Metric m : Metric.VALUES) {
                for (long n = in.arrayBlock(); n != 0; n = in.arrayBlock()) {
                    for (long i = 0; i < n; i++) {
                        row.append(m, in.readFloat());
                    }
                }
            }
            row.totalTrainSeconds(in.readFloat());
            row.totalTrainValidSeconds(in.readFloat());
            row.totalTestSeconds(in.readFloat());
            if (in.readLong() == 1) {
                for (long n = in.arrayBlock(); n != 0; n = in.arrayBlock()) {
                    for (long i = 0; i < n; i++) {
                        in.readFloat();
                    }
                }
            }
            if (in.readLong() == 1) {
                in.readFloat();
            }
        }

        @Override
        void end(RunRow row) {
            if (!cellcodes.isClassIdOf(row.cellClassId(), row.cell())) {
                throw new IllegalArgumentException("cellClassId " + row.cellClassId() + " is not the class of cellcode "
                        + cellcodes.cellcode(row.cell()) + " (" + cellcodes.classIdOf(row.cell()) + ")");
            }
        }
    }

    static final class Writer implements DatumWriter<RunRow> {

        private final Cellcodes cellcodes;

        Writer(Cellcodes cellcodes) {
            this.cellcodes = cellcodes;
        }

        @Override
        public void setSchema(Schema schema) {
            if (!schema.equals(SCHEMA)) {
                throw new IllegalArgumentException("RunRow writes " + SCHEMA.getFullName() + " only, not " + schema);
            }
        }

        @Override
        public void write(RunRow row, Encoder out) throws IOException {
            for (Schema.Field f : SCHEMA.getFields()) {
                int position = f.pos();
                Metric series = SERIES_AT[position];
                if (series != null) {
                    int n = row.length(series);
                    out.writeArrayStart();
                    out.setItemCount(n);
                    for (int i = 0; i < n; i++) {
                        out.startItem();
                        out.writeFloat(row.value(series, i));
                    }
                    out.writeArrayEnd();
                } else if (position == CELL_CLASS_ID) {
                    out.writeString(cellcodes.classIdOf(row.cell()));
                } else if (position == CELLCODE) {
                    out.writeString(cellcodes.cellcode(row.cell()));
                } else if (position == LEARNING_RATE) {
                    out.writeDouble(row.learningRate());
                } else if (position == BATCH_SIZE) {
                    out.writeInt(row.batchSize());
                } else if (position == SEED) {
                    out.writeInt(row.seed());
                } else if (position == EPOCHS) {
                    out.writeInt(row.epochs());
                } else if (position == EPOCHS_COMPLETED) {
                    out.writeInt(row.epochsCompleted());
                } else if (position == PARAMETERS) {
                    out.writeLong(row.parameters());
                } else if (position == MULTIPLY_ADDS) {
                    out.writeLong(row.multiplyAdds());
                } else if (position == TOTAL_TRAIN) {
                    out.writeFloat(row.totalTrainSeconds());
                } else if (position == TOTAL_TRAIN_VALID) {
                    out.writeFloat(row.totalTrainValidSeconds());
                } else if (position == TOTAL_TEST) {
                    out.writeFloat(row.totalTestSeconds());
                } else if (position == TRAIN_EVAL || position == TOTAL_TRAIN_EVAL) {
                    out.writeIndex(0);
                    out.writeNull();
                } else {
                    throw new IllegalStateException("BenchmarkRun field " + f.name() + " has no encoder");
                }
            }
        }
    }
}
