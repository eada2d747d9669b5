package org.nashpo.spark.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeldOutMetricsTest {

    private static final double[] TRUTH = {50, 60, 70, 80};

    @Test
    void perfectPredictionsScoreOne() {
        HeldOutMetrics m = HeldOutMetrics.of(TRUTH.clone(), TRUTH);
        assertThat(m.r2()).isEqualTo(1.0);
        assertThat(m.rmse()).isZero();
        assertThat(m.kendallTau()).isEqualTo(1.0);
        assertThat(m.spearmanRho()).isEqualTo(1.0);
    }

    @Test
    void predictingTheMeanScoresZeroAndAReversedOrderMinusOne() {
        // SS_res = SS_tot when every prediction is the mean (65): R² = 0
        HeldOutMetrics mean = HeldOutMetrics.of(new double[] {65, 65, 65, 65.000001}, TRUTH);
        assertThat(mean.r2()).isCloseTo(0, within(1e-6));
        // residuals 30, 10, −10, −30: RMSE √((900+100+100+900)/4) = √500
        HeldOutMetrics reversed = HeldOutMetrics.of(new double[] {80, 70, 60, 50}, TRUTH);
        assertThat(reversed.rmse()).isCloseTo(Math.sqrt(500), within(1e-12));
        assertThat(reversed.kendallTau()).isEqualTo(-1.0);
        assertThat(reversed.spearmanRho()).isEqualTo(-1.0);
        // SS_tot = 500, SS_res = 2000: R² = 1 − 4
        assertThat(reversed.r2()).isCloseTo(-3, within(1e-12));
    }

    @Test
    void oneSwappedPairOfFourLowersTauByTwoSixths() {
        // 6 pairs, 5 concordant and 1 discordant: τ = (5 − 1) / 6
        HeldOutMetrics.Ranking r = HeldOutMetrics.Ranking.of(new double[] {1, 2, 4, 3}, TRUTH);
        assertThat(r.kendallTau()).isCloseTo(4.0 / 6, within(1e-12));
        // Σd² = 2: ρ = 1 − 6·2 / (4·15)
        assertThat(r.spearmanRho()).isCloseTo(1 - 12.0 / 60, within(1e-12));
    }
}
