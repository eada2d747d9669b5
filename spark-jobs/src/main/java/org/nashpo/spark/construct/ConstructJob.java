package org.nashpo.spark.construct;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.spec.RunCost;
import org.nashpo.schema.RunStatus;
import org.nashpo.worker.io.OutputLease;
import org.nashpo.worker.io.RunStore;
import scala.Tuple2;

/**
 * Trains the runs of a plan that the output does not hold yet: re-running a finished plan trains
 * nothing, an extended one trains only its new keys. Runs go longest first (by the cost given), one
 * Spark task each, so executors finish together.
 */
public final class ConstructJob {

    private static final String JOB_GROUP = "nashpo-construct";
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\s*(\\d+))?]");

    /**
     * @param planned runs the plan asks for
     * @param skipped already in the output (completed or diverged)
     * @param trained trained now (including those that diverged or failed)
     * @param unreadable output files that could not be read (reported, left in place)
     * @param results what each task reported
     * @param cost the cost model the runs were ordered by, calibrated on the runs already present
     */
    public record Summary(int planned, int skipped, int trained, int completed, int diverged, int failed,
            double seconds, List<String> unreadable, List<TaskResult> results, CostModel cost) {
        public Summary {
            unreadable = List.copyOf(unreadable);
            results = List.copyOf(results);
        }
    }

    /** The runs of a plan that are still to train, longest predicted first. */
    public static List<RunKey> todo(ConstructPlan plan, RunStore.Scan scan, ToDoubleFunction<RunKey> predictedSeconds) {
        List<RunKey> todo = new ArrayList<>();
        for (RunKey k : plan.keys()) {
            if (!scan.isDone(k)) {
                todo.add(k);
            }
        }
        todo.sort(Comparator.comparingDouble(predictedSeconds).reversed().thenComparing(RunKey::id));
        return todo;
    }

    /**
     * The runs of the plan that the output already holds, as measurements for {@link CostModel#calibrate}:
     * completed runs of the plan's protocol (what a run costs depends on the network and the data sizes).
     */
    public static List<RunCost> measured(RunStore.Scan scan, TrainingProtocol protocol) {
        List<RunCost> measured = new ArrayList<>();
        scan.runs().forEach((key, run) -> {
            if (run.getStatus() == RunStatus.COMPLETED && key.protocolId().equals(protocol.id())
                    && run.getTotalTimeSeconds() > 0 && Double.isFinite(run.getTotalTimeSeconds())) {
                measured.add(new RunCost(key, run.getTotalTimeSeconds()));
            }
        });
        return measured;
    }

    /**
     * Trains what the output lacks, longest first by {@code cost} calibrated on the runs the output
     * already holds; the progress's ETA weighs the runs left by their predicted time. The driver holds
     * the output's lease ({@link OutputLease}) meanwhile: another construct on the same output is
     * refused, naming this one, instead of training the same runs.
     *
     * @throws OutputLease.HeldException if a live construct holds the output's lease
     */
    public static Summary run(JavaSparkContext sc, ConstructPlan plan, CostModel cost, Progress progress) {
        try (OutputLease lease = OutputLease.acquire(URI.create(plan.output()), plan.hadoopConfiguration(), sc.appName(),
                OutputLease.DEFAULT_TTL, progress::note)) {
            // a lease lost (taken over after this driver stalled for its time to live) stops the training at once
            lease.onLost(() -> sc.cancelJobGroup(JOB_GROUP));
            try {
                return train(sc, plan, cost, progress);
            } catch (Exception e) {
                // Exception: a cancelled Spark job is a SparkException, which Scala throws undeclared
                if (lease.lost().isPresent()) {
                    throw new IllegalStateException(lease.lost().get() + "; this construct stopped (what it published "
                            + "stays, and the next construct trains what is missing)", e);
                }
                if (ShutdownHookManager.get().isShutdownInProgress()) {
                    throw new Stopped(e);
                }
                throw e;
            }
        }
    }

    /** The driver's JVM is shutting down (SIGTERM: scancel, a time limit, Ctrl-C) and Spark ended the job. */
    public static final class Stopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Stopped(Throwable cause) {
            super("stopped: the driver is shutting down (SIGTERM, as from scancel, a time limit or Ctrl-C); every run "
                    + "published is whole, and the next construct trains what is missing", cause);
        }
    }

    private static Summary train(JavaSparkContext sc, ConstructPlan plan, CostModel cost, Progress progress) {
        long start = System.nanoTime();
        RunStore store = new RunStore(URI.create(plan.output()), plan.hadoopConfiguration());
        RunStore.Scan scan = store.scan(8);
        CostModel calibrated = cost.calibrate(measured(scan, plan.protocol()), plan.protocol());
        ToDoubleFunction<RunKey> predictedSeconds = k -> calibrated.predictedSeconds(k, plan.protocol());
        List<RunKey> todo = todo(plan, scan, predictedSeconds);
        int skipped = plan.keys().size() - todo.size();
        progress.planned(plan.keys().size(), skipped, scan.unreadable());
        List<TaskResult> results = List.of();
        if (!todo.isEmpty()) {
            LongAccumulator diverged = sc.sc().longAccumulator("nashpo.diverged");
            LongAccumulator failed = sc.sc().longAccumulator("nashpo.failed");
            double[] predicted = todo.stream().mapToDouble(predictedSeconds).toArray();
            ProgressListener listener = new ProgressListener(predicted, diverged, failed, progress);
            sc.sc().addSparkListener(listener);
            try {
                sc.setJobGroup(JOB_GROUP, "train " + todo.size() + " runs into " + plan.output(), false);
                sc.setLocalProperty("callSite.short", "nashpo construct: " + todo.size() + " runs");
                results = sc.parallelize(todo, todo.size())
                        .map(new TrainTask(plan, maxAttempts(sc), diverged, failed))
                        .collect();
                listener.finish(results.size());
                store.removeEmptyStaging();
            } finally {
                sc.sc().removeSparkListener(listener);
                sc.clearJobGroup();
            }
        }
        int completed = count(results, "COMPLETED");
        int diverged = count(results, "DIVERGED");
        int failed = count(results, "FAILED");
        return new Summary(plan.keys().size(), skipped, results.size(), completed, diverged, failed,
                (System.nanoTime() - start) / 1e9, scan.unreadable(), results, calibrated);
    }

    /** The {@code spark.hadoop.*} settings of a context, without the prefix, for {@link ConstructPlan}. */
    public static Map<String, String> hadoopProperties(SparkConf conf) {
        Map<String, String> props = new TreeMap<>();
        for (Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) {
            props.put(kv._1(), kv._2());
        }
        return props;
    }

    /** How often Spark runs a task before giving up: local[N] once, local[N,F] F times, clusters spark.task.maxFailures. */
    static int maxAttempts(JavaSparkContext sc) {
        Matcher m = LOCAL.matcher(sc.master());
        if (m.matches()) {
            return m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        }
        return sc.getConf().getInt("spark.task.maxFailures", 4);
    }

    private static int count(List<TaskResult> results, String status) {
        return (int) results.stream().filter(r -> r.status().equals(status)).count();
    }
}
