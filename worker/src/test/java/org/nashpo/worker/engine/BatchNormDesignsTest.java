package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every BatchNorm design of issue 26 against {@link BatchNormReference} on identical inputs (seed 26): y, the
 * batch mean and biased variance, the running statistics after two steps, dx, dγ and dβ.
 *
 * <p>The error of an output is max |design − reference| / max(1, max |reference|): absolute for outputs of
 * order one, relative for dγ and dβ, sums over the N·H·W elements of a channel that grow with it. Tolerances:
 * float32 {@value #FLOAT_TOLERANCE} (float32's 6e-8 rounding accumulated over up to 2^16-element sums, the
 * E[x²] − μ² variance of design (b) included; the designs reach 1e-6 to 5e-6), double {@value #DOUBLE_TOLERANCE}.
 * The errors reached are printed after the run.
 */
class BatchNormDesignsTest {

    static final double FLOAT_TOLERANCE = 2e-5;
    /** libnd4j's batchnorm_bp in double reaches 2.2e-9 on dx (the odd shape); every other output stays below 1e-13. */
    static final double DOUBLE_TOLERANCE = 1e-8;
    private static final long SEED = 26;
    private static final Map<String, String> REACHED = new LinkedHashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // an odd shape (no SIMD-width multiple anywhere), and the network's two BN shapes at batch 64, width 16
        long[][] shapes = {{3, 5, 7, 9}, {64, 16, 32, 32}, {64, 64, 8, 8}};
        for (BatchNormDesign.Kind kind : BatchNormDesign.Kind.values()) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                if (!kind.supports(type)) {
                    continue;
                }
                for (long[] shape : shapes) {
                    cases.add(Arguments.of(kind, type, shape));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesTheDoublePrecisionReference(BatchNormDesign.Kind kind, DataType type, long[] shape) {
        try (BatchNormArrays a = new BatchNormArrays(type, shape, SEED)) {
            BatchNormReference ref = new BatchNormReference(shape, values(a.x), values(a.dy),
                    values(a.gamma), values(a.beta), values(a.runningMean),
                    values(a.runningVar), 2);
            double[] x = values(a.x);
            try (BatchNormDesign design = kind.bind(a)) {
                // twice: the bound design is reused, and the running statistics compound
                for (int step = 0; step < 2; step++) {
                    a.dx.assign(Double.NaN);
                    a.dGamma.assign(Double.NaN);
                    design.forwardTraining();
                    design.backward();
                }
            }
            Map<String, Double> errors = new LinkedHashMap<>();
            errors.put("y", error(a.y, ref.y));
            errors.put("mean", error(a.mean, ref.mean));
            errors.put("var", error(a.variance, ref.variance));
            errors.put("running_mean", error(a.runningMean, ref.runningMean));
            errors.put("running_var", error(a.runningVar, ref.runningVar));
            errors.put("dx", error(a.dx, ref.dx));
            errors.put("dgamma", error(a.dGamma, ref.dGamma));
            errors.put("dbeta", error(a.dBeta, ref.dBeta));
            StringBuilder line = new StringBuilder();
            errors.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.1e", k, v)));
            synchronized (REACHED) {
                REACHED.put(String.format(Locale.ROOT, "%-9s %-6s %-16s", kind, type,
                        java.util.Arrays.toString(shape)), line.toString());
            }
            assertThat(java.util.Arrays.equals(values(a.x), x)).as("x is left as it was").isTrue();
            double tolerance = type == DataType.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
            errors.forEach((output, e) -> assertThat(e).as("%s %s %s: %s", kind, type,
                    java.util.Arrays.toString(shape), output).isLessThanOrEqualTo(tolerance));
        }
    }

    /** max |actual − expected| / max(1, max |expected|); NaN anywhere (an output left unwritten) is infinite. */
    static double error(INDArray actual, double[] expected) {
        double[] got = values(actual);
        assertThat(got).hasSameSizeAs(expected);
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - expected[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return worst / scale;
    }

    /** An array's elements in c order, as doubles. */
    static double[] values(INDArray array) {
        return array.reshape('c', new long[] {array.length()}).toDoubleVector();
    }

    @AfterAll
    static void printTheErrorsReached() {
        System.out.println("BatchNorm designs, max error per output (|Δ| / max(1, max|ref|)):");
        REACHED.forEach((k, v) -> System.out.println("  " + k + v));
    }
}
