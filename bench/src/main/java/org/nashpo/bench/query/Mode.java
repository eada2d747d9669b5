package org.nashpo.bench.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which split's accuracy a query reads, and which phases its cost sums (PROTOCOL.md §4): train
 * costs the training time, valid training plus validation, test all three.
 */
public enum Mode {
    TRAIN,
    VALID,
    TEST;

    static final Mode[] VALUES = values();

    /** The lower-case name the original API and the CLI use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train}, {@code valid} or {@code test} (any case); anything else names the valid values. */
    public static Mode parse(String text) {
        for (Mode m : VALUES) {
            if (m.label().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode \"" + text + "\" is not a mode; expected one of "
                + Arrays.stream(VALUES).map(Mode::label).collect(Collectors.joining(", ")));
    }
}
