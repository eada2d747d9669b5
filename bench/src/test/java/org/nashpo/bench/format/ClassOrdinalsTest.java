package org.nashpo.bench.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

class ClassOrdinalsTest {

    /** The shipped table is the search space's partition: classes in their {@code classes()} order, their ids. */
    @Test
    void theCachedTableIsTheSearchSpacesPartition() {
        List<CellClass> classes = SearchSpace.get().classes();

        assertThat(ClassOrdinals.count()).isEqualTo(classes.size()).isEqualTo(1011);
        for (CellCode cell : CellCode.all()) {
            assertThat(ClassOrdinals.of(cell.index()))
                    .as("ordinal of %s", cell)
                    .isEqualTo(classes.indexOf(SearchSpace.get().classOf(cell)));
            assertThat(ClassOrdinals.classIdOf(cell.index()))
                    .as("class id of %s", cell)
                    .isEqualTo(SearchSpace.get().classOf(cell).id());
        }
    }
}
