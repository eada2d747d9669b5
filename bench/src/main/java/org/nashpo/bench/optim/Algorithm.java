package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The optimizers by the names the CLI's {@code --algorithms} takes. */
public enum Algorithm {
    RANDOM_SEARCH("rs", RandomSearch::new),
    LOCAL_SEARCH("ls", LocalSearch::new),
    REA("rea", RegularizedEvolution::new);

    private final String label;
    private final Function<SplittableRandom, Optimizer> factory;

    Algorithm(String label, Function<SplittableRandom, Optimizer> factory) {
        this.label = label;
        this.factory = factory;
    }

    public String label() {
        return label;
    }

    /** A fresh optimizer that draws every random choice from {@code rng}. */
    public Optimizer create(SplittableRandom rng) {
        return factory.apply(rng);
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
