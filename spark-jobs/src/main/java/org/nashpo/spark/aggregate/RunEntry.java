package org.nashpo.spark.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.format.BenchmarkRuns;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.train.RunRecords;
import scala.Tuple2;

/**
 * One record of a run file as aggregate carries it between tasks: its key, whether its protocol is of this
 * version's recipe, its space, family, data set and split, its status, when it finished, the file it came from, how many valid records of its key it stands for, the network's
 * cost and its benchmark row (Avro binary of {@code BenchmarkRun}); or, for a file or record that
 * cannot be used, only the reason. It travels as bytes ({@link #encode}): Spark ships byte arrays
 * without Java serialization's per-object cost.
 */
final class RunEntry {

    private static final byte RESULT = 0;
    private static final byte DIVERGED = 1;
    private static final byte FAILED = 2;
    private static final byte INVALID = 3;

    /** Separates the cell from the rest of a shuffle key ({@link #shuffleKey}). */
    static final char CELL_END = '\u0000';

    private final byte kind;
    final String invalid;
    final String protocolId;
    /** Whether the record's protocol id is the one its network and data give under this version's recipe. */
    final boolean todaysRecipe;
    final String cellClassId;
    /**
     * The cell trained, by its stable code (CellCode.stableCode: independent of the digit order of the space its
     * record was written in), so that runs of one class from records of two spaces meet and sort together.
     */
    final String cellcode;
    /** The record's space: its operations' spec names, comma-separated, in digit order. */
    final String operations;
    /** The record's network family (spec name). */
    final String family;
    /** The record's data set and split (spec names). */
    final String dataset;
    final String split;
    final double learningRate;
    final int batchSize;
    final int seed;
    final int epochs;
    final long finishedAt;
    final String file;
    /** Valid records of this key merged into this entry (duplicates included). */
    final int records;
    final long parameters;
    final long multiplyAdds;
    /** The benchmark row; null for a failure and for a description decoded without it ({@link #decodeWithoutRow}). */
    final byte[] row;

    private RunEntry(byte kind, String invalid, String protocolId, boolean todaysRecipe, String cellClassId,
            String cellcode,
            String operations, String family, String dataset, String split, double learningRate, int batchSize,
            int seed, int epochs, long finishedAt, String file, int records, long parameters, long multiplyAdds,
            byte[] row) {
        this.kind = kind;
        this.invalid = invalid;
        this.protocolId = protocolId;
        this.todaysRecipe = todaysRecipe;
        this.cellClassId = cellClassId;
        this.cellcode = cellcode;
        this.operations = operations;
        this.family = family;
        this.dataset = dataset;
        this.split = split;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epochs = epochs;
        this.finishedAt = finishedAt;
        this.file = file;
        this.records = records;
        this.parameters = parameters;
        this.multiplyAdds = multiplyAdds;
        this.row = row;
    }

    private static RunEntry invalid(String reason) {
        return new RunEntry(INVALID, reason, null, false, null, null, null, null, null, null, 0, 0, 0, 0, 0, null, 0, 0,
                0, null);
    }

    boolean isValid() {
        return kind != INVALID;
    }

    boolean failed() {
        return kind == FAILED;
    }

    boolean diverged() {
        return kind == DIVERGED;
    }

    /** Whether a valid entry is a run of the protocol named. */
    boolean isOfProtocol(String protocol) {
        return protocolId.equals(protocol);
    }

    /** Whether a valid entry is a run on the data set named (null: any data set). */
    boolean isOf(String dataSet) {
        return dataSet == null || dataSet.equals(dataset);
    }

