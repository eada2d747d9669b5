package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.format.BenchmarkLayout;

/**
 * The paper's two-stage baselines (PROTOCOL.md §5): first hyperparameter optimization on one random
 * cell, then REA over cells with the learning rate and batch size of the best configuration the
 * first stage evaluated for the whole schedule.
 *
 * <ul>
 *   <li>RS → REA: random search over lr × batch size until the first stage has spent 5,000 simulated
 *       seconds (the query that crosses it still counts);
 *   <li>BOHB → REA: BOHB over lr × batch size for 4 iterations.
 * </ul>
 * The stage switch needs each evaluation's cost: use {@link #tell(int, double, double)}.
 */
public final class TwoStage implements Optimizer {

    /** RS → REA's first-stage budget. */
    public static final double RS_STAGE_SECONDS = 5_000;
    /** BOHB → REA's first-stage iterations. */
    public static final int BOHB_STAGE_ITERATIONS = 4;

    private final SplittableRandom rng;
    private final Optimizer first;
    private final double firstStageSeconds;
    private Optimizer second;
    private final Domain space;
    private double spent;
    private int lastEpochs;
    private int best = -1;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;

    private TwoStage(SplittableRandom rng, Domain space, Optimizer first, double firstStageSeconds) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.space = space;
        this.first = first;
        this.firstStageSeconds = firstStageSeconds;
    }

    /** RS → REA over {@code space} (all 8 variables free). */
    public static TwoStage rsThenRea(SplittableRandom rng, Domain space) {
        Domain hps = space.restrict(Restriction.HPO_ONLY, space.random(rng));
        return new TwoStage(rng, space, new RandomSearch(rng, hps), RS_STAGE_SECONDS);
    }

    /** BOHB → REA over {@code space} (all 8 variables free). */
    public static TwoStage bohbThenRea(SplittableRandom rng, Domain space) {
        Domain hps = space.restrict(Restriction.HPO_ONLY, space.random(rng));
        return new TwoStage(rng, space, Hyperband.bohb(rng, hps, BOHB_STAGE_ITERATIONS), Double.POSITIVE_INFINITY);
    }

    @Override
    public int ask() {
        if (second == null && (first.done() || spent >= firstStageSeconds)) {
            second = new RegularizedEvolution(rng, space.restrict(Restriction.NAS_ONLY, best));
        }
        Optimizer current = second != null ? second : first;
        int index = current.ask();
        lastEpochs = current.epochs();
        return index;
    }

    @Override
    public int epochs() {
        return lastEpochs;
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        tell(configIndex, accuracy, 0);
    }

    @Override
    public void tell(int configIndex, double accuracy, double cost) {
        if (second != null) {
            second.tell(configIndex, accuracy, cost);
            return;
        }
        spent += cost;
        if (lastEpochs == BenchmarkLayout.SHORT_EPOCHS && accuracy > bestAccuracy) {
            best = configIndex;
            bestAccuracy = accuracy;
        }
        first.tell(configIndex, accuracy, cost);
    }

    /** Whether the optimizer has moved on to REA over cells. */
    boolean inSecondStage() {
        return second != null;
    }
}
