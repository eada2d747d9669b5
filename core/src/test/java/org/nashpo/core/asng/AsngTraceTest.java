package org.nashpo.core.asng;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the states of the authors' own categorical ASNG (traces/README.md: their implementation,
 * unmodified, fed recorded samples and losses) through {@link Asng}: after every update θ, δ, Δ, γ
 * and s must agree, and so must the decision to skip. Agreement is to summation order, so the
 * tolerance is far below any behavioural difference (a changed tie rule moves θ by 10⁻¹).
 */
class AsngTraceTest {

    /** The bound; the largest difference seen is printed by each replay. */
    private static final double TOLERANCE = 1e-9;

    static Stream<String> traces() {
        return Stream.of("hpobench2_8var", "hpobench2_8var_negacc", "oneshot_6edges", "mixed_K1_K2", "hpobench2_lam6");
    }

    @ParameterizedTest
    @MethodSource("traces")
    void everyStateEqualsTheOriginals(String name) {
        JsonNode trace = read(name);
        int[] categories = ints(trace.get("categories"));
        int lambda = trace.get("lambda").asInt();
        Asng asng = new Asng(categories);
        double largest = 0;
        int skipped = 0;
        JsonNode steps = trace.get("steps");
        assertThat(steps.size()).as("steps in %s", name).isGreaterThanOrEqualTo(100);
        for (int step = 0; step < steps.size(); step++) {
            JsonNode s = steps.get(step);
            int[][] samples = new int[lambda][];
            double[] losses = new double[lambda];
            for (int n = 0; n < lambda; n++) {
                samples[n] = ints(s.get("samples").get(n));
                losses[n] = s.get("losses").get(n).asDouble();
            }
            boolean updated = asng.update(samples, losses);
            JsonNode after = s.get("after");
            String at = name + " step " + step;
            assertThat(updated).as("%s: updated", at).isEqualTo(!after.get("skipped").asBoolean());
            skipped += updated ? 0 : 1;

            double[][] theta = asng.theta();
            for (int i = 0; i < categories.length; i++) {
                for (int k = 0; k < categories[i]; k++) {
                    largest = Math.max(largest, check(at + " theta[" + i + "][" + k + "]", theta[i][k],
                            after.get("theta").get(i).get(k).asDouble()));
                }
            }
            largest = Math.max(largest, check(at + " delta", asng.delta(), after.get("delta").asDouble()));
            largest = Math.max(largest, check(at + " Delta", asng.bigDelta(), after.get("Delta").asDouble()));
            largest = Math.max(largest, check(at + " gamma", asng.gamma(), after.get("gamma").asDouble()));
            double[] path = asng.evolutionPath();
            assertThat(path).as("%s: s", at).hasSize(after.get("s").size());
            for (int j = 0; j < path.length; j++) {
                largest = Math.max(largest, check(at + " s[" + j + "]", path[j], after.get("s").get(j).asDouble()));
            }
        }
        System.out.printf("%s: %d steps (%d skipped), largest difference %.3g%n", name, steps.size(), skipped, largest);
    }

    /** Asserts |actual − expected| ≤ tolerance (relative above 1) and returns the difference. */
    private static double check(String what, double actual, double expected) {
        double difference = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertThat(difference).as("%s: nashpo %s, original %s", what, actual, expected).isLessThanOrEqualTo(TOLERANCE);
        return difference;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static JsonNode read(String name) {
        String resource = "traces/" + name + ".json.gz";
        try (InputStream in = AsngTraceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("test resource %s", resource).isNotNull();
            return new ObjectMapper().readTree(new GZIPInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
