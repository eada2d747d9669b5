package org.nashpo.worker.golden;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The conformance measure of docs/CONFORMANCE.md, the same as the generator's. For each quantity,
 * the largest over its tensors of max|a − b| / s, with s the scale the tensor is judged at:
 * <ul>
 *   <li>a parameter's gradient or change: the largest max|b| among the parameters of its layer —
 *       a conv bias before BatchNorm has no gradient in exact arithmetic, so its rounding noise is
 *       judged at its weight's scale, not its own;
 *   <li>a running statistic, the logits: its own max|b|.
 * </ul>
 * Scales are per layer, never per network, because they span eight orders of magnitude between
 * the stem and the last stage.
 */
final class Conformance {

    private Conformance() {
    }

    /** Each quantity's error: logits, loss, grad, change, running, loss2, eval_logits. */
    static Map<String, Double> errors(GoldenFixture f, Measured m) {
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("logits", error(Map.of("logits", f.logits()), Map.of("logits", m.logits()), Function.identity()));
        errors.put("loss", Math.abs(m.loss() - f.loss()) / Math.abs(f.loss()));
        errors.put("grad", error(f.gradients(), m.gradients(), Conformance::layer));
        Map<String, float[]> parameterChanges = new LinkedHashMap<>();
        Map<String, float[]> statisticChanges = new LinkedHashMap<>();
        f.tensors().forEach(t -> (t.statistic() ? statisticChanges : parameterChanges).put(t.name(),
                f.changes().get(t.name())));
        errors.put("change", error(parameterChanges, m.changes(), Conformance::layer));
        errors.put("running", error(statisticChanges, m.changes(), Function.identity()));
        errors.put("loss2", Math.abs(m.loss2() - f.loss2()) / Math.abs(f.loss2()));
        errors.put("eval_logits", error(Map.of("e", f.evalLogits()), Map.of("e", m.evalLogits()), Function.identity()));
        return errors;
    }

    /** The worst tensor's error; tensors with the same {@code scaleGroup} share their scale. */
    static double error(Map<String, float[]> exact, Map<String, double[]> actual, Function<String, String> scaleGroup) {
        Map<String, Double> scales = new LinkedHashMap<>();
        exact.forEach((name, b) -> scales.merge(scaleGroup.apply(name), maxAbs(b), Math::max));
        double worst = 0;
        for (Map.Entry<String, float[]> e : exact.entrySet()) {
            double difference = difference(e.getKey(), e.getValue(), actual.get(e.getKey()));
            double scale = scales.get(scaleGroup.apply(e.getKey()));
            if (Double.isNaN(difference)) {
                return Double.NaN;
            }
            // a layer that does not move (nothing reaches it) must not move at all
            worst = Math.max(worst, scale > 0 ? difference / scale : difference == 0 ? 0 : Double.POSITIVE_INFINITY);
        }
        return worst;
    }

    /** Each tensor's error, for a message naming the worst ones. */
    static Map<String, Double> perTensor(Map<String, float[]> exact, Map<String, double[]> actual) {
        Map<String, Double> scales = new LinkedHashMap<>();
        exact.forEach((name, b) -> scales.merge(layer(name), maxAbs(b), Math::max));
        Map<String, Double> errors = new LinkedHashMap<>();
        exact.forEach((name, b) -> {
            double difference = difference(name, b, actual.get(name));
            double scale = scales.get(layer(name));
            errors.put(name, scale > 0 ? difference / scale : difference);
        });
        return errors;
    }

    private static double difference(String name, float[] b, double[] a) {
        if (a == null || a.length != b.length) {
            throw new AssertionError(name + ": the engine gave " + (a == null ? "nothing" : a.length + " values")
                    + ", the fixture has " + b.length);
        }
        double difference = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            difference = Math.max(difference, d);
        }
        return difference;
    }

    private static String layer(String tensor) {
        return tensor.substring(0, tensor.indexOf('.'));
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