    /**
     * The entries of one run file, each with its shuffle key. A file that cannot be read completely
     * gives one invalid entry (RunFiles' message names it and what is wrong); so does each record
     * that is not a valid run.
     *
     * @param name the file's name under {@code runs} (ties between duplicates are broken by it)
     */
    static List<Tuple2<String, byte[]>> read(FileSystem fs, Path runs, String name) {
        Path path = new Path(runs, name);
        List<TrainingRun> runsOfFile;
        try {
            runsOfFile = RunFiles.read(fs, path);
        } catch (IllegalArgumentException e) {
            return List.of(invalidEntry(path.toString(), e.getMessage()));
        }
        List<Tuple2<String, byte[]>> entries = new ArrayList<>(runsOfFile.size());
        for (int i = 0; i < runsOfFile.size(); i++) {
            TrainingRun run = runsOfFile.get(i);
            try {
                RunKey key = RunRecords.key(run);
                long finished = run.getProvenance() == null || run.getProvenance().getFinishedAt() == null
                        ? Long.MAX_VALUE : run.getProvenance().getFinishedAt().toEpochMilli();
                boolean failed = run.getStatus() == RunStatus.FAILED;
                byte kind = failed ? FAILED : run.getStatus() == RunStatus.DIVERGED ? DIVERGED : RESULT;
                byte[] row = failed ? null : TableFiles.encode(BenchmarkRuns.fromTrainingRun(run));
                RunEntry entry = new RunEntry(kind, null, key.protocolId(), RunRecords.isOfTodaysRecipe(run),
                        key.cellClassId(), key.cellcode().stableCode(),
                        String.join(",", key.cellcode().space().operationNames()),
                        RunRecords.family(run).specName(), RunRecords.dataset(run).specName(),
                        RunRecords.split(run).specName(), key.learningRate(), key.batchSize(), key.seed(),
                        key.epochs(), finished, name, 1, run.getParameters(), run.getMultiplyAdds(), row);
                entries.add(new Tuple2<>(shuffleKey(entry.cellcode, key.id()), entry.encode()));
            } catch (IllegalArgumentException e) {
                entries.add(invalidEntry(path + " record " + i, path + " record " + i + ": not a valid run: "
                        + e.getMessage()));
            }
        }
        return entries;
    }

    private static Tuple2<String, byte[]> invalidEntry(String where, String reason) {
        // a key of its own, never equal to a run's: invalid entries are listed, not merged
        return new Tuple2<>("\u0001" + where, invalid(reason).encode());
    }

    /** Records of one run key meet in one task, and all runs of a cell in one partition ({@link ByCell}). */
    static String shuffleKey(String stableCode, String keyId) {
        return stableCode + CELL_END + keyId;
    }

    /** The record's space. */
    SearchSpace space() {
        return SearchSpace.ofNames(List.of(operations.split(",")));
    }

    /** The row's cellcode in {@code space}'s digits: the row of a record of another space, rewritten. */
    byte[] rowIn(SearchSpace space, String spaceOperations) {
        if (operations.equals(spaceOperations)) {
            return row;
        }
        BenchmarkRun r = TableFiles.decode(row, BenchmarkRun.class);
        r.setCellcode(space.ofStableCode(cellcode).toString());
        return TableFiles.encode(r);
    }

    /**
     * Of two records of one key, the one the benchmark keeps: a result beats a failure, then the one
     * finished first (as the construct job's readers keep it), then the one in the file whose name
     * sorts first, then the smaller row bytes: the choice never depends on the order Spark meets them.
     * The result stands for the valid records of both.
     */
    static RunEntry preferred(RunEntry a, RunEntry b) {
        RunEntry kept = choose(a, b);
        return new RunEntry(kept.kind, kept.invalid, kept.protocolId, kept.todaysRecipe, kept.cellClassId,
                kept.cellcode, kept.operations, kept.family, kept.dataset, kept.split, kept.learningRate,
                kept.batchSize, kept.seed, kept.epochs, kept.finishedAt, kept.file, a.records + b.records,
                kept.parameters, kept.multiplyAdds, kept.row);
    }

