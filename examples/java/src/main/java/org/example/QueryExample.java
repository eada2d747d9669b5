package org.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nashpo.bench.query.Answer;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Query;
import org.nashpo.bench.query.Session;
import org.nashpo.bench.query.SessionResult;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.core.grid.Configuration;

/**
 * Builds a synthetic benchmark as large as the published NAS-HPO-Bench-II (its accuracies come from a model,
 * not from training; a built benchmark opens the same way) and queries it as an optimizer run would.
 * {@code java org.example.QueryExample [DIR]}: DIR (default {@code target/synth}) is written first if it
 * holds no benchmark.
 */
public final class QueryExample {

    private QueryExample() {
    }

    public static void main(String[] args) {
        run(Path.of(args.length > 0 ? args[0] : "target/synth")).forEach(System.out::println);
    }

    /** Writes the benchmark to {@code dir} unless it is there, queries it and says what it read. */
    public static List<String> run(Path dir) {
        if (!Files.exists(dir.resolve("manifest.json"))) {
            SyntheticBenchmark.write(dir, 42);
        }
        Benchmark bench = Benchmark.open(dir);
        List<String> lines = new ArrayList<>();
        lines.add(bench.describeSpace() + ": " + bench.configurationCount() + " configurations, "
                + bench.shortEpochs() + " and " + bench.longEpochs() + " epochs");

        // one session per optimizer run: it logs every short-schedule query and charges its simulated cost
        Session session = bench.newSession();
        // a cell in the benchmark's space (cellcode digits), a learning rate and a batch size of the grid
        Configuration config = new Configuration(bench.cell("0|10|210"), 0.1, 64);
        double valid = session.query(bench.indexOf(config), Mode.VALID, bench.shortEpochs(), 222);
        lines.add(String.format(Locale.ROOT, "valid accuracy of %s after %d epochs, seed 222: %.2f %% (%.0f s so far)",
                config, bench.shortEpochs(), valid, session.totalCost()));

        // the same through a Query: 4 epochs into the schedule, seed 555, on the test split
        Answer answer = session.query(Query.of(config).withEpoch(bench.shortEpochs()).withIepoch(4).withSeed(555)
                .withMode(Mode.TEST));
        lines.add(String.format(Locale.ROOT, "test accuracy after 4 epochs, seed 555: %.2f %% (cost %.0f s)",
                answer.accuracy(), answer.cost().orElseThrow()));

        // the surrogate's mean test accuracy after the long schedule (not logged, not charged)
        lines.add(String.format(Locale.ROOT, "predicted %d-epoch test accuracy: %.2f %%", bench.longEpochs(),
                bench.longAccuracy(bench.indexOf(config))));

        SessionResult result = session.result();
        lines.add(String.format(Locale.ROOT, "session: %d queries, %.0f s; best %s with test accuracy %.2f %%",
                result.queries(), result.totalCost(), result.configuration(), result.testAccuracy12()));
        return lines;
    }
}
