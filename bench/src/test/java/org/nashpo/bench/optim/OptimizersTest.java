package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.SearchSpace;

/** The optimizers' mechanics, each checked on a scripted objective in NAS-HPO-Bench-II's joint space. */
class OptimizersTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;
    private static final SearchSpaceVars VARS = SearchSpaceVars.of(NHB2);
    private static final Domain JOINT = Domain.joint(NHB2);

    private static int differingVariables(int a, int b) {
        int n = 0;
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            n += VARS.get(a, v) != VARS.get(b, v) ? 1 : 0;
        }
        return n;
    }

    @Test
    void variablesAreTheEdgesTheLearningRateAndTheBatchSize() {
        int index = ConfigIndex.indexOf(new Configuration(NHB2.parse("0|10|213"), 0.1, 64));

        int[] vars = new int[SearchSpaceVars.COUNT];
        for (int v = 0; v < vars.length; v++) {
            vars[v] = VARS.get(index, v);
        }

        assertThat(vars).containsExactly(0, 1, 0, 2, 1, 3, 5, 2);
        assertThat(ConfigIndex.configuration(NHB2, VARS.with(index, 6, 7)))
                .isEqualTo(new Configuration(NHB2.parse("0|10|213"), 0.4, 64));
        assertThat(ConfigIndex.configuration(NHB2, VARS.with(index, 1, 3)))
                .isEqualTo(new Configuration(NHB2.parse("0|30|213"), 0.1, 64));
    }

    @Test
    void aMutationChangesOneVariableToAnotherValueAndReachesThemAll() {
        SplittableRandom rng = new SplittableRandom(3);
        int start = ConfigIndex.indexOf(new Configuration(NHB2.parse("0|10|213"), 0.1, 64));
        Set<Integer> reached = new HashSet<>();

        for (int i = 0; i < 5_000; i++) {
            int child = Mutation.mutate(start, JOINT, rng);
            assertThat(differingVariables(start, child)).isEqualTo(1);
            reached.add(child);
        }

        // every neighbour: 6 edges × 3 other operations + 7 other lrs + 5 other batch sizes
        assertThat(reached).hasSize(30);
    }

    /**
     * A population of 5 is filled with configurations drawn at random (two random configurations of the joint
     * space share at most a few of their 8 variables; a mutation changes one), then each child mutates one
     * variable of a member and replaces the oldest member, however much worse it is: after 5 children the
     * better originals are gone, and every child after descends from the children.
     */
    @Test
    void reaFillsItsPopulationRandomlyThenMutatesAndAges() {
        int size = 5;
        RegularizedEvolution rea = new RegularizedEvolution(new SplittableRandom(5), JOINT, size, 2);
        List<Integer> population = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int member = rea.ask();
            for (int earlier : population) {
                assertThat(differingVariables(earlier, member)).as("member %d against an earlier one", i)
                        .isGreaterThan(1);
            }
            population.add(member);
            rea.tell(member, 90);
        }

        List<Integer> children = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int child = rea.ask();
            assertThat(population).as("child %d: a mutation of a member", i)
                    .anySatisfy(member -> assertThat(differingVariables(member, child)).isEqualTo(1));
            rea.tell(child, 10);
            children.add(child);
            population.remove(0); // aging: the oldest goes
            population.add(child);
        }

        for (int i = 0; i < 100; i++) {
            // asked without telling: the population stays the children
            int grandchild = rea.ask();
            assertThat(children).as("grandchild %d: a mutation of a child", i)
                    .anySatisfy(child -> assertThat(differingVariables(child, grandchild)).isEqualTo(1));
        }
    }

    @Test
    void reaTournamentsFavourTheBestMember() {
        RegularizedEvolution rea = new RegularizedEvolution(new SplittableRandom(11), JOINT);
        int[] population = new int[RegularizedEvolution.POPULATION];
        for (int i = 0; i < population.length; i++) {
            population[i] = rea.ask();
            rea.tell(population[i], i == 4 ? 90 : 20);
        }
        int fromBest = 0;
        int children = 2_000;
        for (int i = 0; i < children; i++) {
            // ask without telling: the population stays as it is
            if (differingVariables(population[4], rea.ask()) == 1) {
                fromBest++;
            }
        }

        // the best is in a tournament of 3 drawn with replacement with probability 1 − 0.9³ = 0.271
        assertThat(fromBest / (double) children).isBetween(0.24, 0.31);
    }

    @Test
    void reaRejectsImpossibleSettings() {
        assertThatThrownBy(() -> new RegularizedEvolution(new SplittableRandom(1), JOINT, 10, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tournament");
    }

    @Test
    void localSearchClimbsToALocalOptimumThenRestartsAndNeverAsksTwice() {
        // objective: the number of variables at value 0 — one optimum, the index 0
        LocalSearch ls = new LocalSearch(new SplittableRandom(9), JOINT);
        Set<Integer> asked = new HashSet<>();
        List<Integer> scores = new ArrayList<>();
        int reachedOptimumAt = -1;
        for (int i = 0; i < 400; i++) {
            int index = ls.ask();
            assertThat(asked.add(index)).as("asked twice: " + index).isTrue();
            int score = 0;
            for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
                score += VARS.get(index, v) == 0 ? 1 : 0;
            }
            scores.add(score);
            ls.tell(index, score);
            if (index == 0 && reachedOptimumAt < 0) {
                reachedOptimumAt = i;
            }
        }

        // at most 30 neighbours per step and 8 steps from anywhere
        assertThat(reachedOptimumAt).isBetween(0, 8 * 30);
        // after the optimum's 30 neighbours, a restart: a random start, usually far worse
        assertThat(scores.subList(reachedOptimumAt + 1, Math.min(400, reachedOptimumAt + 32)))
                .anyMatch(s -> s < 7);
    }

    @Test
    void theSameSeedAsksTheSameConfigurations() {
        for (Algorithm a : Algorithm.values()) {
            assertThat(asks(a, 17)).as(a.label()).isEqualTo(asks(a, 17)).isNotEqualTo(asks(a, 18));
        }
    }

    private static int[] asks(Algorithm algorithm, long seed) {
        Optimizer o = algorithm.create(new SplittableRandom(seed), JOINT);
        int[] asked = new int[50];
        for (int i = 0; i < asked.length; i++) {
            asked[i] = o.ask();
            o.tell(asked[i], (asked[i] * 31L % 97));
        }
        return asked;
    }

    @Test
    void algorithmsAreParsedByTheirLabels() {
        assertThat(Arrays.stream(Algorithm.values()).map(Algorithm::label)).containsExactly("rs", "ls", "rea",
                "reinforce", "hb", "bohb", "rs-rea", "bohb-rea", "asng");
        assertThat(Algorithm.parse("REA")).isEqualTo(Algorithm.REA);
        assertThatThrownBy(() -> Algorithm.parse("bohb2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"bohb2\"").hasMessageContaining("rs, ls, rea, reinforce");
        assertThat(OptimizerSpec.parse("rea/nas")).isEqualTo(new OptimizerSpec(Algorithm.REA, Restriction.NAS_ONLY));
        assertThat(OptimizerSpec.parse("bohb/HPO").label()).isEqualTo("bohb/hpo");
        assertThatThrownBy(() -> OptimizerSpec.parse("rs-rea/nas")).hasMessageContaining("joint space only");
        assertThatThrownBy(() -> OptimizerSpec.parse("rea/cells")).hasMessageContaining("nas, hpo");
    }

    /** A provider as one written outside nashpo would be: a name and a random search. */
    private record Named(String label) implements OptimizerProvider {
        @Override
        public Optimizer create(SplittableRandom rng, Domain domain) {
            return new RandomSearch(rng, domain);
        }
    }

    @Test
    void providersOfOnesOwnAreParsedBesideTheBuiltInAlgorithmsAndCheckedByName() {
        Named mine = new Named("my-search");
        assertThat(OptimizerSpec.parse("MY-search", List.of(mine))).isEqualTo(OptimizerSpec.of(mine));
        assertThat(OptimizerSpec.parse("my-search/nas", List.of(mine)).label()).isEqualTo("my-search/nas");
        assertThat(OptimizerSpec.parse("rea", List.of(mine))).isEqualTo(OptimizerSpec.parse("rea"));
        assertThatThrownBy(() -> OptimizerSpec.parse("yours", List.of(mine)))
                .hasMessageContaining("\"yours\"").hasMessageContaining("rs, ls, rea").hasMessageEndingWith("asng, my-search");
        assertThatThrownBy(() -> OptimizerSpec.of(new Named("REA"))).hasMessageContaining("built-in rea's");
        assertThatThrownBy(() -> OptimizerSpec.of(new Named("all"))).hasMessageContaining("\"all\"");
        assertThatThrownBy(() -> OptimizerSpec.of(new Named("a,b"))).hasMessageContaining("was \"a,b\"")
                .hasMessageContaining(Named.class.getName());
        assertThatThrownBy(() -> OptimizerSpec.of(new Named(null))).hasMessageContaining("was null");
        assertThat(OptimizerProvider.load(getClass().getClassLoader())).isEmpty();
    }
}
