package org.nashpo.core.spec;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;

/**
 * The rules a spec's values obey, each returning the problem (without its path) or nothing. The parser
 * collects them with paths; the records' constructors throw on the first, so both say the same thing.
 */
final class Rules {

    private Rules() {
    }

    static Optional<String> atLeast(long min, long value) {
        return value >= min ? Optional.empty() : Optional.of("must be ≥ " + min + ", was " + value);
    }

    static Optional<String> between(long min, long max, long value) {
        return value >= min && value <= max
                ? Optional.empty()
                : Optional.of("must be " + min + "–" + max + ", was " + value);
    }

    /** NAS-HPO-Bench-II's split divides CIFAR-10 only. */
    static Optional<String> splits(DataSplit split, Dataset dataset) {
        return split.supports(dataset)
                ? Optional.empty()
                : Optional.of("must be " + DataSplit.NAS_BENCH_201.specName() + " for " + dataset.specName() + " ("
                        + split.specName() + "'s split divides " + Dataset.CIFAR10.specName() + " only), was "
                        + split.specName());
    }

    /** A random sample draws distinct classes, so at most all of them. */
    static Optional<String> sampleSize(int count, int classes) {
        return count >= 1 && count <= classes
                ? Optional.empty()
                : Optional.of("must be 1–" + classes + " (the number of cell classes), was " + count);
    }

    /** Learning rates: what {@link org.nashpo.core.grid.Configuration} accepts. */
    static Optional<String> positiveFinite(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Optional.of("must be a finite number, was " + value);
        }
        return value > 0 ? Optional.empty() : Optional.of("must be > 0, was " + value);
    }

    /**
     * GPUs per task: 0 trains on CPU; a run binds one device, so at most 1; a fraction f lets Spark pack
     * ⌊1/f⌋ runs onto one GPU.
     */
    static Optional<String> gpus(double value) {
        return value >= 0 && value <= 1
                ? Optional.empty()
                : Optional.of("must be 0 (CPU) or a share of one GPU in (0, 1], e.g. 1 or 0.5, was " + value);
    }

    /** The name labels the Spark job and log lines, and the canonical text is line-based: one line. */
    static Optional<String> name(String value) {
        if (value.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (value.length() > BenchmarkSpec.MAX_NAME_LENGTH) {
            return Optional.of("must be at most " + BenchmarkSpec.MAX_NAME_LENGTH + " characters, was "
                    + value.length());
        }
        return value.chars().anyMatch(Character::isISOControl)
                ? Optional.of("must be one line without control characters, was " + Values.describe(value))
                : Optional.empty();
    }

    /** Locations reach the job resolved: the spec's own directory no longer matters there. */
    static Optional<String> absolute(URI uri) {
        return uri.isAbsolute() && !uri.isOpaque()
                ? Optional.empty()
                : Optional.of("must be an absolute hierarchical URI (scheme:/path), was " + uri);
    }

    static Optional<String> notEmpty(List<?> values) {
        return values.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
    }

    /** The index of the first earlier element equal to element {@code i}, or -1. */
    static int earlierDuplicate(List<?> values, int i) {
        return values.subList(0, i).indexOf(values.get(i));
    }

    /** Throws the first problem of a list of values, for the records' constructors. */
    static void requireDistinct(String path, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (earlierDuplicate(values, i) >= 0) {
                throw new IllegalArgumentException(path + ": holds " + Values.describe(values.get(i)) + " twice");
            }
        }
    }

    static void require(String path, Optional<String> problem) {
        problem.ifPresent(message -> {
            throw new IllegalArgumentException(path + ": " + message);
        });
    }
}
