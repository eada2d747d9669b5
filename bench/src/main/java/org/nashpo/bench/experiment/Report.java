package org.nashpo.bench.experiment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;

/**
 * Writes an experiment's report into a new directory, all or nothing (written to a hidden staging
 * directory beside it, then renamed):
 *
 * <ul>
 *   <li>{@code trajectories.csv}: every incumbent change of every run (the raw trajectories), cells by
 *       cellcode and, on a nas-bench-201-family benchmark, also by architecture string ({@code arch});
 *   <li>{@code summary.csv}: per algorithm the final regret (mean ± s.e., median), accuracies, mean
 *       final rank and the Wilcoxon p-value against the best;
 *   <li>{@code curves.csv}: per algorithm and grid time the mean and median regret, mean accuracies
 *       and mean rank;
 *   <li>{@code regret.png/.svg}, {@code accuracy.png/.svg}, {@code rank.png/.svg}: the curves;
 *   <li>{@code report.html}: all of it on one page.
 * </ul>
 */
public final class Report {

    public static final String TRAJECTORIES = "trajectories.csv";
    public static final String SUMMARY = "summary.csv";
    public static final String CURVES = "curves.csv";
    public static final String HTML = "report.html";
    /** What a report on a synthetic benchmark says of it. */
    public static final String SYNTHETIC = "Synthetic: this benchmark's accuracies come from a model of the full-size "
            + "space (nashpo synth-bench), not from training; it shows the experiment at its real size, not how the "
            + "optimizers do on trained results.";

    private Report() {
    }

