package org.nashpo.spark.aggregate;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nashpo.core.bench.BenchmarkRuns;
import org.nashpo.core.run.RunKey;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.spark.construct.ConstructPlan;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.train.RunRecords;

/**
 * One record of a run file as it travels between tasks: its key, whether it is a result, and its
 * benchmark row (Avro binary of {@code BenchmarkRun}); or, for a file or record that cannot be used,
 * only the reason. Not a record: it holds the row's bytes.
 */
final class ParsedRun implements Serializable {

    private static final long serialVersionUID = 1L;

    final String keyId;
    final String protocolId;
    final String cellClassId;
    final String cellcode;
    final double learningRate;
    final int batchSize;
    final int seed;
    final int epochs;
    final boolean failed;
    final boolean diverged;
    final long finishedAt;
    final String file;
    final byte[] row;
    final String invalid;

    private ParsedRun(RunKey key, boolean failed, boolean diverged, long finishedAt, String file, byte[] row) {
        this.keyId = key.id();
        this.protocolId = key.protocolId();
        this.cellClassId = key.cellClassId();
        this.cellcode = key.cellcode().toString();
        this.learningRate = key.learningRate();
        this.batchSize = key.batchSize();
        this.seed = key.seed();
        this.epochs = key.epochs();
        this.failed = failed;
        this.diverged = diverged;
        this.finishedAt = finishedAt;
        this.file = file;
        this.row = row;
        this.invalid = null;
    }

    private ParsedRun(String invalid) {
        this.keyId = null;
        this.protocolId = null;
        this.cellClassId = null;
        this.cellcode = null;
        this.learningRate = 0;
        this.batchSize = 0;
        this.seed = 0;
        this.epochs = 0;
        this.failed = false;
        this.diverged = false;
        this.finishedAt = 0;
        this.file = null;
        this.row = null;
        this.invalid = invalid;
    }

    boolean isValid() {
        return invalid == null;
    }

    /**
     * Every record of one run file. A file that cannot be read completely gives one invalid entry
     * (RunFiles' message names it and what is wrong); so does each record that is not a valid run.
     */
    static List<ParsedRun> read(String file, Map<String, String> hadoopProperties) {
        List<TrainingRun> runs;
        try {
            runs = RunFiles.read(URI.create(file), ConstructPlan.hadoopConfiguration(hadoopProperties));
        } catch (IllegalArgumentException e) {
            return List.of(new ParsedRun(e.getMessage()));
        }
        List<ParsedRun> parsed = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            TrainingRun run = runs.get(i);
            try {
                RunKey key = RunRecords.key(run);
                long finished = run.getProvenance() == null || run.getProvenance().getFinishedAt() == null
                        ? Long.MAX_VALUE : run.getProvenance().getFinishedAt().toEpochMilli();
                if (run.getStatus() == RunStatus.FAILED) {
                    parsed.add(new ParsedRun(key, true, false, finished, file, null));
                } else {
                    byte[] row = TableFiles.encode(BenchmarkRuns.fromTrainingRun(run));
                    parsed.add(new ParsedRun(key, false, run.getStatus() == RunStatus.DIVERGED, finished, file, row));
                }
            } catch (IllegalArgumentException e) {
                parsed.add(new ParsedRun(file + " record " + i + ": not a valid run: " + e.getMessage()));
            }
        }
        return parsed;
    }

    /**
     * Of two records of one key, the one the benchmark keeps: a result beats a failure, then the one
     * finished first (as the construct job's readers keep it), then the one in the file whose name
     * sorts first, then the smaller row bytes: the choice never depends on the order Spark meets them.
     */
    static ParsedRun preferred(ParsedRun a, ParsedRun b) {
        if (a.failed != b.failed) {
            return a.failed ? b : a;
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
        return java.util.Arrays.compare(a.row, b.row) <= 0 ? a : b;
    }

    /** Orders rows of a table: cellcode, learning rate, batch size, seed. */
    String sortKey() {
        return cellcode + '|' + String.format("%024.12f", learningRate) + '|' + String.format("%010d", batchSize) + '|'
                + String.format("%011d", seed);
    }
}
