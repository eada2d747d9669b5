package org.nashpo.core.spec;

import java.util.Objects;
import org.nashpo.core.run.RunKey;

/**
 * How long a finished run took, for {@link CostModel#calibrate}.
 *
 * @param key the run
 * @param seconds its total time over all its epochs (training and evaluation), finite and &gt; 0
 */
public record RunCost(RunKey key, double seconds) {

    public RunCost {
        Objects.requireNonNull(key, "key");
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds: must be a finite number > 0, was " + seconds + " for " + key);
        }
    }
}
