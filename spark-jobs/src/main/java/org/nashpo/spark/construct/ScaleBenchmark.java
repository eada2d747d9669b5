package org.nashpo.spark.construct;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.core.spec.CostModel;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.train.RunRecords;
import org.nashpo.worker.io.LocalFiles;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.io.RunStore;

/**
 * How long construct takes to decide what is left when the output is large: fills an output with
 * synthetic run records for every key of a spec (the full NAS-HPO-Bench-II spec has 159,984), then
 * runs the construct job on it and times the decision that nothing is left to train.
 *
 * <p>The records are complete, valid runs (one metric row per epoch, provenance, all fields) under a
 * protocol of their own ({@link #SYNTHETIC_CHECKSUMS}), so they can never pass for trained runs.
 */
public final class ScaleBenchmark {

    /** The data checksums of the synthetic protocol: no real data has this checksum. */
    public static final Map<String, String> SYNTHETIC_CHECKSUMS = Map.of("synthetic-runs", "0");

    /**
     * @param runs keys of the spec
     * @param filled records written now (0 when the output already held them all)
     * @param fillSeconds time to write them
     * @param decideSeconds time of the construct job, from listing the output to "nothing left"
     * @param skipped runs the job found already present
     * @param trained runs the job trained (must be 0)
     */
    public record Result(String output, int runs, int filled, double fillSeconds, double decideSeconds, int skipped,
            int trained, List<String> unreadable) {
        public Result {
            unreadable = List.copyOf(unreadable);
        }
    }

    private ScaleBenchmark() {
    }

    /** The protocol the synthetic records are written under. */
    public static TrainingProtocol protocol(BenchmarkSpec spec) {
        return spec.protocolOnFullData(SYNTHETIC_CHECKSUMS);
    }

    /**
     * Writes the records the output lacks, with {@code threads} writers.
     *
     * @param progress told the number written so far, every 1,000
     * @return how many were written
     */
    public static int fill(RunStore store, List<RunKey> keys, TrainingProtocol protocol, int threads,
            org.apache.hadoop.conf.Configuration conf, IntConsumer progress) {
        // a run's file is written where none is (run files are never overwritten): known from the names alone,
        // so the construct job after the fill is the first to read the records, as a user's construct is
        java.util.Set<String> present = new java.util.HashSet<>(store.runFileNames());
        List<RunKey> missing = keys.stream().filter(k -> !present.contains(k.id() + ".avro")).toList();
        AtomicInteger written = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // a local output is written without forking chmod per file (LocalFiles): 60 files/s become thousands
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(store.output());
        try (org.apache.hadoop.fs.FileSystem fs = "file".equals(root.toUri().getScheme())
                ? LocalFiles.withoutForks(conf) : null) {
            List<Future<?>> futures = new ArrayList<>();
            int chunk = Math.max(1, (missing.size() + threads - 1) / threads);
            for (int from = 0; from < missing.size(); from += chunk) {
                List<RunKey> part = missing.subList(from, Math.min(missing.size(), from + chunk));
                futures.add(pool.submit(() -> {
                    for (RunKey k : part) {
                        var target = new org.apache.hadoop.fs.Path(root, RunStore.RUNS + "/" + k.id() + ".avro");
                        if (fs != null) {
                            RunFiles.write(fs, target, List.of(record(k, protocol)));
                        } else {
                            RunFiles.write(target.toUri(), List.of(record(k, protocol)), conf);
                        }
                        int n = written.incrementAndGet();
                        if (n % 1000 == 0) {
                            progress.accept(n);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing synthetic runs", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("writing synthetic runs into " + store.output() + ": " + e.getCause(), e.getCause());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("closing the local file system: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return written.get();
    }

    /** Fills the output and times construct's decision on it. */
    public static Result run(JavaSparkContext sc, BenchmarkSpec spec, URI output, int threads, IntConsumer progress) {
        TrainingProtocol protocol = protocol(spec);
        List<RunKey> keys = spec.expand(protocol);
        ConstructPlan plan = new ConstructPlan(output.toString(), spec.data().uri().toString(), protocol, keys,
                spec.specHash(), 1, ConstructJob.hadoopProperties(sc.getConf()));
        RunStore store = new RunStore(output, plan.hadoopConfiguration());
        long start = System.nanoTime();
        int filled = fill(store, keys, protocol, threads, plan.hadoopConfiguration(), progress);
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        ConstructJob.Summary s = ConstructJob.run(sc, plan, CostModel.UNCALIBRATED, Progress.NONE);
        return new Result(output.toString(), keys.size(), filled, fillSeconds, s.seconds(), s.skipped(), s.trained(),
                s.unreadable());
    }

    /** A complete, plausible record of a run that was never trained. */
    static TrainingRun record(RunKey key, TrainingProtocol protocol) {
        var shape = protocol.network();
        NetworkCost cost = NetworkCost.of(key.cellcode(), shape);
        List<EpochMetrics> epochs = new ArrayList<>(key.epochs());
        for (int e = 0; e < key.epochs(); e++) {
            double progress = (e + 1.0) / key.epochs();
            double accuracy = 10 + 80 * progress;
            epochs.add(new EpochMetrics(e, key.learningRate() * (1 + Math.cos(Math.PI * e / key.epochs())) / 2,
                    2.3 * (1 - 0.8 * progress), accuracy, 2.3 * (1 - 0.7 * progress), accuracy - 5,
                    2.3 * (1 - 0.7 * progress), accuracy - 6, 60.0, 20.0, 8.0, 20.0));
        }
        Instant now = Instant.ofEpochMilli(0);
        Provenance provenance = Provenance.newBuilder().setNashpoVersion("synthetic").setGitCommit(null)
                .setJavaVersion(Runtime.version().toString()).setOs("synthetic").setCpu("synthetic").setHost("synthetic")
                .setExecutorId(null).setDevice("cpu").setDeviceName(null).setAssignedGpu(null).setBackend("synthetic")
                .setLibraryVersions(Map.of()).setDataChecksums(protocol.dataChecksums()).setRngSeed(key.seed())
                .setSpecHash(null).setStartedAt(now).setFinishedAt(now).build();
        return TrainingRun.newBuilder()
                .setKey(RunRecords.keyRecord(key))
                .setNetwork(RunRecords.networkRecord(shape))
                .setData(RunRecords.dataRecord("synthetic:", protocol))
                .setPerEpoch(epochs)
                .setParameters(cost.parameters())
                .setMultiplyAdds(cost.multiplyAdds())
                .setTotalTimeSeconds(88.0 * key.epochs())
                .setStatus(RunStatus.COMPLETED)
                .setStatusReason(null)
                .setProvenance(provenance)
                .build();
    }
}
