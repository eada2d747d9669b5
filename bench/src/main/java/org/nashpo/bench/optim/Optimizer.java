package org.nashpo.bench.optim;

import org.nashpo.core.format.BenchmarkLayout;

/**
 * An optimizer over the configurations of a {@link Domain} (196,608 in NAS-HPO-Bench-II's joint
 * space), in ask/tell form: {@link #ask()} proposes a configuration index and {@link #epochs()} the
 * budget to evaluate it at (the query's {@code iepoch}; 12, the whole schedule, except for the
 * multi-fidelity Hyperband and BOHB), then {@link #tell} reports the accuracy observed and the
 * simulated seconds it cost. Calls alternate, one ask then its tell; the caller owns the budget and
 * stops early when {@link #done()}.
 *
 * <p>Open to optimizers written outside nashpo (docs/OPTIMIZERS.md, "Bring your own optimizer"): implement
 * it, and an {@link OptimizerProvider} that names it and builds one per run, and the experiment runs it
 * beside the built-in {@link Algorithm}s in the same report. Not sealed, unlike the project's other closed
 * sets: the set of optimizers is the one a benchmark's users extend.
 */
public interface Optimizer {

    /** The next configuration index to evaluate. */
    int ask();

    /** Epochs (1..12) to evaluate the configuration the last {@link #ask()} proposed for. */
    default int epochs() {
        return BenchmarkLayout.SHORT_EPOCHS;
    }

    /** The accuracy (percent) observed for the configuration the last {@link #ask()} proposed. */
    void tell(int configIndex, double accuracy);

    /** {@link #tell(int, double)} with the simulated seconds the evaluation cost. */
    default void tell(int configIndex, double accuracy, double cost) {
        tell(configIndex, accuracy);
    }

    /** Whether the optimizer has finished its own schedule (e.g. BOHB's iterations) before the budget. */
    default boolean done() {
        return false;
    }
}
