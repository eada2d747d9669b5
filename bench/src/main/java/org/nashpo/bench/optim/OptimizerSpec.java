package org.nashpo.bench.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * An algorithm and the part of the space it searches, named {@code rea} (joint), {@code rea/nas}
 * (cells only) or {@code rea/hpo} (learning rate and batch size only). A restricted search fixes the
 * other variables at a given configuration's values, or else at a random one drawn per run. The
 * algorithm is a built-in {@link Algorithm} or any other {@link OptimizerProvider}.
 *
 * @param algorithm the optimizer's provider
 * @param restriction the part of the space it searches
 */
public record OptimizerSpec(OptimizerProvider algorithm, Restriction restriction) {

    public OptimizerSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(restriction, "restriction");
        String label = checkLabel(algorithm);
        if (restriction != Restriction.JOINT && !algorithm.restrictable()) {
            throw new IllegalArgumentException("algorithm " + label + "/" + restriction.suffix()
                    + ": " + label + " searches the joint space only");
        }
    }

    /** {@code provider} over the joint space. */
    public static OptimizerSpec of(OptimizerProvider provider) {
        return new OptimizerSpec(provider, Restriction.JOINT);
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

    /** Parses a {@link #label()} of a built-in algorithm; an unknown part is an error listing the valid ones. */
    public static OptimizerSpec parse(String text) {
        return parse(text, List.of());
    }

    /**
     * Parses a {@link #label()} of a built-in algorithm or of one of {@code providers} (any case); an unknown
     * name is an error listing every known one.
     */
    public static OptimizerSpec parse(String text, List<? extends OptimizerProvider> providers) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String name = (slash < 0 ? text : text.substring(0, slash)).trim();
        OptimizerProvider provider = find(name, providers).orElseThrow(() -> new IllegalArgumentException(
                "algorithm \"" + name + "\" is not known; expected one of " + String.join(", ", names(providers))));
        return new OptimizerSpec(provider, slash < 0 ? Restriction.JOINT
                : Restriction.parse(text.substring(slash + 1).trim()));
    }

    /** The built-in algorithm or the one of {@code providers} named {@code name} (any case), if any. */
    public static Optional<OptimizerProvider> find(String name, List<? extends OptimizerProvider> providers) {
        return Stream.concat(Stream.of(Algorithm.values()), providers.stream())
                .filter(p -> p.label().equalsIgnoreCase(name)).findFirst();
    }

    /** The built-in algorithms' names, then {@code providers}'. */
    public static List<String> names(List<? extends OptimizerProvider> providers) {
        return Stream.concat(Stream.of(Algorithm.values()), providers.stream()).map(OptimizerProvider::label).toList();
    }

    /**
     * A fresh optimizer over {@code space} (a {@link Domain} with all 8 variables free) drawing from
     * {@code rng}; a restricted one fixes the other variables at {@code fixedFrom}'s values, or, if
     * empty, at a configuration of the space drawn first from {@code rng}.
     */
    public Optimizer create(SplittableRandom rng, OptionalInt fixedFrom, Domain space) {
        if (restriction == Restriction.JOINT) {
            return created(algorithm.create(rng, space));
        }
        int fixed = fixedFrom.isPresent() ? fixedFrom.getAsInt() : space.random(rng);
        return created(algorithm.create(rng, space.restrict(restriction, fixed)));
    }

    private Optimizer created(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalStateException("optimizer provider " + algorithm.getClass().getName() + " (" + label()
                    + ") created no optimizer");
        }
        return optimizer;
    }

    @Override
    public String toString() {
        return label();
    }

    /** The provider's label, or an error naming the provider's class when the label is unusable. */
    static String checkLabel(OptimizerProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (provider instanceof Algorithm a) {
            return a.label();
        }
        String label = provider.label();
        String who = "optimizer provider " + provider.getClass().getName();
        if (label == null || !label.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException(who + ": its name must be letters, digits, '-', '_' or '.' (starting "
                    + "with a letter or digit), was " + (label == null ? "null" : "\"" + label + "\""));
        }
        if (label.equalsIgnoreCase("all")) {
            throw new IllegalArgumentException(who + ": its name may not be \"all\", which --algorithms reserves");
        }
        for (Algorithm a : Algorithm.values()) {
            if (a.label().equalsIgnoreCase(label)) {
                throw new IllegalArgumentException(who + ": its name \"" + label + "\" is the built-in "
                        + a.label() + "'s; choose another");
            }
        }
        return label;
    }
}
