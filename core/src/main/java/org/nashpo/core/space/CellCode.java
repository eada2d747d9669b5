package org.nashpo.core.space;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One cell of the search space: an operation on each of the six edges of a 4-node DAG, in the fixed
 * order {@code 0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3}, written {@code A|BC|DEF} (e.g. {@code 0|10|210}).
 *
 * <p>{@link #index()} numbers the 4,096 cellcodes in the order of their strings, which is the order
 * the original benchmark's API uses.
 */
public record CellCode(List<Op> edges) implements Comparable<CellCode>, Serializable {

    public static final int EDGES = 6;
    public static final int NODES = 4;
    /** 4^6. */
    public static final int COUNT = 4096;
    /** Source node of each edge, in cellcode order. */
    private static final int[] FROM = {0, 0, 1, 0, 1, 2};
    /** Target node of each edge, in cellcode order. */
    private static final int[] TO = {1, 2, 2, 3, 3, 3};

    static final String EXPECTED_FORM = "expected A|BC|DEF: six digits 0-3, one per edge "
            + "0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3 (0 conv, 1 avg pool, 2 skip, 3 zero), e.g. 0|10|210";

    private static final List<CellCode> ALL = enumerate();

    public CellCode {
        Objects.requireNonNull(edges, "edges");
        if (edges.size() != EDGES) {
            throw new IllegalArgumentException(
                    "cell edges: expected " + EDGES + " operations, got " + edges.size() + ": " + edges);
        }
        for (int i = 0; i < EDGES; i++) {
            if (edges.get(i) == null) {
                throw new IllegalArgumentException("cell edges[" + i + "]: operation is null");
            }
        }
        edges = List.copyOf(edges);
    }

    /**
     * Parses {@code A|BC|DEF}. Any deviation (wrong length, missing or misplaced bars, a digit outside
     * 0-3, null) is an {@link IllegalArgumentException} naming the input, the problem and the form.
     */
    public static CellCode parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cellcode is null; " + EXPECTED_FORM);
        }
        String quoted = "cellcode \"" + text + "\": ";
        if (text.isEmpty()) {
            throw new IllegalArgumentException(quoted + "is empty; " + EXPECTED_FORM);
        }
        if (text.length() != 8 || text.charAt(1) != '|' || text.charAt(4) != '|') {
            throw new IllegalArgumentException(quoted + "has the wrong shape; " + EXPECTED_FORM);
        }
        List<Op> ops = new ArrayList<>(EDGES);
        for (int pos = 0; pos < text.length(); pos++) {
            if (pos == 1 || pos == 4) {
                continue;
            }
            char c = text.charAt(pos);
            Op op = Op.ofDigitOrNull(c);
            if (op == null) {
                throw new IllegalArgumentException(quoted + "character '" + c + "' at position " + (pos + 1)
                        + " is not an operation digit; " + EXPECTED_FORM);
            }
            ops.add(op);
        }
        return new CellCode(ops);
    }

    /** The cellcode with this index in string order, 0 ≤ index < 4,096. */
    public static CellCode ofIndex(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException(
                    "cell index " + index + " is out of range; expected 0 ≤ index < " + COUNT);
        }
        return ALL.get(index);
    }

    /** All 4,096 cellcodes, in index (= string) order. */
    public static List<CellCode> all() {
        return ALL;
    }

    private static List<CellCode> enumerate() {
        Op[] ops = Op.values();
        List<CellCode> all = new ArrayList<>(COUNT);
        for (int index = 0; index < COUNT; index++) {
            List<Op> edges = new ArrayList<>(EDGES);
            for (int edge = 0; edge < EDGES; edge++) {
                edges.add(ops[(index >> (2 * (EDGES - 1 - edge))) & 3]);
            }
            all.add(new CellCode(edges));
        }
        return List.copyOf(all);
    }

    /**
     * Position in string order: the digits read as a base-4 number, because the bars sit at the same
     * places in every cellcode and the digit characters sort like their values.
     */
    public int index() {
        int index = 0;
        for (Op op : edges) {
            index = index * 4 + op.ordinal();
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
            if (op(e) != Op.ZERO && fromInput[FROM[e]]) {
                fromInput[TO[e]] = true;
            }
        }
        for (int e = EDGES - 1; e >= 0; e--) {
            if (op(e) != Op.ZERO && toOutput[TO[e]]) {
                toOutput[FROM[e]] = true;
            }
        }
        boolean[] live = new boolean[EDGES];
        for (int e = 0; e < EDGES; e++) {
            live[e] = op(e) != Op.ZERO && fromInput[FROM[e]] && toOutput[TO[e]];
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

    @Override
    public int compareTo(CellCode other) {
        return Integer.compare(index(), other.index());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(8);
        for (int edge = 0; edge < EDGES; edge++) {
            if (edge == 1 || edge == 3) {
                s.append('|');
            }
            s.append(edges.get(edge).digit());
        }
        return s.toString();
    }
}