    private static RunEntry choose(RunEntry a, RunEntry b) {
        if (a.failed() != b.failed()) {
            return a.failed() ? b : a;
        }
        if (a.finishedAt != b.finishedAt) {
            return a.finishedAt < b.finishedAt ? a : b;
        }
        int byFile = a.file.compareTo(b.file);
        if (byFile != 0) {
            return byFile < 0 ? a : b;
        }
        if (a.row == null || b.row == null) {
            return a;
        }
        return Arrays.compare(a.row, b.row) <= 0 ? a : b;
    }

    /** Orders rows of a runs table: cell (stable code), learning rate, batch size, seed. */
    String sortKey() {
        return configurationKey() + '|' + formatted("%011d", seed);
    }

    /** Orders the rows of the configurations table: schedule, cell (stable code), learning rate, batch size. */
    String configurationSortKey() {
        return formatted("%010d", epochs) + '|' + configurationKey();
    }

    private String configurationKey() {
        return cellcode + '|' + formatted("%024.12f", learningRate) + '|' + formatted("%010d", batchSize);
    }

    /** The few values a grid has (8 learning rates, 6 batch sizes, seeds, schedules), each formatted once. */
    private static final java.util.Map<String, java.util.Map<Object, String>> FORMATTED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String formatted(String format, Object value) {
        return FORMATTED.computeIfAbsent(format, f -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(value, v -> String.format(format, v));
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(row == null ? 128 : row.length + 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            if (kind == INVALID) {
                out.writeUTF(invalid);
            } else {
                out.writeUTF(protocolId);
                out.writeBoolean(todaysRecipe);
                out.writeUTF(cellClassId);
                out.writeUTF(cellcode);
                out.writeUTF(operations);
                out.writeUTF(family);
                out.writeUTF(dataset);
                out.writeUTF(split);
                out.writeDouble(learningRate);
                out.writeInt(batchSize);
                out.writeInt(seed);
                out.writeInt(epochs);
                out.writeLong(finishedAt);
                out.writeUTF(file);
                out.writeInt(records);
                out.writeLong(parameters);
                out.writeLong(multiplyAdds);
                out.writeInt(row == null ? -1 : row.length);
                if (row != null) {
                    out.write(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a run entry", e);
        }
        return bytes.toByteArray();
    }

    static RunEntry decode(byte[] bytes) {
        return decode(bytes, true);
    }

    /** An entry without its row: what the driver needs to know of it. */
    static RunEntry decodeWithoutRow(byte[] bytes) {
        return decode(bytes, false);
    }

    private static RunEntry decode(byte[] bytes, boolean withRow) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            if (kind == INVALID) {
                return invalid(in.readUTF());
            }
            String protocolId = in.readUTF();
            boolean todaysRecipe = in.readBoolean();
            String cellClassId = in.readUTF();
            String cellcode = in.readUTF();
            String operations = in.readUTF();
            String family = in.readUTF();
            String dataset = in.readUTF();
            String split = in.readUTF();
            double lr = in.readDouble();
            int batch = in.readInt();
            int seed = in.readInt();
            int epochs = in.readInt();
            long finished = in.readLong();
            String file = in.readUTF();
            int records = in.readInt();
            long parameters = in.readLong();
            long multiplyAdds = in.readLong();
            int length = in.readInt();
            byte[] row = length < 0 || !withRow ? null : in.readNBytes(length);
            return new RunEntry(kind, null, protocolId, todaysRecipe, cellClassId, cellcode, operations, family,
                    dataset, split, lr, batch, seed, epochs, finished, file, records, parameters, multiplyAdds, row);
        } catch (IOException e) {
            throw new UncheckedIOException("decoding a run entry", e);
        }
    }

    /** Partitions shuffle keys by the cell they start with, so a configuration's seeds meet in one partition. */
    static final class ByCell extends org.apache.spark.Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByCell(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            String k = (String) key;
            int end = k.indexOf(CELL_END);
            String cell = end < 0 ? k : k.substring(0, end);
            return Math.floorMod(cell.hashCode(), partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByCell b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
