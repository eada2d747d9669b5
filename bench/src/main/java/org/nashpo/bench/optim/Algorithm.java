package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** The built-in optimizers by the names the CLI's {@code --algorithms} takes. */
public enum Algorithm implements OptimizerProvider {
    RANDOM_SEARCH("rs", true),
    LOCAL_SEARCH("ls", true),
    REA("rea", true),
    REINFORCE("reinforce", true),
    HYPERBAND("hb", true),
    BOHB("bohb", true),
    RS_REA("rs-rea", false),
    BOHB_REA("bohb-rea", false),
    ASNG("asng", true);

    private final String label;
    private final boolean restrictable;

    Algorithm(String label, boolean restrictable) {
        this.label = label;
        this.restrictable = restrictable;
    }

    @Override
    public String label() {
        return label;
    }

    /** Whether the algorithm can search a {@link Restriction} of the space (the two-stage ones cannot). */
    @Override
    public boolean restrictable() {
        return restrictable;
    }

    /**
     * A fresh optimizer over {@code domain} that draws every random choice from {@code rng}; the
     * two-stage algorithms take a whole space only.
     */
    @Override
    public Optimizer create(SplittableRandom rng, Domain domain) {
        Objects.requireNonNull(domain, "domain");
        if (!restrictable && !domain.isSpace()) {
            throw new IllegalArgumentException("algorithm " + label + " searches a whole space only, not " + domain);
        }
        return switch (this) {
            case RANDOM_SEARCH -> new RandomSearch(rng, domain);
            case LOCAL_SEARCH -> new LocalSearch(rng, domain);
            case REA -> new RegularizedEvolution(rng, domain);
            case REINFORCE -> new Reinforce(rng, domain);
            case HYPERBAND -> Hyperband.hyperband(rng, domain);
            case BOHB -> Hyperband.bohb(rng, domain);
            case RS_REA -> TwoStage.rsThenRea(rng, domain);
            case BOHB_REA -> TwoStage.bohbThenRea(rng, domain);
            case ASNG -> new AsngSearch(rng, domain);
        };
    }

    /** The algorithm with this label (any case); anything else is an error listing the labels. */
    public static Algorithm parse(String text) {
        for (Algorithm a : values()) {
            if (a.label.equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("algorithm \"" + text + "\" is not known; expected one of "
                + Arrays.stream(values()).map(Algorithm::label).collect(Collectors.joining(", ")));
    }
}
