package org.nashpo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.data.Cifar10Directory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.nas.AsngNas;
import org.nashpo.worker.nas.SearchLog;
import org.nashpo.worker.nn.Backend;
import org.nashpo.worker.supernet.Supernet;
import org.nashpo.worker.train.CifarTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "asng-nas", mixinStandardHelpOptions = true,
        description = {"One-shot ASNG-NAS over the cell space (PROTOCOL.md §6, docs/ASNG-NAS.md): train a weight-sharing "
                + "supernet on the train half of the split while ASNG learns θ on the valid half; print the most likely "
                + "cellcode and its class, and with --bench how the benchmark rates that class.",
            "Writes DIR/search-log.csv (per epoch: losses, Δ, δ, the most likely cellcode, θ) and DIR/result.json."})
final class AsngNasCommand implements Callable<Integer> {

    static final String LOG_FILE = "search-log.csv";
    static final String RESULT_FILE = "result.json";
    /** Cellcode engines kept built (they share one activation memory): their parameters, a few MB each. */
    static final int GRAPH_CACHE = 32;

    @Option(names = "--data", required = true,
            description = "CIFAR-10 directory in the official binary layout: a local path or a Hadoop URI (hdfs://, s3a://).")
    private String data;

    @Option(names = "--epochs", required = true, description = "Search epochs (the cosine schedule's length).")
    private int epochs;

    @Option(names = "--train-size", defaultValue = "0",
            description = "First N indices of the train split (weights); 0 = all the data holds (default).")
    private int trainSize;

    @Option(names = "--valid-size", defaultValue = "0",
            description = "First N indices of the valid split (θ); 0 = all the data holds (default).")
    private int validSize;

    @Mixin
    private NetworkOptions network;

