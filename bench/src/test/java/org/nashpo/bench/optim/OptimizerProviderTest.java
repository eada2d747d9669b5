package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.space.SearchSpace;

/** What {@link OptimizerProvider#load} finds on a class path, and what it refuses with the provider named. */
class OptimizerProviderTest {

    /** Random search under a name of its own, as a provider outside nashpo would be. */
    public static class Twin implements OptimizerProvider {
        @Override
        public String label() {
            return "twin";
        }

        @Override
        public Optimizer create(SplittableRandom rng, Domain domain) {
            return new RandomSearch(rng, domain);
        }
    }

    /** Another provider taking the same name. */
    public static class OtherTwin extends Twin {
    }

    /** A class loader whose class path holds only a service file listing {@code lines}. */
    private static ClassLoader listing(Path dir, String... lines) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.write(services.resolve(OptimizerProvider.class.getName()), List.of(lines));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, OptimizerProviderTest.class.getClassLoader());
    }

    @Test
    void aListedProviderIsFoundAndRunsAsAnyOptimizer(@TempDir Path dir) throws IOException {
        var found = OptimizerProvider.load(listing(dir, "# an optimizer of one's own", Twin.class.getName()));

        assertThat(found).singleElement().isInstanceOf(Twin.class);
        Domain joint = Domain.joint(SearchSpace.NAS_HPO_BENCH_2);
        OptimizerSpec spec = OptimizerSpec.parse("TWIN/nas", found);
        assertThat(spec.label()).isEqualTo("twin/nas");
        Optimizer o = spec.create(new SplittableRandom(1), OptionalInt.empty(), joint);
        assertThat(joint.contains(o.ask())).isTrue();
    }

    @Test
    void aMissingClassOrATakenNameIsAnErrorNamingTheProvider(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> OptimizerProvider.load(listing(dir.resolve("a"), "org.example.Missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be loaded")
                .hasMessageContaining("org.example.Missing");
        assertThatThrownBy(() -> OptimizerProvider.load(listing(dir.resolve("b"), Twin.class.getName(),
                OtherTwin.class.getName()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OtherTwin.class.getName()).hasMessageContaining("\"twin\" is another provider's");
    }
}
