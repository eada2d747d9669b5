package org.nashpo.bench.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * An algorithm and the part of the space it searches, named {@code rea} (joint), {@code rea/nas}
 * (cells only) or {@code rea/hpo} (learning rate and batch size only). A restricted search fixes the
 * other variables at a given configuration's values, or else at a random one drawn per run.
 *
 * @param algorithm the optimizer
 * @param restriction the part of the space it searches
 */
public record OptimizerSpec(Algorithm algorithm, Restriction restriction) {

    public OptimizerSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(restriction, "restriction");
        if (restriction != Restriction.JOINT && !algorithm.restrictable()) {
            throw new IllegalArgumentException("algorithm " + algorithm.label() + "/" + restriction.suffix()
                    + ": " + algorithm.label() + " searches the joint space only");
        }
    }

    /** Every algorithm over the joint space, then the restricted random search and REA. */
    public static List<OptimizerSpec> all() {
        List<OptimizerSpec> all = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            all.add(new OptimizerSpec(a, Restriction.JOINT));
        }
        for (Algorithm a : List.of(Algorithm.RANDOM_SEARCH, Algorithm.REA)) {
            all.add(new OptimizerSpec(a, Restriction.NAS_ONLY));
            all.add(new OptimizerSpec(a, Restriction.HPO_ONLY));
        }
        return all;
    }

    /** {@code label} or {@code label/nas} or {@code label/hpo}. */
    public String label() {
        return restriction == Restriction.JOINT ? algorithm.label() : algorithm.label() + "/" + restriction.suffix();
    }

    /** Parses a {@link #label()}; an unknown part is an error listing the valid ones. */
    public static OptimizerSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new OptimizerSpec(Algorithm.parse(text.trim()), Restriction.JOINT);
        }
        return new OptimizerSpec(Algorithm.parse(text.substring(0, slash).trim()),
                Restriction.parse(text.substring(slash + 1).trim()));
    }

    /**
     * A fresh optimizer over {@code space} (a {@link Domain} with all 8 variables free) drawing from
     * {@code rng}; a restricted one fixes the other variables at {@code fixedFrom}'s values, or, if
     * empty, at a configuration of the space drawn first from {@code rng}.
     */
    public Optimizer create(SplittableRandom rng, OptionalInt fixedFrom, Domain space) {
        if (restriction == Restriction.JOINT) {
            return algorithm.create(rng, space);
        }
        int fixed = fixedFrom.isPresent() ? fixedFrom.getAsInt() : space.random(rng);
        return algorithm.create(rng, space.restrict(restriction, fixed));
    }

    @Override
    public String toString() {
        return label();
    }
}
