package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which part of a configuration an optimizer searches; the rest stays at a fixed value. */
public enum Restriction {
    /** Cell, learning rate and batch size together. */
    JOINT(""),
    /** The cell only; learning rate and batch size fixed. */
    NAS_ONLY("nas"),
    /** Learning rate and batch size only; the cell fixed. */
    HPO_ONLY("hpo");

    private final String suffix;

    Restriction(String suffix) {
        this.suffix = suffix;
    }

    /** What follows an algorithm's label to name this restriction ({@code rea/nas}); empty for the joint space. */
    public String suffix() {
        return suffix;
    }

    /** {@code nas} or {@code hpo} (any case); anything else is an error naming them. */
    public static Restriction parse(String text) {
        for (Restriction r : values()) {
            if (r != JOINT && r.suffix.equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("restriction \"" + text + "\" is not known; expected one of "
                + Arrays.stream(values()).filter(r -> r != JOINT).map(Restriction::suffix)
                        .collect(Collectors.joining(", ")));
    }
}
