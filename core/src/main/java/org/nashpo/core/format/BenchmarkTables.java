package org.nashpo.core.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkClass;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkConfiguration;
import org.nashpo.schema.BenchmarkRun;

/**
 * The derived tables of a format-2 benchmark, computed from its runs rows the same way by every
 * writer: the {@code classes} row of a class, the {@code configurations} row of the seeds of one
 * class × lr × batch size × schedule, and the manifest's completeness entries.
 */
public final class BenchmarkTables {

    private BenchmarkTables() {
    }

    /**
     * The classes row of the class of {@code cellcode} (in {@code space}'s digits): its id, the cell trained,
     * every member, its cost.
     */
    public static BenchmarkClass classRow(SearchSpace space, String cellcode, long parameters, long multiplyAdds) {
        CellClass cls = space.classOf(space.parse(cellcode));
        List<String> members = cls.members().stream().map(CellCode::toString).sorted().toList();
        return new BenchmarkClass(cls.id(), cellcode, members, parameters, multiplyAdds);
    }

    /**
     * The configurations row summarising the runs of one class × lr × batch size × schedule (one per
     * seed present) at the schedule's last epoch: means and population standard deviations over
     * the seeds, mean totals.
     */
    public static BenchmarkConfiguration configuration(List<BenchmarkRun> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: is empty; a configuration row summarises at least one run");
        }
        BenchmarkRun first = seeds.get(0);
        Set<Integer> seen = new HashSet<>();
        for (BenchmarkRun r : seeds) {
            if (!r.getCellClassId().equals(first.getCellClassId()) || r.getLearningRate() != first.getLearningRate()
                    || r.getBatchSize() != first.getBatchSize() || r.getEpochs() != first.getEpochs()) {
                throw new IllegalArgumentException("seeds: run " + describe(r) + " is not of the configuration of "
                        + describe(first));
            }
            if (!seen.add(r.getSeed())) {
                throw new IllegalArgumentException("seeds: seed " + r.getSeed() + " of " + describe(r)
                        + " appears twice; expected one run per seed");
            }
        }
        int last = first.getEpochs() - 1;
        Stat trainAcc = Stat.of(seeds, r -> r.getTrainAccuracy().get(last));
        Stat validAcc = Stat.of(seeds, r -> r.getValidAccuracy().get(last));
        Stat testAcc = Stat.of(seeds, r -> r.getTestAccuracy().get(last));
        Stat trainLoss = Stat.of(seeds, r -> r.getTrainLoss().get(last));
        Stat validLoss = Stat.of(seeds, r -> r.getValidLoss().get(last));
        Stat testLoss = Stat.of(seeds, r -> r.getTestLoss().get(last));
        return BenchmarkConfiguration.newBuilder()
                .setCellClassId(first.getCellClassId())
                .setCellcode(first.getCellcode())
                .setLearningRate(first.getLearningRate())
                .setBatchSize(first.getBatchSize())
                .setEpochs(first.getEpochs())
                .setSeeds(seeds.size())
                .setDivergedRuns((int) seeds.stream().filter(r -> r.getEpochsCompleted() < r.getEpochs()).count())
                .setMeanTrainAccuracy(trainAcc.mean).setStdTrainAccuracy(trainAcc.std)
                .setMeanValidAccuracy(validAcc.mean).setStdValidAccuracy(validAcc.std)
                .setMeanTestAccuracy(testAcc.mean).setStdTestAccuracy(testAcc.std)
                .setMeanTrainLoss(trainLoss.mean).setStdTrainLoss(trainLoss.std)
                .setMeanValidLoss(validLoss.mean).setStdValidLoss(validLoss.std)
                .setMeanTestLoss(testLoss.mean).setStdTestLoss(testLoss.std)
                .setMeanTotalTrainSeconds(Stat.of(seeds, BenchmarkRun::getTotalTrainSeconds).mean)
                .setMeanTotalTrainValidSeconds(Stat.of(seeds, BenchmarkRun::getTotalTrainValidSeconds).mean)
                .setMeanTotalTestSeconds(Stat.of(seeds, BenchmarkRun::getTotalTestSeconds).mean)
                .build();
    }

    private static String describe(BenchmarkRun r) {
        return r.getCellcode() + " lr=" + r.getLearningRate() + " batch=" + r.getBatchSize() + " epochs=" + r.getEpochs();
    }

    private record Stat(double mean, double std) {
        static Stat of(List<BenchmarkRun> runs, Function<BenchmarkRun, Float> value) {
            double sum = 0;
            for (BenchmarkRun r : runs) {
                sum += value.apply(r);
            }
            double mean = sum / runs.size();
            double squares = 0;
            for (BenchmarkRun r : runs) {
                double d = value.apply(r) - mean;
                squares += d * d;
            }
            return new Stat(mean, Math.sqrt(squares / runs.size()));
        }
    }

    /** A key present in a runs table, and whether its run diverged. */
    public record Present(String cellClassId, double learningRate, int batchSize, int seed, boolean diverged) {
    }

    /**
     * The completeness entries of one runs table, one per seed of the grid: the keys expected are the
     * table's classes × the grid's learning rates × batch sizes; every one without a row is listed
     * as {@code cellcode lr=X batch=Y} (the class's representative).
     */
    public static List<BenchmarkCompleteness> completeness(SearchSpace space, String table, int epochs,
            List<Double> learningRates, List<Integer> batchSizes, List<Integer> seeds, Collection<Present> rows) {
        Set<String> classIds = new HashSet<>();
        Set<Present> keys = new HashSet<>();
        for (Present p : rows) {
            classIds.add(p.cellClassId());
            keys.add(new Present(p.cellClassId(), p.learningRate(), p.batchSize(), p.seed(), false));
        }
        List<CellClass> classes = classIds.stream().map(space::classById)
                .sorted(Comparator.comparing(c -> c.representative().toString())).toList();
        List<BenchmarkCompleteness> entries = new ArrayList<>();
        for (int seed : new TreeSet<>(seeds)) {
            List<String> missing = new ArrayList<>();
            for (CellClass c : classes) {
                for (double lr : learningRates) {
                    for (int batch : batchSizes) {
                        if (!keys.contains(new Present(c.id(), lr, batch, seed, false))) {
                            missing.add(c.representative() + " lr=" + lr + " batch=" + batch);
                        }
                    }
                }
            }
            long present = rows.stream().filter(p -> p.seed() == seed).count();
            long diverged = rows.stream().filter(p -> p.seed() == seed && p.diverged()).count();
            entries.add(new BenchmarkCompleteness(table, epochs, seed,
                    (long) classes.size() * learningRates.size() * batchSizes.size(), present, diverged, missing));
        }
        return entries;
    }
}
