package org.nashpo.worker.nas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.ClassRating;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.CifarDirectory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.io.Staged;
import org.nashpo.worker.supernet.Supernet;
import org.nashpo.worker.train.TrainingSets;

/**
 * One ASNG-NAS search from data to published output (PROTOCOL.md §6, docs/ASNG-NAS.md): loads the
 * split, trains the weight-sharing supernet of the request's space and network family while ASNG learns θ,
 * and publishes {@value #LOG_FILE} and {@value #RESULT_FILE} into the output directory in one step
 * ({@link Staged}).
 */
public final class AsngNasRun {

    public static final String LOG_FILE = "search-log.csv";
    public static final String RESULT_FILE = "result.json";
    /** Cellcode engines kept built (they share one activation memory): their parameters, a few MB each. */
    static final int ENGINE_CACHE = 32;

    private AsngNasRun() {
    }

    /**
     * What to search.
     *
     * @param data CIFAR-10 directory in the official binary layout, a local path or a Hadoop URI
     * @param trainSize first N indices of the train split (weights); 0 = all the data holds
     * @param validSize first N indices of the valid split (θ); 0 = all the data holds
     * @param space the cell space searched: θ's categories, the supernet's operations
     * @param shape the network, in its family
     * @param threads ND4J threads; 0 = one per core
     * @param out the directory to write, which must not exist
     */
    public record Request(String data, AsngNas.Settings settings, int trainSize, int validSize, SearchSpace space,
            NetworkShape shape, int threads, URI out) {

        public Request {
            Objects.requireNonNull(space, "space");
            Objects.requireNonNull(shape, "shape");
        }

        /** A search of NAS-HPO-Bench-II's space. */
        public Request(String data, AsngNas.Settings settings, int trainSize, int validSize, NetworkShape shape,
                int threads, URI out) {
            this(data, settings, trainSize, validSize, SearchSpace.NAS_HPO_BENCH_2, shape, threads, out);
        }
    }

    /**
     * What {@value #RESULT_FILE} holds.
     *
     * @param cellcode the cell found, in the digits of {@code operations}
     * @param operations the space's operations in digit order (spec names)
     * @param family the network family (its spec name)
     * @param theta the last θ by edge ({@code e01} … {@code e23}) and operation spec name
     * @param enginesBuilt cellcode engines the supernet built ({@link Supernet.Stats})
     * @param engineCacheHits cell passes that found their cellcode's engine cached
     * @param engineBuildSeconds time spent building engines
     */
    public record Summary(String cellcode, List<String> operations, String family, String cellClassId,
            String representative, int classMembers, String status, String stopReason, int epochsDone, int epochs,
            double learningRate, int batchSize, long seed, int width, int cellsPerStage, int stages, int trainSize,
            int validSize, long supernetParameters, Map<String, Map<String, Double>> theta, double bigDelta,
            double delta, double seconds, long enginesBuilt, long engineCacheHits, double engineBuildSeconds,
            String protocolId, String backend, String out, ClassRating bench) {
    }

