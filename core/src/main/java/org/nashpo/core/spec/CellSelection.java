package org.nashpo.core.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/**
 * Which cells a schedule trains. Every selection comes down to a set of canonical cell classes: one run
 * per class, on its representative, however many of its cellcodes were named. {@link #toString()} is the
 * selection as a spec writes it.
 */
public sealed interface CellSelection {

    /** The selected classes, distinct, in the order of their representatives. */
    List<CellClass> classes();

    /** {@code all}: every one of the 4,096 cellcodes, so every class once. */
    record All() implements CellSelection {
        @Override
        public List<CellClass> classes() {
            return SearchSpace.get().classes();
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** {@code representatives}: the 1,011 class representatives (the same classes as {@code all}). */
    record Representatives() implements CellSelection {
        @Override
        public List<CellClass> classes() {
            return SearchSpace.get().classes();
        }

        @Override
        public String toString() {
            return "representatives";
        }
    }

    /** {@code long-schedule}: the 100 cells the original benchmark also trained for 200 epochs. */
    record LongSchedule() implements CellSelection {
        @Override
        public List<CellClass> classes() {
            return classesOf(SearchSpace.get().longScheduleCells());
        }

        @Override
        public String toString() {
            return "long-schedule";
        }
    }

    /**
     * A list of cellcodes, kept sorted (its order means nothing). Two codes of one class are allowed and
     * give that class once.
     */
    record Explicit(List<CellCode> cells) implements CellSelection {
        public Explicit {
            List<CellCode> copy = new ArrayList<>(List.copyOf(cells));
            Rules.require("cells", Rules.notEmpty(copy));
            Rules.requireDistinct("cells", copy);
            Collections.sort(copy);
            cells = List.copyOf(copy);
        }

        @Override
        public List<CellClass> classes() {
            return classesOf(cells);
        }

        @Override
        public String toString() {
            return cells.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /**
     * {@code {random: N, seed: S}}: N distinct classes drawn uniformly by a partial Fisher–Yates shuffle of
     * all classes with {@code java.util.Random(S)}, whose algorithm the JDK specifies, so a spec picks the
     * same cells on every JVM. The first draws do not depend on N: raising N keeps the cells already
     * chosen, so an extended spec trains only the new ones.
     */
    record RandomSample(int count, long seed) implements CellSelection {
        public RandomSample {
            Rules.require("random", Rules.sampleSize(count));
        }

        @Override
        public List<CellClass> classes() {
            List<CellClass> pool = new ArrayList<>(SearchSpace.get().classes());
            Random random = new Random(seed);
            for (int i = 0; i < count; i++) {
                Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
            }
            return byRepresentative(pool.subList(0, count));
        }

        @Override
        public String toString() {
            return "{random: " + count + ", seed: " + seed + "}";
        }
    }

    /**
     * {@code {operations: [conv, zero]}}: every cellcode whose six edges use only these operations — a
     * product sub-space (here 2⁶ = 64 cellcodes, 14 classes) that optimizers can search like the
     * whole space, so a small benchmark stays a searchable one.
     */
    record Operations(List<Op> operations) implements CellSelection {
        public Operations {
            List<Op> copy = new ArrayList<>(List.copyOf(operations));
            Rules.require("operations", Rules.notEmpty(copy));
            Rules.requireDistinct("operations", copy);
            Collections.sort(copy);
            operations = List.copyOf(copy);
        }

        /** The cellcodes of the sub-space, in index order. */
        public List<CellCode> cells() {
            List<CellCode> cells = new ArrayList<>();
            for (int i = 0; i < CellCode.COUNT; i++) {
                CellCode c = CellCode.ofIndex(i);
                if (c.toString().chars().filter(ch -> ch != '|')
                        .allMatch(ch -> operations.stream().anyMatch(op -> op.digit() == ch))) {
                    cells.add(c);
                }
            }
            return cells;
        }

        @Override
        public List<CellClass> classes() {
            return classesOf(cells());
        }

        @Override
        public String toString() {
            return operations.stream().map(Op::label).collect(Collectors.joining(", ", "{operations: [", "]}"));
        }
    }

    private static List<CellClass> classesOf(List<CellCode> cells) {
        SearchSpace space = SearchSpace.get();
        return byRepresentative(cells.stream().map(space::classOf).distinct().toList());
    }

    private static List<CellClass> byRepresentative(List<CellClass> classes) {
        return classes.stream().sorted(Comparator.comparing(CellClass::representative)).toList();
    }
}
