package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.space.SearchSpace;

/** Hyperband's brackets, BOHB's density model, REINFORCE, ASNG, the two-stage baselines and restrictions. */
class MultiFidelityTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;
    private static final SearchSpaceVars VARS = SearchSpaceVars.of(NHB2);
    private static final Domain JOINT = Domain.joint(NHB2);

    /** Accuracy grows with the number of variables at 0 and with the budget: the best is index 0. */
    private static double objective(int index, int epochs) {
        int zeros = 0;
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            zeros += VARS.get(index, v) == 0 ? 1 : 0;
        }
        return 10 + 10 * zeros * epochs / 12.0;
    }

    private static int zeros(int index) {
        int zeros = 0;
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            zeros += VARS.get(index, v) == 0 ? 1 : 0;
        }
        return zeros;
    }

    @Test
    void hyperbandRunsTheBracketsOfEtaThreeOverOneFourAndTwelveEpochs() {
        Hyperband hb = Hyperband.hyperband(new SplittableRandom(1), JOINT);
        List<Integer> epochs = new ArrayList<>();
        // three iterations: brackets s = 2, 1, 0
        while (hb.iterations() < 3) {
            int index = hb.ask();
            epochs.add(hb.epochs());
            hb.tell(index, objective(index, hb.epochs()));
        }

        List<Integer> expected = new ArrayList<>();
        expected.addAll(java.util.Collections.nCopies(9, 1));
        expected.addAll(java.util.Collections.nCopies(3, 4));
        expected.add(12);
        expected.addAll(java.util.Collections.nCopies(3, 4));
        expected.add(12);
        expected.addAll(java.util.Collections.nCopies(3, 12));
        assertThat(epochs).isEqualTo(expected);
        assertThat(hb.done()).isFalse();
    }

    @Test
    void promotionsTakeTheBestOfTheStage() {
        Hyperband hb = Hyperband.hyperband(new SplittableRandom(2), JOINT);
        int[] first = new int[9];
        double[] acc = new double[9];
        for (int i = 0; i < 9; i++) {
            first[i] = hb.ask();
            assertThat(hb.epochs()).isEqualTo(1);
            acc[i] = i == 4 ? 90 : i == 7 ? 80 : i == 0 ? 70 : 10 + i;
            hb.tell(first[i], acc[i]);
        }
        Set<Integer> promoted = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            promoted.add(hb.ask());
            assertThat(hb.epochs()).isEqualTo(4);
            hb.tell(first[i], 50);
        }
        assertThat(promoted).containsExactlyInAnyOrder(first[4], first[7], first[0]);
    }

    @Test
    void hyperbandIsDoneAfterItsIterations() {
        Hyperband hb = Hyperband.hyperband(new SplittableRandom(3), JOINT);
        int asks = 0;
        while (!hb.done()) {
            int index = hb.ask();
            hb.tell(index, objective(index, hb.epochs()));
            asks++;
        }
        // 40 iterations cycle the brackets (9+3+1), (3+1), (3): 13 full cycles and one more s = 2 bracket
        assertThat(hb.iterations()).isEqualTo(Hyperband.ITERATIONS);
        assertThat(asks).isEqualTo(13 * (13 + 4 + 3) + 13);
    }

    @Test
    void bohbBuildsAModelAndThenProposesBetterConfigurationsThanChance() {
        Hyperband bohb = Hyperband.bohb(new SplittableRandom(4), JOINT, 200);
        int proposals = 0;
        int zeros = 0;
        while (!bohb.done()) {
            int index = bohb.ask();
            int e = bohb.epochs();
            if (bohb.iterations() >= 100 && e == 1) {
                proposals++;
                zeros += zeros(index);
            }
            bohb.tell(index, objective(index, e));
        }
        assertThat(bohb.hasModel()).isTrue();
        // uniform configurations have 6/4 + 1/8 + 1/6 ≈ 1.8 variables at 0; a third of BOHB's stay
        // uniform, the model's two thirds find far more
        assertThat(zeros / (double) proposals).isGreaterThan(3.5);
    }

    @Test
    void theKernelDensityIsAitchisonAitkenWithTheNormalReferenceBandwidth() {
        // one variable of 4 categories, data (0, 0, 1, 3): mean 1, population variance (1+1+0+4)/4 = 1.5;
        // λ = 1.06·√1.5·4^(−1/5) = 0.9868…, above (K−1)/K = 0.75, so λ = 0.75: the uniform kernel
        KernelDensity wide = new KernelDensity(new int[][] {{0}, {0}, {1}, {3}}, new int[] {4}, 0.3);
        assertThat(wide.bandwidth(0)).isEqualTo(0.75);
        assertThat(wide.pdf(new int[] {2})).isCloseTo(0.25, within(1e-12));

        // two variables (K = 4, 8), 10 points all equal: σ = 0, λ = the minimum 0.3;
        // p(x) = Π k_j: at the point (1 − 0.3)², off in the second variable (0.7)·(0.3/7)
        int[][] same = new int[10][];
        for (int i = 0; i < same.length; i++) {
            same[i] = new int[] {2, 5};
        }
        KernelDensity narrow = new KernelDensity(same, new int[] {4, 8}, 0.3);
        assertThat(narrow.pdf(new int[] {2, 5})).isCloseTo(0.49, within(1e-12));
        assertThat(narrow.pdf(new int[] {2, 1})).isCloseTo(0.7 * 0.3 / 7, within(1e-12));
        assertThat(narrow.pdf(new int[] {0, 1})).isCloseTo(0.1 * 0.3 / 7, within(1e-12));

        // the density sums to 1 over all 32 values
        double total = 0;
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 8; b++) {
                total += narrow.pdf(new int[] {a, b});
            }
        }
        assertThat(total).isCloseTo(1, within(1e-12));
    }

    @Test
    void reinforceShiftsItsPolicyTowardsRewardedValues() {
        Reinforce reinforce = new Reinforce(new SplittableRandom(5), JOINT);
        assertThat(reinforce.policy(6)).containsOnly(1.0 / 8);
        for (int i = 0; i < 500; i++) {
            int index = reinforce.ask();
            reinforce.tell(index, objective(index, 12));
        }
        // value 0 of every variable is rewarded: its probability grows above uniform
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            double[] p = reinforce.policy(v);
            assertThat(p[0]).as("variable %d", v).isGreaterThan(1.0 / p.length);
            assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void asngConvergesOnASeparableObjective() {
        AsngSearch asng = new AsngSearch(new SplittableRandom(6), JOINT);
        for (int i = 0; i < 2_000; i++) {
            int index = asng.ask();
            asng.tell(index, objective(index, 12));
        }
        assertThat(asng.mostLikely()).isEqualTo(0);
    }

    @Test
    void restrictedDomainsChangeOnlyTheirPart() {
        SplittableRandom rng = new SplittableRandom(7);
        int fixed = ConfigIndex.size(NHB2) - 1;
        Domain nas = JOINT.restrict(Restriction.NAS_ONLY, fixed);
        Domain hpo = JOINT.restrict(Restriction.HPO_ONLY, fixed);
        assertThat(nas.count()).isEqualTo(4_096);
        assertThat(hpo.count()).isEqualTo(48);
        for (Algorithm a : Algorithm.values()) {
            if (!a.restrictable()) {
                continue;
            }
            Optimizer nasOpt = a.create(new SplittableRandom(8), nas);
            Optimizer hpoOpt = a.create(new SplittableRandom(8), hpo);
            for (int i = 0; i < 200; i++) {
                int x = nasOpt.ask();
                assertThat(nas.contains(x)).as(a.label()).isTrue();
                assertThat(x % 48).isEqualTo(47);
                nasOpt.tell(x, objective(x, nasOpt.epochs()));
                int y = hpoOpt.ask();
                assertThat(y / 48).as(a.label()).isEqualTo(4_095);
                hpoOpt.tell(y, objective(y, hpoOpt.epochs()));
            }
        }
        assertThat(nas.random(rng) % 48).isEqualTo(47);
    }

    @Test
    void rsThenReaSearchesHyperparametersFor5000SecondsThenCellsWithTheBestOnes() {
        TwoStage two = TwoStage.rsThenRea(new SplittableRandom(9), JOINT);
        int cell = -1;
        double spent = 0;
        int bestHp = -1;
        double best = -1;
        while (spent < TwoStage.RS_STAGE_SECONDS) {
            int index = two.ask();
            if (cell < 0) {
                cell = index / 48;
            }
            assertThat(index / 48).isEqualTo(cell);
            double acc = objective(index, 12) + index % 48 / 100.0;
            if (acc > best) {
                best = acc;
                bestHp = index % 48;
            }
            two.tell(index, acc, 700);
            spent += 700;
        }
        for (int i = 0; i < 100; i++) {
            int index = two.ask();
            assertThat(two.inSecondStage()).isTrue();
            assertThat(index % 48).isEqualTo(bestHp);
            two.tell(index, objective(index, 12), 700);
        }
    }

    @Test
    void bohbThenReaMovesOnAfterFourIterations() {
        TwoStage two = TwoStage.bohbThenRea(new SplittableRandom(10), JOINT);
        int asks = 0;
        while (!two.inSecondStage()) {
            int index = two.ask();
            if (!two.inSecondStage()) {
                asks++;
            }
            two.tell(index, objective(index, two.epochs()), 100);
        }
        // 4 iterations: brackets (9+3+1), (3+1), (3), (9+3+1)
        assertThat(asks).isEqualTo(13 + 4 + 3 + 13);
    }
}
