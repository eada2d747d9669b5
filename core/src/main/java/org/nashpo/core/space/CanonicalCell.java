package org.nashpo.core.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.nashpo.core.StableId;

/**
 * The identity of a cell up to equivalence (PROTOCOL.md §1): two cellcodes compute the same function
 * iff their canonical forms are equal.
 *
 * <p>The cell becomes a labelled multigraph (an edge whose operation {@linkplain Op#isNode() computes
 * something} becomes a node labelled with {@link Op#label()}, an identity edge a plain edge, a zero edge
 * vanishes), is pruned to the nodes on an input→output path, and its pass-through sums are
 * contracted. The canonical form is the lexicographically smallest encoding over the node orders
 * that respect a colour refinement of the nodes (Weisfeiler–Lehman), so it is a stable string and
 * needs no pairwise isomorphism test.
 *
 * @param form the canonical encoding; {@code "zero"} for cells with no input→output path
 */
public record CanonicalCell(String form) {

    /** Form of every cell whose output does not depend on its input. */
    public static final String ZERO_FORM = "zero";

    private static final char INPUT = 'I';
    private static final char OUTPUT = 'O';
    private static final char SUM = 'S';

    public CanonicalCell {
        Objects.requireNonNull(form, "form");
        if (form.isEmpty()) {
            throw new IllegalArgumentException("canonical form is empty");
        }
    }

    public static CanonicalCell of(CellCode cell) {
        boolean[] live = cell.liveEdges();
        boolean connected = false;
        for (boolean l : live) {
            connected |= l;
        }
        if (!connected) {
            return new CanonicalCell(ZERO_FORM);
        }
        Graph g = Graph.of(cell, live);
        g.contract();
        return new CanonicalCell(g.canonicalEncoding());
    }

    /** A stable 16-hex-digit id: the first 64 bits of the SHA-256 of the canonical form. */
    public String id() {
        return StableId.of(form);
    }

    public boolean isZero() {
        return form.equals(ZERO_FORM);
    }

    /** The operations of the form's nodes (each once): what the class computes with. */
    public java.util.Set<Op> operations() {
        java.util.Set<Op> ops = java.util.EnumSet.noneOf(Op.class);
        if (isZero()) {
            return ops;
        }
        String labels = form.substring(0, form.indexOf(':') < 0 ? form.length() : form.indexOf(':'));
        for (Op op : Op.values()) {
            if (op.isNode() && labels.indexOf(op.label()) >= 0) {
                ops.add(op);
            }
        }
        return ops;
    }

    /** Mutable multigraph over at most 4 sum nodes + 6 operation nodes; {@code adj[u][v]} counts u→v edges. */
    private static final class Graph {
        private char[] label;
        private int[][] adj;
        private int n;

        /** The graph of the live edges (each operation a node of its own) and the nodes they touch. */
        static Graph of(CellCode cell, boolean[] live) {
            Graph g = new Graph();
            g.n = CellCode.NODES;
            g.label = new char[CellCode.NODES + CellCode.EDGES];
            g.adj = new int[g.label.length][g.label.length];
            g.label[0] = INPUT;
            g.label[1] = SUM;
            g.label[2] = SUM;
            g.label[3] = OUTPUT;
            for (int e = 0; e < CellCode.EDGES; e++) {
                if (!live[e]) {
                    continue;
                }
                int from = CellCode.from(e);
                int to = CellCode.to(e);
                Op op = cell.op(e);
                if (op.isNode()) {
                    int node = g.n++;
                    g.label[node] = op.label();
                    g.adj[from][node]++;
                    g.adj[node][to]++;
                } else if (op.isIdentity()) {
                    g.adj[from][to]++;
                }
            }
            // a sum no live edge touches is on no input→output path
            boolean[] keep = new boolean[g.n];
            for (int v = 0; v < g.n; v++) {
                keep[v] = g.label[v] != SUM;
                for (int u = 0; u < g.n && !keep[v]; u++) {
                    keep[v] = g.adj[u][v] > 0 || g.adj[v][u] > 0;
                }
            }
            g.retain(keep);
            return g;
        }

