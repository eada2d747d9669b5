package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.SearchSpace;

class DomainTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;

    /** Edges conv (0) or zero (3), the 2nd and 6th learning rates, the 1st and 3rd batch sizes. */
    private static final Domain CONV_ZERO = Domain.of(NHB2, new int[][] {{0, 3}, {0, 3}, {0, 3}, {0, 3}, {0, 3}, {0, 3},
            {1, 5}, {0, 2}});

    private static boolean inSubSpace(int index) {
        Configuration c = ConfigIndex.configuration(NHB2, index);
        return c.cell().toString().matches("[03|]+") && (c.learningRate() == 0.00625 || c.learningRate() == 0.1)
                && (c.batchSize() == 16 || c.batchSize() == 64);
    }

    @Test
    void aProductSubSpaceHoldsExactlyItsConfigurations() {
        assertThat(CONV_ZERO.count()).isEqualTo(64 * 2 * 2);
        int[] all = CONV_ZERO.configurations();
        assertThat(all).hasSize(256).doesNotHaveDuplicates().isSorted();
        int inside = 0;
        for (int index = 0; index < ConfigIndex.size(NHB2); index++) {
            boolean expected = inSubSpace(index);
            assertThat(CONV_ZERO.contains(index)).as("%s", ConfigIndex.configuration(NHB2, index)).isEqualTo(expected);
            inside += expected ? 1 : 0;
        }
        assertThat(inside).isEqualTo(256);
        for (int index : all) {
            assertThat(inSubSpace(index)).isTrue();
            assertThat(CONV_ZERO.index(CONV_ZERO.values(index))).isEqualTo(index);
        }
        assertThat(Domain.of(NHB2, new int[][] {{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3},
                {0, 1, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5}})).isSameAs(Domain.joint(NHB2));
        assertThatThrownBy(() -> Domain.of(NHB2, new int[][] {{0, 4}, {0}, {0}, {0}, {0}, {0}, {0}, {0}}))
                .hasMessageContaining("variable 0").hasMessageContaining("in 0..3");
    }

    /**
     * Every optimizer, on the space and on both of its restrictions, proposes configurations of the domain it
     * was given only: a restricted one keeps the fixed variables at the fixed configuration's values and the
     * free ones in the space's. The two-stage optimizers refuse a restriction; a restricted spec given no
     * configuration to fix draws one.
     */
    @Test
    void restrictionsAndEveryOptimizerStayInsideTheSpace() {
        int fixed = CONV_ZERO.configurations()[77];
        Domain nas = CONV_ZERO.restrict(Restriction.NAS_ONLY, fixed);
        assertThat(nas.count()).isEqualTo(64);
        Domain hpo = CONV_ZERO.restrict(Restriction.HPO_ONLY, fixed);
        assertThat(hpo.count()).isEqualTo(4);
        assertThatThrownBy(() -> CONV_ZERO.restrict(Restriction.NAS_ONLY,
                ConfigIndex.indexOf(new Configuration(NHB2.parse("1|00|000"), 0.1, 16))))
                .hasMessageContaining("not in the space");
        Configuration fixedConfiguration = ConfigIndex.configuration(NHB2, fixed);

        for (Algorithm algorithm : Algorithm.values()) {
            for (Domain domain : List.of(CONV_ZERO, nas, hpo)) {
                String name = algorithm.label() + (domain == nas ? "/nas" : domain == hpo ? "/hpo" : "");
                if (!algorithm.restrictable() && domain != CONV_ZERO) {
                    assertThatThrownBy(() -> algorithm.create(new SplittableRandom(5), domain)).as(name)
                            .hasMessageContaining("searches a whole space only");
                    continue;
                }
                Optimizer optimizer = algorithm.create(new SplittableRandom(5), domain);
                Set<Integer> asked = new HashSet<>();
                for (int i = 0; i < 300 && !optimizer.done(); i++) {
                    int index = optimizer.ask();
                    Configuration c = ConfigIndex.configuration(NHB2, index);
                    assertThat(domain.contains(index)).as("%s asked %s", name, c).isTrue();
                    if (domain == nas) {
                        assertThat(List.of(c.learningRate(), c.batchSize())).as("%s asked %s", name, c)
                                .containsExactly(fixedConfiguration.learningRate(), fixedConfiguration.batchSize());
                    } else if (domain == hpo) {
                        assertThat(c.cell()).as("%s asked %s", name, c).isEqualTo(fixedConfiguration.cell());
                    }
                    asked.add(index);
                    optimizer.tell(index, 50 + (index % 97) / 2.0, 10);
                }
                assertThat(asked).as(name).hasSizeGreaterThan(1);
            }
        }

        // a restricted spec given no configuration to fix draws one from the space, and keeps it
        for (OptimizerSpec spec : OptimizerSpec.all()) {
            if (spec.restriction() == Restriction.JOINT) {
                continue;
            }
            Optimizer optimizer = spec.create(new SplittableRandom(5), OptionalInt.empty(), CONV_ZERO);
            Set<String> fixedParts = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                int index = optimizer.ask();
                Configuration c = ConfigIndex.configuration(NHB2, index);
                assertThat(CONV_ZERO.contains(index)).as("%s asked %s", spec.label(), c).isTrue();
                fixedParts.add(spec.restriction() == Restriction.NAS_ONLY ? c.learningRate() + "/" + c.batchSize()
                        : c.cell().toString());
                optimizer.tell(index, 50 + (index % 97) / 2.0, 10);
            }
            assertThat(fixedParts).as(spec.label()).hasSize(1);
        }
    }
}
