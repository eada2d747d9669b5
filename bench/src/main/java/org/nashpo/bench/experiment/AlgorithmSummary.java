package org.nashpo.bench.experiment;

import java.util.Objects;

/**
 * One algorithm's final results over its runs. Regrets are in accuracy points against {@link
 * Reference}: the 12-epoch regret against the best 12-epoch test accuracy at the run's seed, the
 * 200-epoch regret against the best 200-epoch accuracy.
 *
 * @param algorithm its label ({@code rea}, {@code rea/nas}, …)
 * @param runs runs made
 * @param noResult runs that evaluated no whole 12-epoch schedule (left out of the accuracy figures,
 *     counted as last in the ranks)
 * @param meanEvaluations queries per run, partial ones included
 * @param meanRegret12 mean final 12-epoch test regret
 * @param seRegret12 its standard error
 * @param medianRegret12 median final 12-epoch test regret
 * @param meanTest12 mean 12-epoch test accuracy of the final incumbent
 * @param seTest12 its standard error
 * @param meanTest200 mean 200-epoch accuracy of the final incumbent
 * @param seTest200 its standard error
 * @param meanRegret200 mean final 200-epoch regret
 * @param medianRegret200 median final 200-epoch regret
 * @param finalRank mean rank by final 12-epoch regret among the algorithms, run by run (1 = best)
 * @param wilcoxonP two-sided Wilcoxon signed-rank p-value of the paired final 12-epoch regrets against
 *     the best algorithm; NaN for the best itself
 */
public record AlgorithmSummary(String algorithm, int runs, int noResult, double meanEvaluations, double meanRegret12,
        double seRegret12, double medianRegret12, double meanTest12, double seTest12, double meanTest200,
        double seTest200, double meanRegret200, double medianRegret200, double finalRank, double wilcoxonP) {

    public AlgorithmSummary {
        Objects.requireNonNull(algorithm, "algorithm");
        if (runs < 1) {
            throw new IllegalArgumentException("runs: must be ≥ 1, was " + runs);
        }
    }
}
