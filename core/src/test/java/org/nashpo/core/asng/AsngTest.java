package org.nashpo.core.asng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ASNG update against values worked out by hand for λ = 2 on two variables of 3 categories
 * each: N = Σ(K−1) = 4 free parameters, D = 2 variables, θ_min = 1/(D·(K−1)) = 1/4, θ starts at 1/3.
 */
class AsngTest {

    private static final double TOL = 1e-12;
    private static final double SQRT3 = Math.sqrt(3);
    /** 1/‖G‖_F·|G_k| for a gradient (±½, 0, ∓½) on one variable at θ = ⅓: ½/√1.5 = 1/√6. */
    private static final double A = 1 / Math.sqrt(6);

    @Test
    void aFirstStepFollowsTheFisherNormalisedGradientClipsAndAdaptsDelta() {
        Asng asng = new Asng(new int[] {3, 3});

        // sample 0 = (0, 1) has the lower loss: u = (+1, −1), ū = 0.
        boolean updated = asng.update(new int[][] {{0, 1}, {2, 1}}, new double[] {1.0, 2.0});

        // G = ½[(e_x0 − θ) − (e_x1 − θ)] = ½(e_x0 − e_x1): variable 0 → (½, 0, −½), variable 1 → 0.
        // Fisher norm in the first K−1 coordinates, F = diag(1/θ) + 11ᵀ/θ_K = diag(3, 3) + 3·11ᵀ:
        // GᵀFG = 3·¼ + 3·(½)² = 1.5; the original's F^½G = ((3+√3)/4, (3−√3)/4, 0, 0) has the same norm:
        // ((3+√3)² + (3−√3)²)/16 = 24/16. δ = δ_init/Δ = 1, so θ_0 += G/√1.5 = (⅓ + A, ⅓, ⅓ − A), A = 1/√6.
        // ⅓ − A < ¼: clipped to ¼; sum = 11/12 + A, excess e = A − 1/12 moved off the coordinates above ¼
        // in proportion to their distance from ¼ (total room r = sum − ¾ = 1/6 + A).
        double excess = A - 1.0 / 12;
        double room = 1.0 / 6 + A;
        double[][] theta = asng.theta();
        assertThat(updated).isTrue();
        assertThat(theta[0][0]).isCloseTo(1.0 / 3 + A - excess * (1.0 / 12 + A) / room, within(TOL));
        assertThat(theta[0][1]).isCloseTo(1.0 / 3 - excess * (1.0 / 12) / room, within(TOL));
        assertThat(theta[0][2]).isCloseTo(0.25, within(TOL));
        assertThat(theta[0][0] + theta[0][1] + theta[0][2]).isCloseTo(1, within(TOL));
        assertThat(theta[1]).containsExactly(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, within(TOL));

        // β = δ/√N = ½; s = √(β(2−β))·F^½G/‖G‖_F has ‖s‖² = ¾; γ = β(2−β) = ¾;
        // Δ = exp(β(γ − ‖s‖²/α)) = exp(½(¾ − ¾/1.5)) = exp(1/8); δ = 1/Δ.
        assertThat(asng.bigDelta()).isCloseTo(Math.exp(0.125), within(TOL));
        assertThat(asng.delta()).isCloseTo(Math.exp(-0.125), within(TOL));
        assertThat(asng.mostLikely()).containsExactly(0, 0);
    }