    /** Writes the report to {@code out}, which must not exist yet; returns the files written. */
    public static List<String> write(Path out, ExperimentResult result, String benchmark) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException("out: " + target + " already exists; give a directory to create");
        }
        Path parent = target.getParent();
        Path staging = parent.resolve("." + target.getFileName() + ".staging-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteRecursively(staging);
            Files.createDirectories(staging);
            System.setProperty("java.awt.headless", "true");
            List<String> files = new ArrayList<>();
            files.add(writeTrajectories(staging, result));
            files.add(writeSummary(staging, result));
            files.add(writeCurves(staging, result));
            ExperimentResult.Curves c = result.curves();
            int shortEpochs = result.shortEpochs();
            List<String> regret = Plots.write(staging, "regret", "Mean " + shortEpochs
                    + "-epoch test regret of the best-valid configuration", "regret (accuracy points)", result,
                    c.meanRegret(), true);
            List<String> accuracy = Plots.write(staging, "accuracy", result.longEpochs() > 0
                    ? "Mean " + result.longEpochs() + "-epoch accuracy (the surrogate's) of the best-valid configuration"
                    : "Long-schedule accuracy: the benchmark has no long schedule", "accuracy (%)", result,
                    c.meanTest200(), false);
            double[][] rankByAlgorithm = new double[result.algorithms()][c.times().length];
            for (int k = 0; k < c.times().length; k++) {
                for (int a = 0; a < result.algorithms(); a++) {
                    rankByAlgorithm[a][k] = c.rank()[k][a];
                }
            }
            List<String> rank = Plots.write(staging, "rank", "Average rank by " + shortEpochs
                    + "-epoch test regret (1 = best)",
                    "average rank", result, rankByAlgorithm, false);
            files.addAll(regret);
            files.addAll(accuracy);
            files.addAll(rank);
            files.add(writeHtml(staging, result, benchmark));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException("out: " + target + " appeared while the report was written", e);
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException e) {
                // the staging directory is hidden and named by process; a later run replaces it
            }
        }
    }

    private static String writeTrajectories(Path dir, ExperimentResult result) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(TRAJECTORIES), StandardCharsets.UTF_8)) {
            String s = tag(result.shortEpochs());
            String l = tag(result.longEpochs());
            boolean arch = result.archStrings();
            w.write("algorithm,run,seed,time_s,config_index,cellcode," + (arch ? "arch," : "")
                    + "learning_rate,batch_size,valid_acc,test" + s + "_acc,test" + l + "_acc,regret" + s
                    + ",regret" + l + "\n");
            for (int a = 0; a < result.algorithms(); a++) {
                String label = result.label(a);
                for (Trajectory t : result.trajectories(a)) {
                    for (int i = 0; i < t.size(); i++) {
                        Configuration c = ConfigIndex.configuration(result.cellSpace(), t.config(i));
                        String cell = arch ? c.cell() + "," + c.cell().nb201String() : c.cell().toString();
                        w.write(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%d,%s,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f%n", label,
                                t.run(), t.seed(), t.time(i), t.config(i), cell, c.learningRate(),
                                c.batchSize(), t.valid(i), t.test12(i), t.test200(i), result.regret12(t, i),
                                result.regret200(t, i)));
                    }
                }
            }
        }
        return TRAJECTORIES;
    }

    private static String writeSummary(Path dir, ExperimentResult result) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(SUMMARY), StandardCharsets.UTF_8)) {
            String sh = tag(result.shortEpochs());
            String l = tag(result.longEpochs());
            w.write("algorithm,runs,no_result,mean_evaluations,mean_regret" + sh + ",se_regret" + sh + ",median_regret"
                    + sh + ",mean_test" + sh + ",se_test" + sh + ",mean_test" + l + ",se_test" + l + ",mean_regret" + l
                    + ",median_regret" + l + ",final_rank,wilcoxon_p_vs_best\n");
            for (AlgorithmSummary s : result.summaries()) {
                w.write(String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%s%n",
                        s.algorithm(), s.runs(), s.noResult(), s.meanEvaluations(), s.meanRegret12(), s.seRegret12(),
                        s.medianRegret12(), s.meanTest12(), s.seTest12(), s.meanTest200(), s.seTest200(),
                        s.meanRegret200(), s.medianRegret200(), s.finalRank(),
                        Double.isNaN(s.wilcoxonP()) ? "" : String.format(Locale.ROOT, "%.4g", s.wilcoxonP())));
            }
        }
        return SUMMARY;
    }

    private static String writeCurves(Path dir, ExperimentResult result) throws IOException {
        ExperimentResult.Curves c = result.curves();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(CURVES), StandardCharsets.UTF_8)) {
            String s = tag(result.shortEpochs());
            w.write("algorithm,time_s,runs_with_result,mean_regret" + s + ",se_regret" + s + ",median_regret" + s
                    + ",mean_test" + s + ",mean_test" + tag(result.longEpochs()) + ",mean_rank\n");
            for (int a = 0; a < result.algorithms(); a++) {
                for (int k = 0; k < c.times().length; k++) {
                    w.write(String.format(Locale.ROOT, "%s,%.3f,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n", result.label(a),
                            c.times()[k], c.withResult()[a][k], c.meanRegret()[a][k], c.seRegret()[a][k],
                            c.medianRegret()[a][k], c.meanTest12()[a][k], c.meanTest200()[a][k], c.rank()[k][a]));
                }
            }
        }
        return CURVES;
    }

    private static String writeHtml(Path dir, ExperimentResult result, String benchmark) throws IOException {
        Experiment.Settings s = result.settings();
        int shortEpochs = result.shortEpochs();
        int longEpochs = result.longEpochs();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>nashpo optimize</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}.best{font-weight:bold}"
                        + ".warning{border:2px solid #d62728;background:#fdecea;padding:.6em 1em}</style></head><body>\n");
        result.smallSpace().ifPresent(w -> h.append("<p class=\"warning\">").append(escape(w)).append("</p>\n"));
        h.append(result.synthetic() ? "<h1>Optimizer experiment on a synthetic benchmark</h1>\n<p><b>"
                + escape(SYNTHETIC) + "</b></p>\n" : "<h1>Optimizer experiment</h1>\n");
        h.append("<p>Benchmark <code>").append(escape(benchmark)).append("</code>: ")
                .append(escape(result.spaceText())).append("; ").append(s.runs()).append(" runs per algorithm, budget ")
                .append(String.format(Locale.ROOT, "%,.0f", s.budgetSeconds()))
                .append(" simulated seconds each, seed ").append(s.seed()).append(", ")
                .append(String.format(Locale.ROOT, "%.1f", result.wallSeconds())).append(" s wall time on ")
                .append(s.threads()).append(" threads.</p>\n")
                .append("<p>Each run searches on " + shortEpochs + "-epoch valid accuracy (the benchmark's short "
                        + "schedule; run r reads training seed r mod " + result.reference().seeds().size() + " of "
                        + result.reference().seeds() + ") over " + String.format(Locale.ROOT, "%,d", result.spaceSize())
                        + " configurations and reports its best-valid configuration. <b>Regret</b> is in accuracy "
                        + "points: the " + shortEpochs + "-epoch regret against the best " + shortEpochs
                        + "-epoch test accuracy in the benchmark at the run's seed (")
                .append(escape(result.reference().bestTest12().stream()
                        .map(a -> String.format(Locale.ROOT, "%.2f", a)).collect(java.util.stream.Collectors.joining(" / "))))
                .append(" %)");
        if (longEpochs > 0) {
            h.append(", the " + longEpochs + "-epoch regret against the best " + longEpochs
                    + "-epoch accuracy the surrogate predicts (")
                    .append(String.format(Locale.ROOT, "%.2f", result.reference().bestTest200())).append(" %)");
        }
        h.append(". Regret can rise over time: a run's incumbent is its best by valid accuracy, and a configuration "
                + "better on valid can be worse on test. Ranks are by " + shortEpochs + "-epoch regret among the "
                + "algorithms, run by run (1 = best). The p-value is a two-sided Wilcoxon signed-rank test of the "
                + "paired final " + shortEpochs + "-epoch regrets against the best algorithm (the least mean final "
                + "regret).</p>\n");
        String l = tag(longEpochs);
        h.append("<table><tr><th>algorithm</th><th>evaluations</th><th>regret " + shortEpochs
                + " (mean ± s.e.)</th><th>median</th><th>test " + shortEpochs + " (%)</th><th>test " + l
                + " (%)</th><th>regret " + l + " (mean)</th><th>final rank</th><th>Wilcoxon p vs best</th></tr>\n");
        int best = result.best();
        List<AlgorithmSummary> summaries = result.summaries();
        for (int a = 0; a < summaries.size(); a++) {
            AlgorithmSummary r = summaries.get(a);
            h.append(a == best ? "<tr class=\"best\">" : "<tr>").append("<td>").append(escape(r.algorithm()))
                    .append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.1f</td><td>%.3f ± %.3f</td><td>%.3f</td><td>%.2f ± %.2f</td>"
                            + "<td>%.2f ± %.2f</td><td>%.3f</td><td>%.2f</td><td>%s</td></tr>%n", r.meanEvaluations(),
                            r.meanRegret12(), r.seRegret12(), r.medianRegret12(), r.meanTest12(), r.seTest12(),
                            r.meanTest200(), r.seTest200(), r.meanRegret200(), r.finalRank(),
                            a == best ? "best" : String.format(Locale.ROOT, "%.3g", r.wilcoxonP())));
        }
        h.append("</table>\n");
        for (String plot : List.of("regret", "accuracy", "rank")) {
            h.append("<p><img src=\"").append(plot).append(".svg\" alt=\"").append(plot)
                    .append(" over simulated time\" width=\"900\"><br><a href=\"").append(plot)
                    .append(".png\">PNG</a> · <a href=\"").append(plot).append(".svg\">SVG</a></p>\n");
        }
        h.append("<p>Data: <a href=\"").append(SUMMARY).append("\">").append(SUMMARY).append("</a> · <a href=\"")
                .append(CURVES).append("\">").append(CURVES).append("</a> · <a href=\"").append(TRAJECTORIES)
                .append("\">").append(TRAJECTORIES).append("</a></p>\n</body></html>\n");
        Files.writeString(dir.resolve(HTML), h, StandardCharsets.UTF_8);
        return HTML;
    }

    /** A schedule's name in column headers: its epochs, or {@code long} for a long schedule the benchmark lacks. */
    static String tag(int epochs) {
        return epochs > 0 ? Integer.toString(epochs) : "long";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
