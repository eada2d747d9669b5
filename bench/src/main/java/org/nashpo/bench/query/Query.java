package org.nashpo.bench.query;

import java.util.Objects;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;

/**
 * One question to the benchmark, PROTOCOL.md §4: a configuration, the schedule ({@code epoch}: the
 * benchmark's short or long schedule, 12 or 200 in the published one), the split ({@code mode}),
 * after how many epochs ({@code iepoch}) and which training seed. The defaults are the original
 * API's: 12 epochs, valid, the end of the schedule, seed 222; for a benchmark with another short
 * schedule, {@code Query.of(c).withEpoch(benchmark.shortEpochs())}. Which schedules and seeds a
 * benchmark holds is checked when it answers. A cell is read in the benchmark's space by
 * {@link Benchmark#cell(String)} (a cellcode or a NAS-Bench-201 architecture string):
 * {@code Query.of(bench.cell("0|10|210"), 0.1, 64)}.
 *
 * @param configuration a configuration on the protocol's grid
 * @param epoch the short schedule (trained results) or the long one (the surrogate's prediction)
 * @param mode the split read; a long-schedule query always reads test, whatever the mode
 * @param iepoch 1..epoch; a long-schedule query is answered at its end only
 * @param seed one of 222, 555, 888; long-schedule predictions are means over the seeds and ignore it
 */
public record Query(Configuration configuration, int epoch, Mode mode, int iepoch, int seed) {

    /** The seed a query uses unless told otherwise: the first, as the original API does. */
    public static final int DEFAULT_SEED = HpGrid.SEEDS.get(0);

    public Query {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(mode, "mode");
        ConfigIndex.indexOf(configuration);
        requireEpoch(epoch);
        requireIepoch(epoch, iepoch);
        HpGrid.requireSeed(seed);
    }

    /** A 12-epoch valid query at the end of the schedule with the default seed. */
    public static Query of(Configuration configuration) {
        return new Query(configuration, BenchmarkLayout.SHORT_EPOCHS, Mode.VALID, BenchmarkLayout.SHORT_EPOCHS,
                DEFAULT_SEED);
    }

    /** {@link #of(Configuration)} from the key's parts; each bad part is an error naming the valid values. */
    public static Query of(CellCode cell, double learningRate, int batchSize) {
        return of(new Configuration(cell, learningRate, batchSize));
    }

    /** This query on another schedule, read at its end (as the original API, where iepoch defaults to epoch). */
    public Query withEpoch(int newEpoch) {
        requireEpoch(newEpoch);
        return new Query(configuration, newEpoch, mode, newEpoch, seed);
    }

    public Query withMode(Mode newMode) {
        return new Query(configuration, epoch, newMode, iepoch, seed);
    }

    public Query withIepoch(int newIepoch) {
        return new Query(configuration, epoch, mode, newIepoch, seed);
    }

    public Query withSeed(int newSeed) {
        return new Query(configuration, epoch, mode, iepoch, newSeed);
    }

    /** The configuration's index in its cell's space ({@link Benchmark#indexOf} gives it in a benchmark's). */
    public int configIndex() {
        return ConfigIndex.indexOf(configuration);
    }

    static void requireEpoch(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch " + epoch + " is not a schedule length; expected the benchmark's "
                    + "short or long schedule (" + BenchmarkLayout.SHORT_EPOCHS + " or " + BenchmarkLayout.LONG_EPOCHS
                    + " in the published benchmark)");
        }
    }

    static void requireIepoch(int epoch, int iepoch) {
        if (iepoch < 1 || iepoch > epoch) {
            throw new IllegalArgumentException("iepoch " + iepoch + " is out of range for " + epoch
                    + "-epoch queries; expected 1 ≤ iepoch ≤ " + epoch);
        }
    }
}