    @Test
    void aSecondStepUsesTheAdaptedStepSizeAndAccumulatesThePath() {
        Asng asng = new Asng(new int[] {3, 3});
        asng.update(new int[][] {{0, 1}, {2, 1}}, new double[] {1.0, 2.0});

        // now sample 1 = (1, 2) wins: G_0 = 0, G_1 = ½(e2 − e0) = (−½, 0, ½); θ_1 is still ⅓ everywhere,
        // so ‖G‖_F = √1.5 again and F^½G/‖G‖_F = (0, 0, −(3+√3)/4, −(3−√3)/4)/√1.5, orthogonal to the
        // first step's unit vector. δ₂ = exp(−1/8), β₂ = δ₂/2.
        boolean updated = asng.update(new int[][] {{1, 0}, {1, 2}}, new double[] {5.0, 3.0});

        double delta2 = Math.exp(-0.125);
        double beta2 = delta2 / 2;
        // s₂ = (1−β₂)s₁ + √(β₂(2−β₂))·v₂ with ‖s₁‖² = ¾ and v₂ ⟂ s₁ a unit vector:
        // ‖s₂‖² = (1−β₂)²·¾ + β₂(2−β₂), which is exactly γ₂ = (1−β₂)²γ₁ + β₂(2−β₂).
        double gamma2 = (1 - beta2) * (1 - beta2) * 0.75 + beta2 * (2 - beta2);
        // Δ₂ = Δ₁·exp(β₂(γ₂ − ‖s₂‖²/1.5)) = exp(1/8)·exp(β₂γ₂/3)
        assertThat(updated).isTrue();
        assertThat(asng.bigDelta()).isCloseTo(Math.exp(0.125 + beta2 * gamma2 / 3), within(TOL));

        // θ_1 += δ₂(−A, 0, A): (⅓ − δ₂A, ⅓, ⅓ + δ₂A); δ₂A ≈ 0.36 > 1/12, so the first clips to ¼
        double d = delta2 * A;
        double excess = d - 1.0 / 12;
        double room = 1.0 / 6 + d;
        double[][] theta = asng.theta();
        assertThat(theta[1][0]).isCloseTo(0.25, within(TOL));
        assertThat(theta[1][1]).isCloseTo(1.0 / 3 - excess * (1.0 / 12) / room, within(TOL));
        assertThat(theta[1][2]).isCloseTo(1.0 / 3 + d - excess * (1.0 / 12 + d) / room, within(TOL));
        assertThat(asng.mostLikely()).containsExactly(0, 2);
    }

    @Test
    void theFisherNormIsTheSquareRootOfGTransposedFG() {
        // off the uniform point the original's F^½G must still have ‖F^½G‖² = GᵀFG; with one step taken
        // θ_0 = (t0, t1, ¼), and a step G_0 = (0, ½, −½) has GᵀFG = ¼/t1 + (½)²/θ_K = ¼/t1 + 1 (θ_K = ¼).
        // Its effect on θ_0 is δ·G/‖G‖_F before clipping: θ_0[1] moves by δ·½/√(GᵀFG).
        Asng asng = new Asng(new int[] {3, 3});
        asng.update(new int[][] {{0, 1}, {2, 1}}, new double[] {1.0, 2.0});
        double[][] before = asng.theta();
        double delta = asng.delta();

        asng.update(new int[][] {{1, 1}, {2, 1}}, new double[] {0.0, 1.0});

        double fisher = 0.25 / before[0][1] + 0.25 / before[0][2];
        double moved = delta * 0.5 / Math.sqrt(fisher);
        // θ_0[2] = ¼ − moved clips at ¼, then excess `moved` leaves coordinates 0 and 1 in proportion to
        // their distance from ¼
        double t0 = before[0][0];
        double t1 = before[0][1] + moved;
        double room = (t0 - 0.25) + (t1 - 0.25);
        assertThat(asng.theta()[0][1]).isCloseTo(t1 - moved * (t1 - 0.25) / room, within(TOL));
        assertThat(asng.theta()[0][0]).isCloseTo(t0 - moved * (t0 - 0.25) / room, within(TOL));
    }

    @Test
    void aTieOfPositiveLossesSkipsTheUpdate() {
        Asng asng = new Asng(new int[] {3, 3});
        double[][] before = asng.theta();

        assertThat(asng.update(new int[][] {{0, 1}, {2, 1}}, new double[] {0.7, 0.7})).isFalse();
        // within 1e-14 relative of the smaller loss is a tie, as the original's eps
        assertThat(asng.update(new int[][] {{0, 1}, {2, 1}}, new double[] {1.0, Math.nextUp(1.0)})).isFalse();
        // equal samples give a zero gradient: nothing to normalise
        assertThat(asng.update(new int[][] {{0, 1}, {0, 1}}, new double[] {1, 2})).isFalse();

        assertThat(asng.theta()).isDeepEqualTo(before);
        assertThat(asng.bigDelta()).isEqualTo(1.0);
    }

