package org.nashpo.bench.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

class ClassOrdinalsTest {

    /**
     * NAS-HPO-Bench-II's shipped table and the ordinals computed for NAS-Bench-201's space are each space's
     * partition: classes in their {@code classes()} order, their ids.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theOrdinalsAreTheSpacesPartition(boolean nasHpoBench2) {
        SearchSpace space = nasHpoBench2 ? SearchSpace.NAS_HPO_BENCH_2 : SearchSpace.NAS_BENCH_201;
        ClassOrdinals ordinals = ClassOrdinals.of(space);
        List<CellClass> classes = space.classes();
        Map<CellClass, Integer> position = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            position.put(classes.get(i), i);
        }

        assertThat(ordinals.space()).isEqualTo(space);
        assertThat(ordinals.count()).isEqualTo(classes.size()).isEqualTo(nasHpoBench2 ? 1011 : 5425);
        for (CellCode cell : space.cells()) {
            assertThat(ordinals.ordinal(cell.index()))
                    .as("ordinal of %s", cell)
                    .isEqualTo(position.get(space.classOf(cell)));
            assertThat(ordinals.classIdOf(cell.index()))
                    .as("class id of %s", cell)
                    .isEqualTo(space.classOf(cell).id());
        }
        assertThat(ClassOrdinals.of(space)).isSameAs(ordinals);
    }
}
