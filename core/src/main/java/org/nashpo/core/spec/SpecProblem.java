package org.nashpo.core.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * One mistake in a spec.
 *
 * @param path where: the key path ({@code grid.lrs[2]}, {@code schedules[0].cells}), empty for the spec
 *     as a whole, or {@code line L, column C} when the text is not valid YAML
 * @param message what is wrong, naming the value found and what was expected
 */
public record SpecProblem(String path, String message) implements Serializable {

    public SpecProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
