package org.nashpo.cli;

import java.io.PrintWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.CellCode;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.data.DataDirectory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.train.TrainingSets;
import org.nashpo.worker.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one run of the protocol (PROTOCOL.md §3) on the worker's engine (ND4J's declarable ops) and write its record to an Avro run file.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--cellcode", required = true, description = "A|BC|DEF, e.g. 0|10|210.")
    private String cellcode;

    @Option(names = "--lr", required = true, description = "Initial learning rate of the cosine schedule.")
    private double lr;

    @Option(names = "--batch-size", required = true, description = "Minibatch size.")
    private int batchSize;

    @Option(names = "--seed", defaultValue = "222", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    private int seed;

    @Option(names = "--epochs", defaultValue = "12", description = "Schedule length T (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Mixin
    private DataOptions dataOptions;

    @Mixin
    private DatasetOptions dataset;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "How the data set is divided into train, valid and test: nas-hpo-bench-2 (cifar10 only) or "
                    + "nas-bench-201. Default: the data set's (nas-hpo-bench-2 for cifar10, nas-bench-201 for the others).")
    private String split;

    @Option(names = "--test-size", defaultValue = "0", description = "First N test images; 0 = all (default).")
    private int testSize;

    @Mixin
    private SpaceOptions space;

    @Mixin
    private NetworkOptions network;

    @Option(names = "--threads", defaultValue = "0", description = "ND4J threads; 0 = one per core (default).")
    private int threads;

    @Option(names = "--out", required = true, description = "The run file to write (.avro); never overwritten: "
            + "written under a hidden name beside it, then renamed onto it (of two trains to one --out, one writes it).")
    private String out;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /** What {@code nashpo train --json} prints. */
    record Summary(String out, String cellcode, String cellClassId, double learningRate, int batchSize, int seed,
            int epochs, String status, String reason, int epochsDone, Double finalValidAccuracy,
            Double finalTestAccuracy, double totalSeconds, String protocolId) {
    }

    @Override
    public Integer call() {
        CellCode cell = space.searchSpace().parse(cellcode);
        Configuration config = new Configuration(cell, lr, batchSize);
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs: must be ≥ 1, was " + epochs);
        }
        URI target = Uris.of(out, "--out");
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        // refused now rather than after training; the publish refuses it again if another writer takes it meanwhile
        if (exists(target, hadoop)) {
            throw new IllegalArgumentException("--out " + target + " already exists; run files are never overwritten");
        }
        Dataset data = dataset.dataset();
        DataSplit division = split == null ? data.defaultSplit() : DataSplit.bySpecName(split).orElseThrow(() ->
                new IllegalArgumentException("--split " + split + ": unknown split; expected one of "
                        + String.join(", ", DataSplit.specNames())));
        if (!division.supports(data)) {
            throw new IllegalArgumentException("--split " + split + ": divides " + Dataset.CIFAR10 + " only; "
                    + data + " has " + DataSplit.NAS_BENCH_201 + "'s");
        }
        DataDirectory directory = TrainingSets.open(data, dataOptions.data, hadoop);
        Subset all = TrainingSets.available(directory, division);
        Subset subset = new Subset(pick("--train-size", dataOptions.trainSize, all.train()),
                pick("--valid-size", dataOptions.validSize, all.valid()),
                pick("--test-size", testSize, all.test()));
        PrintWriter err = spec.commandLine().getErr();
        err.printf("loading %s: %d train / %d valid / %d test images%n", directory.uri(), subset.train(), subset.valid(),
                subset.test());
        err.flush();
        TrainingSets.Loaded loaded = TrainingSets.load(directory, division, subset,
                network.shape(space.family()).withDataset(data));
        // train exactly the cellcode asked for; the key still names its class
        RunKey key = new RunKey(loaded.protocol().id(), cell.space().classOf(cell).id(), cell,
                config.learningRate(), config.batchSize(), seed, epochs);
        TrainingRun run = Trainer.run(key, loaded.protocol(), loaded.data(),
                new Trainer.Placement(null, null, threads, null), m -> progress(err, m));
        // staged beside --out and renamed onto it in one step that refuses an existing file (Staged)
        RunFiles.write(target, List.of(run), hadoop);

        List<EpochMetrics> done = run.getPerEpoch();
        EpochMetrics last = done.isEmpty() ? null : done.get(done.size() - 1);
        Summary s = new Summary(target.toString(), cell.toString(), key.cellClassId(), lr, batchSize, seed, epochs,
                run.getStatus().name(), run.getStatusReason(), done.size(),
                last == null ? null : last.getValidAccuracy(), last == null ? null : last.getTestAccuracy(),
                run.getTotalTimeSeconds(), key.protocolId());
        PrintWriter stdout = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(stdout, s);
        } else {
            stdout.printf("%s: %s after %d of %d epochs%s; valid %.2f%%, test %.2f%%, %.1f s → %s%n", s.cellcode(),
                    s.status(), s.epochsDone(), epochs, s.reason() == null ? "" : " (" + s.reason() + ")",
                    last == null ? Double.NaN : last.getValidAccuracy(), last == null ? Double.NaN : last.getTestAccuracy(),
                    s.totalSeconds(), s.out());
        }
        return Main.EXIT_OK;
    }

    private static int pick(String option, int asked, int available) {
        if (asked < 0) {
            throw new IllegalArgumentException(option + ": must be ≥ 0 (0 = all available), was " + asked);
        }
        return asked == 0 ? available : asked;
    }

    private static boolean exists(URI target, org.apache.hadoop.conf.Configuration conf) {
        try {
            Path p = new Path(target);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + target + ": " + e.getMessage(), e);
        }
    }

    private static void progress(PrintWriter err, EpochMetrics m) {
        double trainEval = m.getTrainEvalTimeSeconds() == null ? 0 : m.getTrainEvalTimeSeconds();
        err.printf("epoch %d: lr %.5f  train loss %.4f acc %.2f%%  valid %.2f%%  test %.2f%%  (%.1f s)%n", m.getEpoch() + 1,
                m.getLearningRate(), m.getTrainLoss(), m.getTrainAccuracy(), m.getValidAccuracy(), m.getTestAccuracy(),
                m.getTrainTimeSeconds() + trainEval + m.getValidTimeSeconds() + m.getTestTimeSeconds());
        err.flush();
    }
}