    /**
     * Runs the search and publishes its output; progress lines go to {@code progress}.
     *
     * @param rating how a benchmark rates the found cell's class, or null for none
     */
    public static Summary run(Request request, Function<CellCode, ClassRating> rating, PrintWriter progress) {
        Path out = new Path(request.out());
        FileSystem fs = fileSystem(out);
        if (exists(fs, out)) {
            throw new IllegalArgumentException("--out " + request.out() + " already exists; choose a new directory");
        }
        AsngNas.Settings settings = request.settings();
        NetworkShape shape = request.shape();
        CifarDirectory directory = TrainingSets.open(request.data());
        Subset all = TrainingSets.available(directory);
        Subset subset = new Subset(pick("--train-size", request.trainSize(), all.train()),
                pick("--valid-size", request.validSize(), all.valid()), 1);
        progress.printf("loading %s: %d train / %d valid images%n", directory.uri(), subset.train(), subset.valid());
        progress.flush();
        TrainingSets.Loaded loaded = TrainingSets.load(directory, subset, shape);

        Backend.configure(request.threads());
        SearchSpace space = request.space();
        Supernet supernet = Supernet.create(shape, space, Supernet.Sgd.ASNG_NAS, ENGINE_CACHE, settings.seed());
        progress.printf("supernet: %,d parameters (%s; operations %s), %s%n", supernet.parameters(),
                shape.describe(), String.join(", ", space.operationNames()), Backend.describe());
        progress.flush();
        AsngNas.Result result;
        try {
            result = AsngNas.search(supernet, loaded.data().train(), loaded.data().valid(), settings,
                    e -> progress(progress, e, settings.epochs()));
        } finally {
            supernet.close(); // the engines' memory; the shared weights and statistics stay readable
        }
        if (!result.completed()) {
            progress.println("search stopped early: " + result.stopReason());
        }

        CellCode found = result.cell();
        CellClass cls = space.classOf(found);
        AsngNas.EpochLog last = result.epochs().isEmpty() ? null : result.epochs().get(result.epochs().size() - 1);
        Supernet.Stats stats = supernet.stats();
        Summary summary = new Summary(found.toString(), space.operationNames(), shape.family().specName(), cls.id(),
                cls.representative().toString(), cls.size(), result.completed() ? "COMPLETED" : "STOPPED",
                result.stopReason(), result.epochs().size(), settings.epochs(), settings.learningRate(),
                settings.batchSize(), settings.seed(), shape.width(), shape.cellsPerStage(), shape.stages(),
                subset.train(), subset.valid(), supernet.parameters(),
                last == null ? Map.of() : SearchLog.theta(space, last.theta()), last == null ? 1 : last.bigDelta(),
                last == null ? AsngNas.DELTA_INIT : last.delta(), result.seconds(), stats.enginesBuilt(),
                stats.cacheHits(), stats.engineBuildSeconds(), loaded.protocol().id(), Backend.describe(),
                request.out().toString(), rating == null ? null : rating.apply(found));
        publish(fs, out, SearchLog.csv(space, result.epochs()), summary);
        return summary;
    }

    /** Writes the log and the result into a staging directory and publishes it: all or nothing. */
    private static void publish(FileSystem fs, Path target, String log, Summary summary) {
        Staged staged = Staged.beside(fs, target);
        try {
            if (!fs.mkdirs(staged.path())) {
                throw new IOException("cannot create " + staged.path());
            }
            write(fs, new Path(staged.path(), LOG_FILE), log.getBytes(StandardCharsets.UTF_8));
            write(fs, new Path(staged.path(), RESULT_FILE), new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary));
        } catch (IOException e) {
            staged.abandon();
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
        if (!staged.publish(Staged.IfExists.KEEP)) {
            throw new IllegalStateException("--out " + target + " appeared while the search ran (another writer "
                    + "published it); this search's output was not written");
        }
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream o = fs.create(file, false)) {
            o.write(bytes);
        }
    }

    private static int pick(String option, int asked, int available) {
        if (asked < 0) {
            throw new IllegalArgumentException(option + ": must be ≥ 0 (0 = all available), was " + asked);
        }
        return asked == 0 ? available : asked;
    }

    private static FileSystem fileSystem(Path p) {
        try {
            return p.getFileSystem(new Configuration());
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

    private static void progress(PrintWriter err, AsngNas.EpochLog e, int epochs) {
        double eta = e.seconds() * (epochs - e.epoch() - 1);
        err.printf(Locale.ROOT, "epoch %d/%d: lr %.5f  train loss %.4f  valid loss %.4f  Δ %.3g  most likely %s  "
                + "(%.1f s, ETA %.0f s)%n", e.epoch() + 1, epochs, e.learningRate(), e.trainLoss(), e.validLoss(),
                e.bigDelta(), e.mostLikely(), e.seconds(), eta);
        err.flush();
    }
}
