package org.nashpo.core.space;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One cell of a search space: an operation on each of the six edges of a 4-node DAG, in the fixed
 * order {@code 0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3}, written {@code A|BC|DEF} with the space's digits
 * (e.g. {@code 0|10|210} in NAS-HPO-Bench-II's space). NAS-Bench-201's architecture strings list the same
 * edges in the same order ({@link #nb201String()}).
 *
 * <p>{@link #index()} numbers the cells of a space in the order of their strings (the digits read as a
 * base-K number), which for NAS-HPO-Bench-II's space is the order its API uses.
 */
public record CellCode(SearchSpace space, List<Op> edges) implements Comparable<CellCode>, Serializable {

    public static final int EDGES = 6;
    public static final int NODES = 4;
    /** Source node of each edge, in cellcode order. */
    private static final int[] FROM = {0, 0, 1, 0, 1, 2};
    /** Target node of each edge, in cellcode order. */
    private static final int[] TO = {1, 2, 2, 3, 3, 3};

    public CellCode {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(edges, "edges");
        if (edges.size() != EDGES) {
            throw new IllegalArgumentException(
                    "cell edges: expected " + EDGES + " operations, got " + edges.size() + ": " + edges);
        }
        for (int i = 0; i < EDGES; i++) {
            Op op = edges.get(i);
            if (op == null) {
                throw new IllegalArgumentException("cell edges[" + i + "]: operation is null");
            }
            if (!space.contains(op)) {
                throw new IllegalArgumentException("cell edges[" + i + "]: " + op.specName()
                        + " is not an operation of the space " + space);
            }
        }
        edges = List.copyOf(edges);
    }

    /** Position in the space's string order: the digits read as a base-K number. */
    public int index() {
        int index = 0;
        for (Op op : edges) {
            index = index * space.operationCount() + space.digit(op);
        }
        return index;
    }

    public Op op(int edge) {
        return edges.get(edge);
    }

    public static int from(int edge) {
        return FROM[edge];
    }

    public static int to(int edge) {
        return TO[edge];
    }

    /**
     * Which edges lie on some input→output path (a non-zero operation from a node the input reaches
     * to a node that reaches the output): the others cannot change the cell's output. All false when
     * no path leads from input to output.
     */
    public boolean[] liveEdges() {
        boolean[] fromInput = new boolean[NODES];
        boolean[] toOutput = new boolean[NODES];
        fromInput[0] = true;
        toOutput[NODES - 1] = true;
        // edges run from lower to higher nodes: one pass in edge order (ascending targets) and one in
        // reverse settle reachability
        for (int e = 0; e < EDGES; e++) {
            if (!op(e).isZero() && fromInput[FROM[e]]) {
                fromInput[TO[e]] = true;
            }
        }
        for (int e = EDGES - 1; e >= 0; e--) {
            if (!op(e).isZero() && toOutput[TO[e]]) {
                toOutput[FROM[e]] = true;
            }
        }
        boolean[] live = new boolean[EDGES];
        for (int e = 0; e < EDGES; e++) {
            live[e] = !op(e).isZero() && fromInput[FROM[e]] && toOutput[TO[e]];
        }
        return live;
    }

    /** Number of edges holding a given operation. */
    public int count(Op op) {
        int n = 0;
        for (Op e : edges) {
            if (e == op) {
                n++;
            }
        }
        return n;
    }

    /**
     * The cell written with the operations' own {@linkplain Op#code() stable characters}, in cellcode
     * form: its name independent of the space's digit order, which run keys hash. For a cell of
     * NAS-HPO-Bench-II's space it is its cellcode.
     */
    public String stableCode() {
        return write(op -> op.code());
    }

    /** The cell as a NAS-Bench-201 architecture string, {@code |nor_conv_3x3~0|+|…~0|…~1|+|…~0|…~1|…~2|}. */
    public String nb201String() {
        return ArchString.format(this);
    }

    /** The same cell in another space that holds its operations. */
    public CellCode in(SearchSpace other) {
        return other.equals(space) ? this : new CellCode(other, edges);
    }

    @Override
    public int compareTo(CellCode other) {
        if (!space.equals(other.space)) {
            return stableCode().compareTo(other.stableCode());
        }
        return Integer.compare(index(), other.index());
    }

    /** The cellcode in the space's digits, {@code A|BC|DEF}. */
    @Override
    public String toString() {
        return write(op -> (char) ('0' + space.digit(op)));
    }

    private String write(java.util.function.Function<Op, Character> character) {
        StringBuilder s = new StringBuilder(8);
        for (int edge = 0; edge < EDGES; edge++) {
            if (edge == 1 || edge == 3) {
                s.append('|');
            }
            s.append(character.apply(edges.get(edge)));
        }
        return s.toString();
    }
}