    @Test
    void equalNegativeOrZeroLossesUpdateWithTheFirstSampleBest() {
        // the original's test b − a < 1e-14·a never holds for a ≤ 0: −accuracy ties are ranked by order
        for (double loss : new double[] {-93.25, 0.0}) {
            Asng tied = new Asng(new int[] {3, 3});
            Asng ordered = new Asng(new int[] {3, 3});
            assertThat(tied.update(new int[][] {{0, 1}, {2, 1}}, new double[] {loss, loss})).as("loss %s", loss).isTrue();
            ordered.update(new int[][] {{0, 1}, {2, 1}}, new double[] {1, 2});
            assertThat(tied.theta()).as("loss %s", loss).isDeepEqualTo(ordered.theta());
        }
        assertThat(Asng.utility(new double[] {-5, -5})).containsExactly(1, -1);
        assertThat(Asng.utility(new double[] {0.0, -0.0})).containsExactly(1, -1);
    }

    @Test
    void theUtilityRanksWithTiesSharingTheirWeights() {
        // λ = 2: best +1, worst −1
        assertThat(Asng.utility(new double[] {3, 1})).containsExactly(-1, 1);
        // λ = 4, μ = ⌈4/4⌉ = 1: weights by rank (1, 0, 0, −1); the two middle ones tie
        assertThat(Asng.utility(new double[] {2, 1, 2, 9})).containsExactly(0, 1, 0, -1);
        // λ = 4: a tie of best and second shares (1 + 0)/2
        assertThat(Asng.utility(new double[] {1, 1, 5, 6})).containsExactly(0.5, 0.5, 0, -1);
        // λ = 6, μ = 2: (½, ½, 0, 0, −½, −½)
        assertThat(Asng.utility(new double[] {6, 5, 4, 3, 2, 1})).containsExactly(-0.5, -0.5, 0, 0, 0.5, 0.5);
    }

    @Test
    void samplesFollowTheta() {
        Asng asng = new Asng(new int[] {3, 1, 4});
        for (int i = 0; i < 3; i++) {
            asng.update(new int[][] {{2, 0, 3}, {0, 0, 1}}, new double[] {-1, 0});
        }
        double[][] theta = asng.theta();
        SplittableRandom rng = new SplittableRandom(5);
        int[][] counts = {new int[3], new int[1], new int[4]};
        int n = 200_000;
        for (int j = 0; j < n; j++) {
            int[] x = asng.sample(rng);
            for (int i = 0; i < x.length; i++) {
                counts[i][x[i]]++;
            }
        }
        for (int i = 0; i < counts.length; i++) {
            for (int k = 0; k < counts[i].length; k++) {
                // binomial standard error ≤ √(¼/n) ≈ 0.0011: five of them
                assertThat(counts[i][k] / (double) n).as("variable %d value %d", i, k).isCloseTo(theta[i][k],
                        within(0.006));
            }
        }
        // a single-valued variable never moves and keeps probability 1
        assertThat(theta[1]).containsExactly(1.0);
        assertThat(asng.mostLikely()).containsExactly(2, 0, 3);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new Asng(new int[] {3, 0})).hasMessageContaining("categories[1]")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> new Asng(new int[] {3}, -1, 1)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new Asng(new int[] {3}, 1.5, 0)).hasMessageContaining("deltaInit");
        Asng asng = new Asng(new int[] {3, 3});
        assertThatThrownBy(() -> asng.update(new int[][] {{0, 3}, {0, 1}}, new double[] {1, 2}))
                .hasMessageContaining("samples[0][1]").hasMessageContaining("0..2");
        assertThatThrownBy(() -> asng.update(new int[][] {{0, 1}}, new double[] {1}))
                .hasMessageContaining("λ ≥ 2");
    }
}
