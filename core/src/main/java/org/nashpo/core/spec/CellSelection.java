package org.nashpo.core.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/**
 * Which cells of a space a schedule trains. Every selection comes down to a set of canonical cell classes:
 * one run per class, on its representative, however many of its cellcodes were named.
 * {@link #render(SearchSpace)} is the selection as a spec writes it.
 */
public sealed interface CellSelection {

    /** The selected classes of {@code space}, distinct, in the order of their representatives. */
    List<CellClass> classes(SearchSpace space);

    /** Why the selection cannot be made in {@code space} (its path is the caller's), or nothing. */
    default Optional<String> problemIn(SearchSpace space) {
        return Optional.empty();
    }

    /** The selection as a spec in {@code space} writes it. */
    default String render(SearchSpace space) {
        return toString();
    }

    /** {@code all}: every cellcode of the space, so every class once. */
    record All() implements CellSelection {
        @Override
        public List<CellClass> classes(SearchSpace space) {
            return space.classes();
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** {@code representatives}: every class's representative (the same classes as {@code all}). */
    record Representatives() implements CellSelection {
        @Override
        public List<CellClass> classes(SearchSpace space) {
            return space.classes();
        }

        @Override
        public String toString() {
            return "representatives";
        }
    }

    /** {@code long-schedule}: the 100 cells NAS-HPO-Bench-II also trained for 200 epochs. */
    record LongSchedule() implements CellSelection {
        @Override
        public List<CellClass> classes(SearchSpace space) {
            return classesOf(space, space.longScheduleCells());
        }

        @Override
        public Optional<String> problemIn(SearchSpace space) {
            return space.hasLongScheduleCells() ? Optional.empty()
                    : Optional.of("long-schedule names NAS-HPO-Bench-II's cells, whose operations "
                            + SearchSpace.NAS_HPO_BENCH_2 + " the space " + space + " does not all hold");
        }

        @Override
        public String toString() {
            return "long-schedule";
        }
    }

    /**
     * A list of cellcodes of one space, kept sorted (its order means nothing). Two codes of one class are
     * allowed and give that class once.
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
        public List<CellClass> classes(SearchSpace space) {
            return classesOf(space, cells.stream().map(c -> c.in(space)).toList());
        }

        @Override
        public Optional<String> problemIn(SearchSpace space) {
            return cells.stream().filter(c -> !c.space().equals(space)).findFirst()
                    .map(c -> "cellcode " + c + " is of the space " + c.space() + ", not " + space);
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
            Rules.require("random", Rules.atLeast(1, count));
        }

        @Override
        public List<CellClass> classes(SearchSpace space) {
            List<CellClass> pool = new ArrayList<>(space.classes());
            Rules.require("random", Rules.sampleSize(count, pool.size()));
            Random random = new Random(seed);
            for (int i = 0; i < count; i++) {
                Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
            }
            return byRepresentative(pool.subList(0, count));
        }

        @Override
        public Optional<String> problemIn(SearchSpace space) {
            return Rules.sampleSize(count, space.classes().size());
        }

        @Override
        public String toString() {
            return "{random: " + count + ", seed: " + seed + "}";
        }
    }

    /**
     * {@code {operations: [conv3x3, zero]}}: every cellcode whose six edges use only these operations — a
     * product sub-space (here 2⁶ = 64 cellcodes, 14 classes) that optimizers can search like the whole
     * space, so a small benchmark stays a searchable one.
     */
    record Operations(List<Op> operations) implements CellSelection {
        public Operations {
            List<Op> copy = new ArrayList<>(List.copyOf(operations));
            Rules.require("operations", Rules.notEmpty(copy));
            Rules.requireDistinct("operations", copy);
            Collections.sort(copy);
            operations = List.copyOf(copy);
        }

        /** The cellcodes of the sub-space of {@code space}, in index order. */
        public List<CellCode> cells(SearchSpace space) {
            return space.cells().stream().filter(c -> operations.containsAll(c.edges())).toList();
        }

        @Override
        public List<CellClass> classes(SearchSpace space) {
            return classesOf(space, cells(space));
        }

        @Override
        public Optional<String> problemIn(SearchSpace space) {
            return operations.stream().filter(op -> !space.contains(op)).findFirst()
                    .map(op -> op.specName() + " is not an operation of the space " + space);
        }

        /** The operations as the space names them ({@link SearchSpace#nameOf}): every spec keeps its hash. */
        @Override
        public String render(SearchSpace space) {
            return operations.stream().map(space::nameOf).collect(Collectors.joining(", ", "{operations: [", "]}"));
        }

        @Override
        public String toString() {
            return operations.stream().map(Op::specName).collect(Collectors.joining(", ", "{operations: [", "]}"));
        }
    }

    private static List<CellClass> classesOf(SearchSpace space, List<CellCode> cells) {
        return byRepresentative(cells.stream().map(space::classOf).distinct().toList());
    }

    private static List<CellClass> byRepresentative(List<CellClass> classes) {
        return classes.stream().sorted(Comparator.comparing(CellClass::representative)).toList();
    }
}
