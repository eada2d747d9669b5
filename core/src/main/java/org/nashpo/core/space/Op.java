package org.nashpo.core.space;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every operation an edge of a cell can hold, each declared once: what the rest of the system knows of
 * an operation it reads from here.
 *
 * <ul>
 *   <li>{@link #specName()}: how a spec, the CLI and the benchmark's manifest name it
 *       ({@link #aliases()}: older names a spec may still use);
 *   <li>{@link #nb201Name()}: its name in NAS-Bench-201's architecture strings;
 *   <li>{@link #code()}: its character in a cell's {@linkplain CellCode#stableCode() stable code}, the
 *       digit-order-free name of a cell that run keys hash, so a cell's key does not depend on the other
 *       operations of its space; the four operations of NAS-HPO-Bench-II have the digits of its
 *       cellcodes, which keeps every key it ever built;
 *   <li>{@link #kind()}: what it computes, which decides the class rule ({@link #isZero()},
 *       {@link #isIdentity()}: every other operation is a labelled node, {@link CanonicalCell}), its
 *       parameters and cost, and the layers the network builds for it ({@code NetworkGraph});
 *   <li>{@link #label()}: its node label in canonical forms (class ids hash them: never change one).
 * </ul>
 *
 * <p>Adding an operation is one constant here, plus, for a new {@link Kind}, its layer in the network
 * graph and the engine's kernel for it.
 */
public enum Op {
    /** ReLU, 3×3 convolution (stride 1, pad 1, no bias, C→C), BatchNorm. */
    CONV3X3("conv3x3", List.of("conv"), "nor_conv_3x3", '0', 'C', new Kind.ReluConvBn(3)),
    /** 3×3 average pooling, stride 1, pad 1; whether padding counts in the divisor is the network family's. */
    AVGPOOL3X3("avgpool3x3", List.of("avgpool"), "avg_pool_3x3", '1', 'P', new Kind.AvgPool(3)),
    /** Identity. */
    SKIP("skip", List.of(), "skip_connect", '2', '-', new Kind.Identity()),
    /** The edge is absent: it outputs zeros. */
    ZERO("zero", List.of(), "none", '3', '-', new Kind.Zero()),
    /** ReLU, 1×1 convolution (stride 1, no padding, no bias, C→C), BatchNorm. */
    CONV1X1("conv1x1", List.of(), "nor_conv_1x1", '4', 'K', new Kind.ReluConvBn(1));

    /** What an operation computes. */
    public sealed interface Kind {

        /** Outputs zeros: the edge is absent. */
        record Zero() implements Kind {
        }

        /** Passes its input on: a plain edge. */
        record Identity() implements Kind {
        }

        /** ReLU → k×k convolution (stride 1, padding k/2, no bias, C→C) → BatchNorm. */
        record ReluConvBn(int kernel) implements Kind {
        }

        /** k×k average pooling, stride 1, padding k/2, C→C. */
        record AvgPool(int kernel) implements Kind {
        }
    }

    private final String specName;
    private final List<String> aliases;
    private final String nb201Name;
    private final char code;
    private final char label;
    private final Kind kind;

    Op(String specName, List<String> aliases, String nb201Name, char code, char label, Kind kind) {
        this.specName = specName;
        this.aliases = aliases;
        this.nb201Name = nb201Name;
        this.code = code;
        this.label = label;
        this.kind = kind;
    }

    public String specName() {
        return specName;
    }

    /** Older names a spec may use for this operation ({@code conv}, {@code avgpool}). */
    public List<String> aliases() {
        return aliases;
    }

    public String nb201Name() {
        return nb201Name;
    }

    /** The character of this operation in a cell's stable code. */
    public char code() {
        return code;
    }

    /** The label of this operation's node in canonical forms; only for operations that are nodes. */
    char label() {
        if (!isNode()) {
            throw new IllegalStateException(this + " is not a node of a canonical form");
        }
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** The edge is absent (the class rule drops it). */
    public boolean isZero() {
        return kind instanceof Kind.Zero;
    }

    /** The edge passes its input on (the class rule makes it a plain edge). */
    public boolean isIdentity() {
        return kind instanceof Kind.Identity;
    }

    /** The operation has learnable parameters. */
    public boolean isParametric() {
        return kind instanceof Kind.ReluConvBn;
    }

    /** The operation computes something: it is a labelled node of a canonical form and a layer of the network. */
    public boolean isNode() {
        return !isZero() && !isIdentity();
    }

    /** The operation a spec name (or an alias) names. */
    public static Optional<Op> bySpecName(String name) {
        return Arrays.stream(values())
                .filter(op -> op.specName.equals(name) || op.aliases.contains(name))
                .findFirst();
    }

    /** The operation NAS-Bench-201 names so. */
    public static Optional<Op> byNb201Name(String name) {
        return Arrays.stream(values()).filter(op -> op.nb201Name.equals(name)).findFirst();
    }

    /** The operation with this stable-code character. */
    public static Optional<Op> byCode(char code) {
        return Arrays.stream(values()).filter(op -> op.code == code).findFirst();
    }

    /** Every spec name, for messages. */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(Op::specName).toList();
    }
}
