package org.nashpo.core.space;

/** The four operations an edge of a cell can hold; the digit is the one a cellcode writes. */
public enum Op {
    /** ReLU, 3x3 convolution (stride 1, pad 1, no bias, C to C), BatchNorm. */
    CONV('0', "conv"),
    /** 3x3 average pooling, stride 1, pad 1, padding counted in the divisor. */
    AVG_POOL('1', "avgpool"),
    /** Identity. */
    SKIP('2', "skip"),
    /** The edge is absent: it outputs zeros. */
    ZERO('3', "zero");

    private final char digit;
    private final String label;

    Op(char digit, String label) {
        this.digit = digit;
        this.label = label;
    }

    public char digit() {
        return digit;
    }

    public String label() {
        return label;
    }

    /** Operations with learnable parameters or compute; skip and zero are wiring only. */
    public boolean isLayer() {
        return this == CONV || this == AVG_POOL;
    }

    /** The operation a cellcode digit stands for, or {@code null} if the character is not one. */
    static Op ofDigitOrNull(char c) {
        return switch (c) {
            case '0' -> CONV;
            case '1' -> AVG_POOL;
            case '2' -> SKIP;
            case '3' -> ZERO;
            default -> null;
        };
    }
}
