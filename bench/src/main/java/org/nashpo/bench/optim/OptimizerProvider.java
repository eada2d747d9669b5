package org.nashpo.bench.optim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A named source of {@link Optimizer}s: the built-in {@link Algorithm}s are providers, and so is any class
 * outside nashpo that implements this interface. The experiment takes one through {@link
 * OptimizerSpec#of(OptimizerProvider)}; {@code nashpo optimize --algorithms} finds them on the class path
 * with {@link ServiceLoader}: a jar whose {@code META-INF/services/org.nashpo.bench.optim.OptimizerProvider}
 * lists the provider's class name (a public class with a public no-argument constructor).
 */
public interface OptimizerProvider {

    /**
     * The name the report, {@code --algorithms} and the run's generator use: letters, digits, {@code -},
     * {@code _} and {@code .}, not a built-in algorithm's name and not {@code all}.
     */
    String label();

    /**
     * A fresh optimizer for one run over {@code domain}, drawing every random choice from {@code rng}
     * (seeded from the experiment's seed, the label and the run number, so a run is reproduced by them).
     */
    Optimizer create(SplittableRandom rng, Domain domain);

    /**
     * Whether the optimizer can search a {@link Restriction} of the space ({@code label/nas}, {@code label/hpo}):
     * true when it works through the domain's free variables only, as {@link Domain} lets it.
     */
    default boolean restrictable() {
        return true;
    }

    /**
     * The providers a class loader's {@link ServiceLoader} finds, in class-path order; an error naming the
     * provider when one cannot be loaded, has a malformed or built-in name, or shares its name with another.
     */
    static List<OptimizerProvider> load(ClassLoader loader) {
        List<OptimizerProvider> found = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        try {
            for (OptimizerProvider p : ServiceLoader.load(OptimizerProvider.class, loader)) {
                String label = OptimizerSpec.checkLabel(p);
                if (!labels.add(label.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("optimizer provider " + p.getClass().getName() + ": the name \""
                            + label + "\" is another provider's on the class path too");
                }
                found.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("an optimizer provider on the class path cannot be loaded: "
                    + e.getMessage(), e);
        }
        return List.copyOf(found);
    }
}
