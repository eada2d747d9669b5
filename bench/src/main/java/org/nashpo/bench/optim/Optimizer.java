package org.nashpo.bench.optim;

/**
 * An optimizer over the 196,608 configurations, in ask/tell form: {@link #ask()} proposes a
 * configuration index, {@link #tell} reports the accuracy observed for it. Calls alternate, one
 * ask then its tell; the caller owns the budget.
 */
public sealed interface Optimizer permits RandomSearch, LocalSearch, RegularizedEvolution {

    /** The next configuration index to evaluate. */
    int ask();

    /** The accuracy (percent) observed for the configuration the last {@link #ask()} proposed. */
    void tell(int configIndex, double accuracy);
}
