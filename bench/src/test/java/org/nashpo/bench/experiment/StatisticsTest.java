package org.nashpo.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The report's statistics on small cases worked out by hand or published with R. */
class StatisticsTest {

    @Test
    void wilcoxonMatchesRsPairedExample() {
        // R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29: depression scale at first and second
        // visit): wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40, p = 0.01953.
        // The differences' absolute ranks 1..9 are all distinct; the negative ones hold ranks 2 and 3, so
        // V = 45 − 5 = 40, and P(V ≥ 40) = P(V ≤ 5) = 10 subsets of {1..9} summing to ≤ 5 / 2⁹ = 0.01953;
        // two-sided, twice that.
        double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
        double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

        assertThat(Statistics.wilcoxonV(x, y)).isEqualTo(40);
        assertThat(Statistics.wilcoxonP(x, y)).isCloseTo(20.0 / 512, within(1e-12));
    }

    @Test
    void wilcoxonDropsZerosAndCorrectsForTiesAsR() {
        // differences (0, 1, −1, 2, 2, 3, −4, 5): the zero is dropped, n = 7; |d| ranks 1.5, 1.5, 3.5, 3.5,
        // 5, 6, 7; V = 1.5 + 3.5 + 3.5 + 5 + 7 = 20.5. Ties force the normal approximation: mean
        // n(n+1)/4 = 14, variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 = 35 − 12/48 = 34.75, continuity
        // correction ½: z = (20.5 − 14 − 0.5)/√34.75 = 1.017827, p = erfc(z/√2) = 0.3087603.
        double[] x = {10, 11, 9, 12, 12, 13, 6, 15};
        double[] y = {10, 10, 10, 10, 10, 10, 10, 10};

        assertThat(Statistics.wilcoxonV(x, y)).isEqualTo(20.5);
        assertThat(Statistics.wilcoxonP(x, y)).isCloseTo(0.3087603135, within(1e-9));
        assertThat(Statistics.wilcoxonP(y, x)).isCloseTo(0.3087603135, within(1e-9));
    }

    @Test
    void identicalSamplesAreNotDifferent() {
        double[] x = {1, 2, 3};
        assertThat(Statistics.wilcoxonP(x, x.clone())).isEqualTo(1);
    }

    @Test
    void averageRanksShareTiesAndPutMissingResultsLast() {
        // runs as columns: run 0 ranks (1, 2, 3); run 1: a2 best, a0 and a1 tie for 2 and 3 → 2.5 each;
        // run 2 ranks (3, 1, 2). Means: a0 (1 + 2.5 + 3)/3, a1 (2 + 2.5 + 1)/3, a2 (3 + 1 + 2)/3.
        double[][] values = {{1, 2, 3}, {2, 2, 1}, {3, 1, 2}};
        assertThat(Statistics.averageRanks(values)).containsExactly(new double[] {6.5 / 3, 5.5 / 3, 2},
                within(1e-12));

        double inf = Double.POSITIVE_INFINITY;
        assertThat(Statistics.averageRanks(new double[][] {{inf, inf}, {5, inf}})).containsExactly(1.75, 1.25);
    }

    @Test
    void meanStandardErrorAndMedian() {
        double[] x = {2, 4, 4, 4, 5, 5, 7, 9};
        // mean 5, sample variance 32/7, s.e. √(32/7)/√8 = √(4/7)
        assertThat(Statistics.mean(x)).isEqualTo(5);
        assertThat(Statistics.standardError(x)).isCloseTo(Math.sqrt(4.0 / 7), within(1e-12));
        assertThat(Statistics.median(x)).isEqualTo(4.5);
        assertThat(Statistics.median(new double[] {3, 1, 2})).isEqualTo(2);
    }
}
