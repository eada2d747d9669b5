package org.nashpo.core.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * NAS-Bench-201's names for cells: architecture strings such as
 * {@code |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|} (node 1's
 * inputs, node 2's, node 3's; {@code op~j} is the edge from node j, in the same order as a cellcode's edges),
 * and its rule for which architectures are the same ({@link #uniqueString}).
 */
public final class ArchString {

    private static final String EXPECTED = "expected a NAS-Bench-201 architecture string "
            + "|OP~0|+|OP~0|OP~1|+|OP~0|OP~1|OP~2|";

    private ArchString() {
    }

    /** The architecture string of a cell. */
    public static String format(CellCode cell) {
        StringBuilder s = new StringBuilder();
        for (int target = 1; target < CellCode.NODES; target++) {
            if (target > 1) {
                s.append('+');
            }
            s.append('|');
            for (int source = 0; source < target; source++) {
                s.append(cell.op(edge(source, target)).nb201Name()).append('~').append(source).append('|');
            }
        }
        return s.toString();
    }

    /**
     * The cell an architecture string names in {@code space}; an {@link IllegalArgumentException} naming
     * the string, what is wrong and the expected form otherwise (an operation the space lacks included).
     */
    public static CellCode parse(SearchSpace space, String text) {
        String quoted = "architecture string \"" + text + "\": ";
        String[] nodes = text.split("\\+", -1);
        if (nodes.length != CellCode.NODES - 1) {
            throw new IllegalArgumentException(quoted + "has " + nodes.length + " nodes, not 3; " + EXPECTED);
        }
        Op[] edges = new Op[CellCode.EDGES];
        for (int n = 0; n < nodes.length; n++) {
            int target = n + 1;
            String node = nodes[n];
            if (node.length() < 2 || node.charAt(0) != '|' || node.charAt(node.length() - 1) != '|') {
                throw new IllegalArgumentException(quoted + "node " + target + " \"" + node
                        + "\" must start and end with '|'; " + EXPECTED);
            }
            String[] inputs = node.substring(1, node.length() - 1).split("\\|", -1);
            if (inputs.length != target) {
                throw new IllegalArgumentException(quoted + "node " + target + " must have " + target
                        + " input(s), has " + inputs.length + "; " + EXPECTED);
            }
            for (String input : inputs) {
                int tilde = input.lastIndexOf('~');
                int source = tilde < 0 ? -1 : parseSource(input.substring(tilde + 1));
                if (source < 0 || source >= target) {
                    throw new IllegalArgumentException(quoted + "\"" + input + "\" is not OP~j with 0 ≤ j < " + target
                            + "; " + EXPECTED);
                }
                String name = input.substring(0, tilde);
                Op op = Op.byNb201Name(name).orElseThrow(() -> new IllegalArgumentException(quoted + "\"" + name
                        + "\" is not an operation; expected one of " + nb201Names(space)));
                if (!space.contains(op)) {
                    throw new IllegalArgumentException(quoted + name + " is not an operation of the space; expected one of "
                            + nb201Names(space));
                }
                int e = edge(source, target);
                if (edges[e] != null) {
                    throw new IllegalArgumentException(quoted + "node " + target + " names its input " + source + " twice");
                }
                edges[e] = op;
            }
        }
        return new CellCode(space, List.of(edges));
    }

    private static int parseSource(String digits) {
        return digits.length() == 1 && Character.isDigit(digits.charAt(0)) ? digits.charAt(0) - '0' : -1;
    }

    private static String nb201Names(SearchSpace space) {
        return String.join(", ", space.operations().stream().map(Op::nb201Name).toList());
    }

    /** The position of edge source→target in cellcode order. */
    static int edge(int source, int target) {
        return target * (target - 1) / 2 + source;
    }

    /**
     * NAS-Bench-201's uniqueness rule, verbatim ({@code Structure.to_unique_str(consider_zero=True)} of
     * AutoDL-Projects' {@code genotypes.py}, which {@code get_unique_str} uses and which gives its published
     * 6,466 unique architectures of 15,625): node by node, each input edge gives a token — {@code #} for a
     * zero edge or a source whose string is exactly {@code #}, the source's string for an identity, else
     * {@code (source)@op} — and the node's string is its tokens sorted and joined by {@code +}. A node fed only
     * by zeros is {@code #+#}, not {@code #}, and a skip from a composite node is one token: cells this rule
     * tells apart may still compute the same function ({@link CanonicalCell} is the project's rule).
     */
    public static String uniqueString(CellCode cell) {
        String[] nodes = new String[CellCode.NODES];
        nodes[0] = "0";
        for (int target = 1; target < CellCode.NODES; target++) {
            List<String> tokens = new ArrayList<>(target);
            for (int source = 0; source < target; source++) {
                Op op = cell.op(edge(source, target));
                String in = nodes[source];
                if (op.isZero() || in.equals("#")) {
                    tokens.add("#");
                } else if (op.isIdentity()) {
                    tokens.add(in);
                } else {
                    tokens.add("(" + in + ")@" + op.nb201Name());
                }
            }
            Collections.sort(tokens);
            nodes[target] = String.join("+", tokens);
        }
        return nodes[CellCode.NODES - 1];
    }
}
