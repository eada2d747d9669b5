package org.example;

import java.util.SplittableRandom;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.optim.Optimizer;
import org.nashpo.bench.optim.OptimizerProvider;

/**
 * Names {@link MutateBest} and builds one per run. Listed in
 * {@code META-INF/services/org.nashpo.bench.optim.OptimizerProvider}, so that {@code nashpo optimize} finds it
 * when this project's jar is on its class path; the experiment API takes it directly.
 */
public final class MutateBestProvider implements OptimizerProvider {

    @Override
    public String label() {
        return "mutate-best";
    }

    @Override
    public Optimizer create(SplittableRandom rng, Domain domain) {
        return new MutateBest(rng, domain);
    }
}
