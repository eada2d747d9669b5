package org.example;

import java.util.SplittableRandom;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.optim.Optimizer;

/**
 * An optimizer of one's own, in the bench's ask/tell form: a (1+1) evolution strategy. It starts from a
 * random configuration, then asks for a copy of the best one seen with one variable (an edge's operation,
 * the learning rate or the batch size) changed; with probability {@link #RESTART} it asks for a random
 * configuration instead. It sees only the domain's free variables, so it searches a restricted space
 * ({@code mutate-best/nas}, {@code mutate-best/hpo}) as it searches the joint one.
 */
public final class MutateBest implements Optimizer {

    /** How often a random configuration is asked for instead of a mutant. */
    static final double RESTART = 0.05;

    private final SplittableRandom rng;
    private final Domain domain;
    private int best = -1;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;

    public MutateBest(SplittableRandom rng, Domain domain) {
        this.rng = rng;
        this.domain = domain;
    }

    @Override
    public int ask() {
        if (best < 0 || rng.nextDouble() < RESTART) {
            return domain.random(rng);
        }
        int variable = rng.nextInt(domain.variables());
        int values = domain.size(variable);
        if (values == 1) {
            return best;
        }
        // another value of that variable, uniformly
        int value = (domain.get(best, variable) + 1 + rng.nextInt(values - 1)) % values;
        return domain.with(best, variable, value);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        if (accuracy > bestAccuracy) {
            best = configIndex;
            bestAccuracy = accuracy;
        }
    }
}
