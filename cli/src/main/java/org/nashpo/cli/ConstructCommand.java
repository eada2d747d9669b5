package org.nashpo.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.spec.Resources;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.construct.ConstructPlan;
import org.nashpo.spark.construct.Progress;
import org.nashpo.worker.io.OutputLease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "construct", mixinStandardHelpOptions = true,
        description = "Train every run of a benchmark spec that its output does not hold yet, as Spark tasks "
                + "(embedded local[*] unless --master or spark-submit says otherwise).")
final class ConstructCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "The benchmark spec (YAML), e.g. examples/tiny.yaml.")
    private String specFile;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[cores/threadsPerTask]).")
    private String master;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /** What {@code nashpo construct --json} prints. */
    record Summary(String spec, String output, String protocolId, int planned, int skippedAlreadyPresent, int trained,
            int completed, int diverged, int failed, double seconds, List<String> unreadable, CostModel cost) {
    }

    @Override
    public Integer call() {
        Map<String, String> hadoopProperties = ConstructJob.hadoopProperties(new SparkConf());
        SpecPlanning planning = SpecPlanning.of(specFile, ConstructPlan.hadoopConfiguration(hadoopProperties));
        Resources resources = planning.spec().resources().orElse(Resources.DEFAULT);
        ConstructPlan plan = new ConstructPlan(planning.spec().output().toString(), planning.spec().data().uri().toString(),
                planning.protocol(), planning.keys(), planning.spec().specHash(), resources.threadsPerTask(),
                hadoopProperties);
        PrintWriter err = spec.commandLine().getErr();
        // embedded: as many runs at once as the cores allow with the spec's threads per run
        int slots = Math.max(1, Runtime.getRuntime().availableProcessors() / resources.threadsPerTask());
        SparkConf conf = SparkSetup.conf("nashpo construct " + planning.spec().name(), master, "local[" + slots + "]");
        if (resources.gpusPerTask() > 0) {
            conf.setIfMissing("spark.task.resource.gpu.amount", String.valueOf(resources.gpusPerTask()));
        }
        ConstructJob.Summary s;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            s = ConstructJob.run(sc, plan, CostModel.UNCALIBRATED, new StderrProgress(err));
        } catch (OutputLease.HeldException | ConstructJob.Stopped notDone) {
            // another construct is building this output, or this one was stopped: the message says all, no stack trace
            err.println("nashpo construct: " + notDone.getMessage());
            err.flush();
            return Main.EXIT_FAILED;
        }
        Summary summary = new Summary(specFile, plan.output(), planning.protocol().id(), s.planned(), s.skipped(),
                s.trained(), s.completed(), s.diverged(), s.failed(), s.seconds(), s.unreadable(), s.cost());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, summary);
        } else {
            out.printf("%s: %d runs planned, %d already present, %d trained (%d completed, %d diverged, %d failed) "
                    + "in %.1f s → %s%n", specFile, s.planned(), s.skipped(), s.trained(), s.completed(), s.diverged(),
                    s.failed(), s.seconds(), plan.output());
            s.unreadable().forEach(u -> out.println("unreadable: " + u));
        }
        return s.failed() > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    /** One line per finished run on stderr: done/total, diverged, failed, rate, ETA. */
    private record StderrProgress(PrintWriter err) implements Progress {
        @Override
        public void planned(int runs, int alreadyDone, List<String> unreadable) {
            err.printf("construct: %d runs in the spec, %d already in the output, %d to train%n", runs, alreadyDone,
                    runs - alreadyDone);
            unreadable.forEach(u -> err.println("construct: skipping unreadable file: " + u));
            err.flush();
        }

        @Override
        public void note(String message) {
            err.println("construct: " + message);
            err.flush();
        }

        @Override
        public void update(int done, int total, long diverged, long failed, double runsPerHour, double etaSeconds) {
            long eta = Math.round(etaSeconds);
            err.printf("construct: %d/%d runs done, %d diverged, %d failed, %.1f runs/h, ETA %d:%02d:%02d%n", done, total,
                    diverged, failed, runsPerHour, eta / 3600, eta / 60 % 60, eta % 60);
            err.flush();
        }
    }
}
