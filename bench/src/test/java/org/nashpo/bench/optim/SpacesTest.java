package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/** The optimizers over a space of K = 5 operations (NAS-Bench-201's), on scripted objectives. */
class SpacesTest {

    private static final SearchSpace NB201 = SearchSpace.NAS_BENCH_201;
    private static final SearchSpaceVars VARS = SearchSpaceVars.of(NB201);
    private static final Domain JOINT = Domain.joint(NB201);

    private static int zeros(int index) {
        int zeros = 0;
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            zeros += VARS.get(index, v) == 0 ? 1 : 0;
        }
        return zeros;
    }

    /** Accuracy grows with the number of variables at 0 and with the budget: the best is index 0. */
    private static double objective(int index, int epochs) {
        return 10 + 10 * zeros(index) * epochs / 12.0;
    }

    @Test
    void theVariablesAreSixEdgesOfFiveOperationsTheLearningRateAndTheBatchSize() {
        int index = ConfigIndex.indexOf(new Configuration(NB201.parse("4|32|104"), 0.1, 64));

        int[] vars = new int[SearchSpaceVars.COUNT];
        for (int v = 0; v < vars.length; v++) {
            vars[v] = VARS.get(index, v);
        }

        assertThat(vars).containsExactly(4, 3, 2, 1, 0, 4, 5, 2);
        assertThat(JOINT.count()).isEqualTo(15_625 * 48).isEqualTo(ConfigIndex.size(NB201));
        assertThat(JOINT.sizes()).containsExactly(5, 5, 5, 5, 5, 5, 8, 6);
        assertThat(JOINT.ordinal(index)).isEqualTo(index);
        assertThat(ConfigIndex.configuration(NB201, VARS.with(index, 3, 3)))
                .isEqualTo(new Configuration(NB201.parse("4|32|304"), 0.1, 64));
        assertThat(JOINT.operations(0)).containsExactly(Op.ZERO, Op.SKIP, Op.CONV1X1, Op.CONV3X3, Op.AVGPOOL3X3);
        assertThatThrownBy(() -> Domain.of(NB201, new int[][] {{0, 5}, {0}, {0}, {0}, {0}, {0}, {0}, {0}}))
                .hasMessageContaining("variable 0").hasMessageContaining("in 0..4");
    }

    @Test
    void aMutationReachesEveryNeighbourAndLocalSearchEveryOne() {
        SplittableRandom rng = new SplittableRandom(3);
        int start = ConfigIndex.indexOf(new Configuration(NB201.parse("4|32|104"), 0.1, 64));
        Set<Integer> reached = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            reached.add(Mutation.mutate(start, JOINT, rng));
        }
        // 6 edges × 4 other operations + 7 other lrs + 5 other batch sizes
        assertThat(reached).hasSize(36);

        LocalSearch ls = new LocalSearch(new SplittableRandom(9), JOINT);
        int reachedOptimumAt = -1;
        for (int i = 0; i < 8 * 36 && reachedOptimumAt < 0; i++) {
            int index = ls.ask();
            ls.tell(index, zeros(index));
            reachedOptimumAt = index == 0 ? i : -1;
        }
        assertThat(reachedOptimumAt).isNotNegative();
    }

    @Test
    void reinforceHasAPolicyOfFiveOperationsPerEdgeAndLearnsIt() {
        Reinforce reinforce = new Reinforce(new SplittableRandom(5), JOINT);
        assertThat(reinforce.policy(0)).hasSize(5).containsOnly(1.0 / 5);
        assertThat(reinforce.policy(6)).hasSize(8);
        for (int i = 0; i < 500; i++) {
            int index = reinforce.ask();
            reinforce.tell(index, objective(index, 12));
        }
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            double[] p = reinforce.policy(v);
            assertThat(p[0]).as("variable %d", v).isGreaterThan(1.0 / p.length);
        }
    }

    @Test
    void bohbsDensityHasFiveCategoriesPerEdgeAndBeatsChance() {
        // rewarded: edges at digit 2 (conv1x1), the first lr and batch size. The normal-reference bandwidth is
        // computed on the category codes (statsmodels' rule), so the model narrows fastest on a value in the
        // middle of the codes 0..4; at an end of them it may stay near uniform for many iterations
        Hyperband bohb = Hyperband.bohb(new SplittableRandom(4), JOINT, 200);
        int proposals = 0;
        int hits = 0;
        while (!bohb.done()) {
            int index = bohb.ask();
            int e = bohb.epochs();
            int h = 0;
            for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
                h += VARS.get(index, v) == (v < 6 ? 2 : 0) ? 1 : 0;
            }
            if (bohb.iterations() >= 100 && e == 1) {
                proposals++;
                hits += h;
            }
            bohb.tell(index, 10 + 10 * h * e / 12.0);
        }
        assertThat(bohb.hasModel()).isTrue();
        // uniform configurations hit 6/5 + 1/8 + 1/6 ≈ 1.5 of the rewarded values
        assertThat(hits / (double) proposals).isGreaterThan(3.0);
    }

    @Test
    void asngConvergesOverFiveOperationsPerEdge() {
        AsngSearch asng = new AsngSearch(new SplittableRandom(6), JOINT);
        for (int i = 0; i < 3_000; i++) {
            int index = asng.ask();
            asng.tell(index, objective(index, 12));
        }
        assertThat(asng.mostLikely()).isEqualTo(0);
    }

    @Test
    void everyAlgorithmStaysInASubSpaceOfTheFiveOperationsAndInItsRestrictions() {
        // edges zero (0) or conv3x3 (3), two learning rates, one batch size
        Domain space = Domain.of(NB201, new int[][] {{0, 3}, {0, 3}, {0, 3}, {0, 3}, {0, 3}, {0, 3}, {2, 5}, {4}});
        assertThat(space.count()).isEqualTo(128);
        assertThat(space.operations(5)).containsExactly(Op.ZERO, Op.CONV3X3);
        int fixed = space.configurations()[50];
        for (Domain domain : List.of(space, space.restrict(Restriction.NAS_ONLY, fixed),
                space.restrict(Restriction.HPO_ONLY, fixed))) {
            for (Algorithm a : Algorithm.values()) {
                if (!domain.isSpace() && !a.restrictable()) {
                    continue;
                }
                Optimizer optimizer = a.create(new SplittableRandom(8), domain);
                Set<Integer> asked = new HashSet<>();
                for (int i = 0; i < 300 && !optimizer.done(); i++) {
                    int index = optimizer.ask();
                    assertThat(domain.contains(index)).as("%s asked %s in %s", a.label(),
                            ConfigIndex.configuration(NB201, index), domain).isTrue();
                    asked.add(index);
                    optimizer.tell(index, objective(index, optimizer.epochs()), 10);
                }
                assertThat(asked).as(a.label()).hasSizeGreaterThan(1);
            }
        }
    }
}
