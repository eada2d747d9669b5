package org.nashpo.spark.construct;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.util.LongAccumulator;
import org.nashpo.core.run.RunKey;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunStore;
import org.nashpo.worker.train.TrainingSets;
import org.nashpo.worker.train.Provenance;
import org.nashpo.worker.train.RunRecords;
import org.nashpo.worker.train.Trainer;

/**
 * One Spark task = one run: load the data (once per executor JVM), train on the task's GPU or
 * bounded CPU threads, publish the record. An exception is rethrown while Spark can still retry
 * the task; on the last attempt it becomes a FAILED record, so one bad run cannot abort the job
 * and the next construct trains it again. An {@link Error} (out of memory, a CUDA fault) ends the
 * executor instead: it is rethrown as a fatal error, which Spark answers by exiting the executor.
 */
final class TrainTask implements Function<RunKey, TaskResult> {

    private static final long serialVersionUID = 1L;
    /**
     * Per executor JVM, the data of the newest job: every task of a job trains on the same data. A job
     * on other data replaces it (an application that trains on two datasets holds one at a time).
     */
    private static final Map<String, TrainingSets.Loaded> DATA = new ConcurrentHashMap<>();

    private final ConstructPlan plan;
    private final int maxAttempts;
    private final LongAccumulator diverged;
    private final LongAccumulator failed;

    TrainTask(ConstructPlan plan, int maxAttempts, LongAccumulator diverged, LongAccumulator failed) {
        this.plan = plan;
        this.maxAttempts = maxAttempts;
        this.diverged = diverged;
        this.failed = failed;
    }

    @Override
    public TaskResult call(RunKey key) {
        TaskContext task = TaskContext.get();
        String attempt = "stage" + task.stageId() + "-part" + task.partitionId() + "-attempt" + task.attemptNumber();
        String gpu = gpuAddress(task);
        String executor = SparkEnv.get() == null ? null : SparkEnv.get().executorId();
        RunStore store = new RunStore(URI.create(plan.output()), plan.hadoopConfiguration());
        Instant started = Instant.now();
        TrainingRun run;
        try {
            TrainingSets.Loaded data = data(plan.dataUri() + "|" + plan.protocol().id(), this::load);
            run = Trainer.run(key, data.protocol(), data.data(),
                    new Trainer.Placement(executor, gpu, plan.threadsPerTask(), plan.specHash()), m -> { });
        } catch (Error e) {
            throw fatal(e, key.id());
        } catch (RuntimeException e) {
            if (task.attemptNumber() + 1 < maxAttempts) {
                throw e;
            }
            String device = gpu == null || !Backend.isCuda() ? "cpu" : "cuda:" + gpu;
            var provenance = Provenance.collect(executor, gpu, device, plan.protocol().dataChecksums(), key.seed(),
                    plan.specHash(), started, Instant.now());
            run = RunRecords.failed(key, plan.protocol(), plan.dataUri(),
                    "attempt " + (task.attemptNumber() + 1) + " of " + maxAttempts + ": " + e, provenance,
                    (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
        }
        boolean published = store.publish(key, run, attempt);
        if (run.getStatus() == RunStatus.DIVERGED) {
            diverged.add(1);
        } else if (run.getStatus() == RunStatus.FAILED) {
            failed.add(1);
        }
        return new TaskResult(key.id(), run.getStatus().name(), run.getTotalTimeSeconds(), published,
                run.getProvenance().getDevice(), gpu);
    }

    /** The data of {@code key}, loaded once per executor; loading other data first lets go of what was held. */
    static synchronized TrainingSets.Loaded data(String key, java.util.function.Supplier<TrainingSets.Loaded> load) {
        TrainingSets.Loaded held = DATA.get(key);
        if (held == null) {
            DATA.clear();
            held = load.get();
            DATA.put(key, held);
        }
        return held;
    }

    /** Datasets held (tests: at most one). */
    static int dataHeld() {
        return DATA.size();
    }

    /**
     * What an {@link Error} in a run becomes: a fatal error as Spark judges them (a
     * {@link VirtualMachineError}), so the executor exits and its tasks are retried elsewhere. Out of
     * memory or a CUDA fault leaves the executor's state untrustworthy; it is never a FAILED record.
     */
    static VirtualMachineError fatal(Error e, String run) {
        if (e instanceof VirtualMachineError vm) {
            return vm;
        }
        return new InternalError("fatal error in run " + run + ": " + e, e);
    }

    /** Loads the plan's subset; refuses data whose checksums differ from what the driver saw. */
    private TrainingSets.Loaded load() {
        var p = plan.protocol();
        TrainingSets.Loaded loaded = TrainingSets.load(TrainingSets.open(p.network().dataset(), plan.dataUri(),
                plan.hadoopConfiguration()), p.split(), new Subset(p.trainSize(), p.validSize(), p.testSize()),
                p.network());
        if (!loaded.protocol().id().equals(p.id())) {
            throw new IllegalStateException("the data at " + plan.dataUri() + " on this executor is not what the driver "
                    + "planned with (checksums " + loaded.protocol().dataChecksums() + " vs " + p.dataChecksums() + ")");
        }
        return loaded;
    }

    private static String gpuAddress(TaskContext task) {
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }
}
