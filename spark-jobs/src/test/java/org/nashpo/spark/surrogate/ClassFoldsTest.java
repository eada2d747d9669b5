package org.nashpo.spark.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassFoldsTest {

    private static final List<String> CLASSES = IntStream.range(0, 23).mapToObj(i -> "class" + i).toList();

    @Test
    void everyClassIsInExactlyOneFoldAndFoldsDifferByAtMostOneClass() {
        Map<String, Integer> fold = ClassFolds.assign(CLASSES, 5, 7);
        assertThat(fold).containsOnlyKeys(CLASSES);
        int[] sizes = new int[5];
        fold.values().forEach(f -> sizes[f]++);
        assertThat(sizes).containsOnly(4, 5);
    }

    @Test
    void theSeedDecidesTheAssignmentNotTheInputOrder() {
        List<String> reversed = new ArrayList<>(CLASSES);
        java.util.Collections.reverse(reversed);
        assertThat(ClassFolds.assign(reversed, 4, 3)).isEqualTo(ClassFolds.assign(CLASSES, 4, 3));
        assertThat(ClassFolds.assign(CLASSES, 4, 3)).isNotEqualTo(ClassFolds.assign(CLASSES, 4, 4));
    }

    @Test
    void tooFewClassesOrFoldsAreRefusedWithTheNumbers() {
        assertThatThrownBy(() -> ClassFolds.assign(CLASSES.subList(0, 3), 4, 1))
                .hasMessageContaining("4 folds need at least 4 classes").hasMessageContaining("has 3");
        assertThatThrownBy(() -> ClassFolds.assign(CLASSES, 1, 1)).hasMessageContaining("folds: must be ≥ 2, was 1");
    }
}
