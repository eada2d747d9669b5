package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.asng.Asng;

/**
 * ASNG (PROTOCOL.md §6) as a black-box optimizer: independent categorical distributions over the
 * free variables (the 8 of a joint space: six edges of K operations each, 8 learning rates, 6 batch
 * sizes), default α and δ_init; each iteration draws λ = 2
 * configurations, evaluates them one after the other, and updates with loss = −accuracy (a tie
 * skips the update).
 */
public final class AsngSearch implements Optimizer {

    private static final int LAMBDA = 2;

    private final SplittableRandom rng;
    private final Domain domain;
    private final Asng asng;
    private final int[][] samples = new int[LAMBDA][];
    private final double[] losses = new double[LAMBDA];
    private int evaluated;

    public AsngSearch(SplittableRandom rng, Domain domain) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.asng = new Asng(domain.sizes());
    }

    @Override
    public int ask() {
        if (evaluated == 0) {
            for (int n = 0; n < LAMBDA; n++) {
                samples[n] = asng.sample(rng);
            }
        }
        return domain.index(samples[evaluated]);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        losses[evaluated++] = -accuracy;
        if (evaluated == LAMBDA) {
            asng.update(samples, losses);
            evaluated = 0;
        }
    }

    /** The distribution's most likely configuration. */
    int mostLikely() {
        return domain.index(asng.mostLikely());
    }
}