        /**
         * Removes pass-through sums until none is left: a sum with one incoming edge forwards that
         * input, and a sum with one outgoing edge into another sum (or the output) is part of that
         * sum, since addition is associative. Parallel edges survive: x + x is not x.
         */
        void contract() {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int s = 0; s < n && !changed; s++) {
                    if (label[s] != SUM) {
                        continue;
                    }
                    if (inDegree(s) == 1) {
                        int p = onlyPredecessor(s);
                        for (int t = 0; t < n; t++) {
                            adj[p][t] += adj[s][t];
                        }
                        changed = true;
                    } else if (outDegree(s) == 1) {
                        int t = onlySuccessor(s);
                        if (label[t] != SUM && label[t] != OUTPUT) {
                            continue;
                        }
                        for (int q = 0; q < n; q++) {
                            adj[q][t] += adj[q][s];
                        }
                        changed = true;
                    }
                    if (changed) {
                        boolean[] keep = new boolean[n];
                        Arrays.fill(keep, true);
                        keep[s] = false;
                        retain(keep);
                    }
                }
            }
        }

        /**
         * Smallest encoding over all node orders that sort nodes by their refined colour; only
         * nodes of equal colour are permuted, so the search is tiny for these graphs.
         */
        String canonicalEncoding() {
            int[] colour = refineColours();
            Integer[] order = new Integer[n];
            for (int v = 0; v < n; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(colour[a], colour[b]));
            int[] base = new int[n];
            for (int i = 0; i < n; i++) {
                base[i] = order[i];
            }
            String[] best = {null};
            permuteWithinColours(base, colour, 0, best);
            return best[0];
        }

        private void permuteWithinColours(int[] order, int[] colour, int from, String[] best) {
            if (from == n) {
                String enc = encode(order);
                if (best[0] == null || enc.compareTo(best[0]) < 0) {
                    best[0] = enc;
                }
                return;
            }
            int end = from;
            while (end < n && colour[order[end]] == colour[order[from]]) {
                end++;
            }
            permuteBlock(order, colour, from, end, best);
        }

        /** Every permutation of order[i, end), each followed by the permutations of the next blocks. */
        private void permuteBlock(int[] order, int[] colour, int i, int end, String[] best) {
            if (i == end) {
                permuteWithinColours(order, colour, end, best);
                return;
            }
            for (int j = i; j < end; j++) {
                swap(order, i, j);
                permuteBlock(order, colour, i + 1, end, best);
                swap(order, i, j);
            }
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }

        /**
         * The node labels in the given order (I input, O output, S sum, an operation's own label), then the
         * edges as {@code :i>j,…} between positions in that order, {@code xk} marking k parallel edges.
         */
        private String encode(int[] order) {
            StringBuilder s = new StringBuilder(n + 1 + n * n * 2);
            for (int v : order) {
                s.append(label[v]);
            }
            char separator = ':';
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int count = adj[order[i]][order[j]];
                    if (count > 0) {
                        s.append(separator).append(i).append('>').append(j);
                        if (count > 1) {
                            s.append('x').append(count);
                        }
                        separator = ',';
                    }
                }
            }
            return s.toString();
        }

        /**
         * Colour refinement: a node's colour is its label, then repeatedly its colour plus the
         * multisets of its predecessors' and successors' colours, until the partition is stable.
         * Colours are ranks of signature strings, so they do not depend on node numbering.
         */
        private int[] refineColours() {
            String[] signature = new String[n];
            for (int v = 0; v < n; v++) {
                signature[v] = String.valueOf(label[v]);
            }
            int[] colour = rank(signature);
            int classes = distinct(colour);
            while (true) {
                for (int v = 0; v < n; v++) {
                    List<Integer> in = new ArrayList<>();
                    List<Integer> out = new ArrayList<>();
                    for (int u = 0; u < n; u++) {
                        for (int k = 0; k < adj[u][v]; k++) {
                            in.add(colour[u]);
                        }
                        for (int k = 0; k < adj[v][u]; k++) {
                            out.add(colour[u]);
                        }
                    }
                    in.sort(null);
                    out.sort(null);
                    signature[v] = colour[v] + "<" + in + ">" + out;
                }
                int[] next = rank(signature);
                int nextClasses = distinct(next);
                colour = next;
                if (nextClasses == classes) {
                    return colour;
                }
                classes = nextClasses;
            }
        }

        private static int[] rank(String[] signature) {
            List<String> sorted = new ArrayList<>(new TreeSet<>(Arrays.asList(signature)));
            int[] rank = new int[signature.length];
            for (int v = 0; v < signature.length; v++) {
                rank[v] = sorted.indexOf(signature[v]);
            }
            return rank;
        }

        private static int distinct(int[] colour) {
            return (int) Arrays.stream(colour).distinct().count();
        }

        private int inDegree(int v) {
            int d = 0;
            for (int u = 0; u < n; u++) {
                d += adj[u][v];
            }
            return d;
        }

        private int outDegree(int v) {
            int d = 0;
            for (int u = 0; u < n; u++) {
                d += adj[v][u];
            }
            return d;
        }

        private int onlyPredecessor(int v) {
            for (int u = 0; u < n; u++) {
                if (adj[u][v] > 0) {
                    return u;
                }
            }
            throw new IllegalStateException("node " + v + " has no predecessor");
        }

        private int onlySuccessor(int v) {
            for (int u = 0; u < n; u++) {
                if (adj[v][u] > 0) {
                    return u;
                }
            }
            throw new IllegalStateException("node " + v + " has no successor");
        }

        /** Drops the nodes not kept, renumbering the rest in their current order. */
        private void retain(boolean[] keep) {
            int[] newIndex = new int[n];
            int m = 0;
            for (int v = 0; v < n; v++) {
                newIndex[v] = keep[v] ? m++ : -1;
            }
            char[] newLabel = new char[m];
            int[][] newAdj = new int[m][m];
            for (int u = 0; u < n; u++) {
                if (!keep[u]) {
                    continue;
                }
                newLabel[newIndex[u]] = label[u];
                for (int v = 0; v < n; v++) {
                    if (keep[v]) {
                        newAdj[newIndex[u]][newIndex[v]] = adj[u][v];
                    }
                }
            }
            label = newLabel;
            adj = newAdj;
            n = m;
        }
    }
}
