package org.nashpo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.train.RunRecords;
import org.nashpo.worker.io.RunFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the runs of a run file (any Hadoop FileSystem URI or local path).")
final class ShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "An Avro run file, e.g. runs.avro or hdfs://nn/runs/x.avro.")
    private String file;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        List<TrainingRun> runs = RunFiles.read(Uris.of(file, "FILE"), new Configuration());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            List<Object> records = new ArrayList<>();
            runs.forEach(r -> records.add(plain(r)));
            JsonOutput.print(out, Map.of("file", file, "runs", records));
            return Main.EXIT_OK;
        }
        out.printf("%s: %d run%s%n", file, runs.size(), runs.size() == 1 ? "" : "s");
        for (TrainingRun r : runs) {
            var k = r.getKey();
            out.printf("%n%s  lr %s  batch %d  seed %d  epochs %d  →  %s%s%n", k.getCellcode(), k.getLearningRate(),
                    k.getBatchSize(), k.getSeed(), k.getEpochs(), r.getStatus(),
                    r.getStatusReason() == null ? "" : " (" + r.getStatusReason() + ")");
            if (k.getOperations() != null || r.getNetwork().getFamily() != null) {
                // a cell of another space than NAS-HPO-Bench-II's: its space and its NAS-Bench-201 name
                var cell = RunRecords.key(r).cellcode();
                out.printf("  %s  space %s, %s network%n", cell.nb201String(), cell.space(), RunRecords.family(r));
            }
            out.printf("  class %s  protocol %s  network %d/%d/%d  data %d/%d/%d%n", k.getCellClassId(), k.getProtocolId(),
                    r.getNetwork().getWidth(), r.getNetwork().getCellsPerStage(), r.getNetwork().getStages(),
                    r.getData().getTrainSize(), r.getData().getValidSize(), r.getData().getTestSize());
            var p = r.getProvenance();
            out.printf("  parameters %,d  multiply-adds %,d  total %.1f s  on %s (%s%s%s)%n", r.getParameters(),
                    r.getMultiplyAdds(), r.getTotalTimeSeconds(), p.getHost(), p.getDevice(),
                    p.getExecutorId() == null ? "" : ", executor " + p.getExecutorId(),
                    p.getAssignedGpu() == null ? "" : ", assigned GPU " + p.getAssignedGpu());
            // "train-eval s": the train-set evaluation pass, part of no query's cost; "–" in records
            // before schema v3, whose valid time includes it
            out.printf("  %5s %9s %10s %9s %10s %9s %10s %9s %8s %8s %8s %12s%n", "epoch", "lr", "train loss",
                    "train acc", "valid loss", "valid acc", "test loss", "test acc", "train s", "valid s", "test s",
                    "train-eval s");
            for (EpochMetrics m : r.getPerEpoch()) {
                out.printf("  %5d %9.6f %10.4f %9.2f %10.4f %9.2f %10.4f %9.2f %8.2f %8.2f %8.2f %12s%n", m.getEpoch(),
                        m.getLearningRate(), m.getTrainLoss(), m.getTrainAccuracy(), m.getValidLoss(),
                        m.getValidAccuracy(), m.getTestLoss(), m.getTestAccuracy(), m.getTrainTimeSeconds(),
                        m.getValidTimeSeconds(), m.getTestTimeSeconds(), m.getTrainEvalTimeSeconds() == null ? "–"
                                : String.format("%.2f", m.getTrainEvalTimeSeconds()));
            }
        }
        return Main.EXIT_OK;
    }

    /** An Avro value as plain maps, lists, strings and numbers (Jackson quotes NaN and ∞). */
    static Object plain(Object value) {
        if (value instanceof GenericRecord record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Schema.Field f : record.getSchema().getFields()) {
                map.put(f.name(), plain(record.get(f.pos())));
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(plain(v)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof Number || value instanceof Boolean || value == null) {
            return value;
        }
        return value.toString();
    }
}