    @Option(names = "--seed", defaultValue = "222", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", defaultValue = "0", description = "ND4J threads; 0 = one per core (default).")
    private int threads;

    @Option(names = "--lr", defaultValue = "0.025",
            description = "Initial learning rate of the weights (default: ${DEFAULT-VALUE}, the original search's).")
    private double lr;

    @Option(names = "--batch-size", defaultValue = "64",
            description = "Train and valid batch size (default: ${DEFAULT-VALUE}, the original search's).")
    private int batchSize;

    @Option(names = "--out", required = true, description = "Directory to write (must not exist); a local path or a Hadoop URI.")
    private String out;

    @Option(names = "--bench", description = "A benchmark directory: also print its accuracy of the found class at "
            + "--lr and --batch-size, and the class's rank among all 1,011.")
    private String bench;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /** How the benchmark rates the found class at the search's lr and batch size (rank 1 = best). */
    record BenchRating(String bench, double learningRate, int batchSize, double testAccuracy12, int rank12,
            double accuracy200, int rank200, int classes) {
    }

    /** What {@code nashpo asng-nas --json} prints and {@code result.json} holds. */
    record Summary(String cellcode, String cellClassId, String representative, int classMembers, String status,
            String stopReason, int epochsDone, int epochs, double learningRate, int batchSize, long seed, int width,
            int cellsPerStage, int stages, int trainSize, int validSize, long supernetParameters, List<Double> theta,
            double bigDelta, double delta, double seconds, long graphsBuilt, long graphCacheHits,
            double graphBuildSeconds, String protocolId, String backend, String out, BenchRating bench) {
    }

    @Override
    public Integer call() {
        AsngNas.Settings settings = new AsngNas.Settings(epochs, batchSize, lr, seed);
        NetworkShape shape = network.shape();
        URI target = Uris.of(out, "--out");
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        Path outPath = new Path(target);
        FileSystem fs = fileSystem(outPath, hadoop);
        if (exists(fs, outPath)) {
            throw new IllegalArgumentException("--out " + target + " already exists; choose a new directory");
        }
        Benchmark benchmark = null;
        if (bench != null) {
            try {
                HpGrid.lrIndex(lr);
                HpGrid.batchIndex(batchSize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lr/--batch-size with --bench: " + e.getMessage(), e);
            }
            benchmark = Benchmark.open(benchPath(bench));
        }
        Cifar10Directory directory = CifarTraining.open(data);
        Subset all = CifarTraining.available(directory);
        Subset subset = new Subset(pick("--train-size", trainSize, all.train()), pick("--valid-size", validSize,
                all.valid()), 1);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("loading %s: %d train / %d valid images%n", directory.uri(), subset.train(), subset.valid());
        err.flush();
        CifarTraining.Loaded loaded = CifarTraining.load(directory, subset, shape);

        Backend.configure(threads);
        Supernet supernet = Supernet.create(shape, Supernet.Sgd.ASNG_NAS, GRAPH_CACHE, seed);
        err.printf("supernet: %,d parameters (%s), %s%n", supernet.parameters(), shapeText(shape), Backend.describe());
        err.flush();
        AsngNas.Result result;
        try {
            result = AsngNas.search(supernet, loaded.data().train(), loaded.data().valid(), settings,
                    e -> progress(err, e, epochs));
        } finally {
            supernet.close(); // the engines' memory; the shared weights and statistics stay readable
        }
        if (!result.completed()) {
            err.println("search stopped early: " + result.stopReason());
        }

        CellCode found = result.cell();
        CellClass cls = SearchSpace.get().classOf(found);
        AsngNas.EpochLog last = result.epochs().isEmpty() ? null : result.epochs().get(result.epochs().size() - 1);
        Supernet.Stats stats = supernet.stats();
        Summary s = new Summary(found.toString(), cls.id(), cls.representative().toString(), cls.size(),
                result.completed() ? "COMPLETED" : "STOPPED", result.stopReason(), result.epochs().size(), epochs, lr,
                batchSize, seed, shape.width(), shape.cellsPerStage(), shape.stages(), subset.train(), subset.valid(),
                supernet.parameters(), last == null ? List.of() : last.theta(), last == null ? 1 : last.bigDelta(),
                last == null ? AsngNas.DELTA_INIT : last.delta(), result.seconds(), stats.graphsBuilt(),
                stats.cacheHits(), stats.buildSeconds(), loaded.protocol().id(), Backend.describe(), target.toString(),
                benchmark == null ? null : rate(benchmark, found, lr, batchSize));
        publish(fs, outPath, SearchLog.csv(result.epochs()), s);

        List<String> text = new ArrayList<>();
        text.add(String.format(Locale.ROOT, "found %s  class %s (representative %s, %d member%s)", s.cellcode(),
                s.cellClassId(), s.representative(), s.classMembers(), s.classMembers() == 1 ? "" : "s"));
        text.add(String.format(Locale.ROOT, "%s after %d of %d epochs in %.1f s → %s", s.status(), s.epochsDone(),
                epochs, s.seconds(), s.out()));
        if (s.bench() != null) {
            BenchRating b = s.bench();
            text.add(String.format(Locale.ROOT, "benchmark at lr %s, batch %d: 12-epoch test accuracy %.2f %% (mean of "
                    + "%d seeds), rank %d of %,d classes; 200-epoch %.2f %%, rank %d", HpGrid.LEARNING_RATES.get(
                    HpGrid.lrIndex(lr)), batchSize, b.testAccuracy12(), HpGrid.SEEDS.size(), b.rank12(), b.classes(),
                    b.accuracy200(), b.rank200()));
        }
        return output.emit(spec.commandLine().getOut(), s, text);
    }

    /**
     * The found class's 12-epoch test accuracy (mean over seeds) and surrogate 200-epoch accuracy at
     * the search's HPs, each ranked among all classes' (1 = best; ties share the better rank).
     */
    static BenchRating rate(Benchmark benchmark, CellCode cell, double lr, int batchSize) {
        List<CellClass> classes = SearchSpace.get().classes();
        double mine12 = test12(benchmark, cell, lr, batchSize);
        double mine200 = benchmark.longAccuracy(ConfigIndex.indexOf(new Configuration(cell, lr, batchSize)));
        int better12 = 0;
        int better200 = 0;
        for (CellClass c : classes) {
            if (test12(benchmark, c.representative(), lr, batchSize) > mine12) {
                better12++;
            }
            if (benchmark.longAccuracy(ConfigIndex.indexOf(new Configuration(c.representative(), lr, batchSize)))
                    > mine200) {
                better200++;
            }
        }
        return new BenchRating(benchmark.directory().toString(), lr, batchSize, mine12, better12 + 1, mine200,
                better200 + 1, classes.size());
    }

    private static double test12(Benchmark benchmark, CellCode cell, double lr, int batchSize) {
        int index = ConfigIndex.indexOf(new Configuration(cell, lr, batchSize));
        double sum = 0;
        for (int s : HpGrid.SEEDS) {
            sum += benchmark.accuracy(index, Mode.TEST, 12, s);
        }
        return sum / HpGrid.SEEDS.size();
    }

    /** Writes the log and the result into a hidden sibling, then renames it into place: all or nothing. */
    private static void publish(FileSystem fs, Path target, String log, Summary summary) {
        Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + System.nanoTime());
        try {
            if (!fs.mkdirs(staging)) {
                throw new IOException("cannot create " + staging);
            }
            write(fs, new Path(staging, LOG_FILE), log.getBytes(StandardCharsets.UTF_8));
            write(fs, new Path(staging, RESULT_FILE), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(summary));
            if (!fs.rename(staging, target)) {
                throw new IOException("cannot rename " + staging + " to " + target + " (did it appear meanwhile?)");
            }
        } catch (IOException e) {
            try {
                fs.delete(staging, true);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream o = fs.create(file, false)) {
            o.write(bytes);
        }
    }

    private static java.nio.file.Path benchPath(String location) {
        URI uri = Uris.of(location, "--bench");
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--bench " + location + ": must be a local directory (the benchmark is "
                    + "read into memory from the local filesystem)");
        }
        return java.nio.file.Path.of(uri);
    }

    private static int pick(String option, int asked, int available) {
        if (asked < 0) {
            throw new IllegalArgumentException(option + ": must be ≥ 0 (0 = all available), was " + asked);
        }
        return asked == 0 ? available : asked;
    }

    private static FileSystem fileSystem(Path p, org.apache.hadoop.conf.Configuration conf) {
        try {
            return p.getFileSystem(conf);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + p + ": no filesystem for it: " + e.getMessage(), e);
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + p + ": " + e.getMessage(), e);
        }
    }

    private static String shapeText(NetworkShape shape) {
        return "width " + shape.width() + ", " + shape.cellsPerStage() + " cells × " + shape.stages() + " stages";
    }

    private static void progress(PrintWriter err, AsngNas.EpochLog e, int epochs) {
        double eta = e.seconds() * (epochs - e.epoch() - 1);
        err.printf(Locale.ROOT, "epoch %d/%d: lr %.5f  train loss %.4f  valid loss %.4f  Δ %.3g  most likely %s  "
                + "(%.1f s, ETA %.0f s)%n", e.epoch() + 1, epochs, e.learningRate(), e.trainLoss(), e.validLoss(),
                e.bigDelta(), e.mostLikely(), e.seconds(), eta);
        err.flush();
    }
}
