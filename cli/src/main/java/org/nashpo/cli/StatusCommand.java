package org.nashpo.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.spec.RunCost;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.worker.io.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "What a spec's output holds: done, missing, diverged, failed, unreadable — without training.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "The benchmark spec (YAML).")
    private String specFile;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /**
     * What {@code nashpo status --json} prints.
     *
     * @param remainingSeconds the predicted time of the missing and failed runs, summed over runs (one
     *     executor slot's seconds), by the cost model calibrated on the completed runs; null when there
     *     are none to calibrate on
     * @param otherProtocols records in the output made under another protocol id (an older recipe,
     *     other data or another network), by protocol id: never counted as done, never read as
     *     this protocol's results; construct trains this protocol's runs beside them, aggregate leaves them
     *     out unless asked for their protocol
     */
    record Status(String spec, String output, String protocolId, int planned, int completed, int diverged, int failed,
            int missing, List<String> unreadable, Double remainingSeconds, Map<String, Integer> otherProtocols) {
    }

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        SpecPlanning planning = SpecPlanning.of(specFile, hadoop);
        RunStore.Scan scan = new RunStore(planning.spec().output(), hadoop).scan(8);
        int completed = 0;
        int diverged = 0;
        int failed = 0;
        int missing = 0;
        for (RunKey key : planning.keys()) {
            TrainingRun run = scan.runs().get(key);
            if (run == null) {
                missing++;
            } else if (run.getStatus() == RunStatus.COMPLETED) {
                completed++;
            } else if (run.getStatus() == RunStatus.DIVERGED) {
                diverged++;
            } else {
                failed++;
            }
        }
        List<RunCost> measured = ConstructJob.measured(scan, planning.protocol());
        Double remaining = null;
        if (!measured.isEmpty()) {
            CostModel cost = CostModel.UNCALIBRATED.calibrate(measured, planning.protocol());
            remaining = planning.keys().stream().filter(k -> !scan.isDone(k))
                    .mapToDouble(k -> cost.predictedSeconds(k, planning.protocol())).sum();
        }
        Map<String, Integer> otherProtocols = new TreeMap<>();
        for (RunKey key : scan.runs().keySet()) {
            if (!key.protocolId().equals(planning.protocol().id())) {
                otherProtocols.merge(key.protocolId(), 1, Integer::sum);
            }
        }
        Status s = new Status(specFile, planning.spec().output().toString(), planning.protocol().id(),
                planning.keys().size(), completed, diverged, failed, missing, scan.unreadable(), remaining,
                otherProtocols);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, s);
        } else {
            out.printf("%s → %s%n", specFile, s.output());
            out.printf("planned %d  completed %d  diverged %d  failed %d  missing %d  unreadable files %d%n",
                    s.planned(), completed, diverged, failed, missing, s.unreadable().size());
            s.unreadable().forEach(u -> out.println("unreadable: " + u));
            otherProtocols.forEach((id, n) -> out.printf("%d run%s of another protocol (%s: an older recipe, other data "
                    + "or another network) not counted; construct trains this protocol's (%s) beside them, and "
                    + "aggregate leaves them out unless given --protocol %s%n", n, n == 1 ? "" : "s", id,
                    planning.protocol().id(), id));
            if (remaining != null) {
                out.printf("left to train: about %.1f executor-slot hours (cost model calibrated on %d completed runs)%n",
                        remaining / 3600, measured.size());
            }
        }
        return Main.EXIT_OK;
    }
}
