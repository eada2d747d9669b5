package org.nashpo.core.format;

import java.util.ArrayList;
import java.util.List;
import org.nashpo.core.data.Dataset;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;

/**
 * Turns one trained run into its row of the 12-epoch table; the aggregate job calls this after it has
 * de-duplicated runs by key, so every benchmark applies the same rule to diverged runs.
 *
 * <p>The original benchmark's training went on after a loss became NaN, so its tables hold all
 * epochs of such runs at chance accuracy and full cost; ours stops the run. Its row is filled the
 * way the original recorded it: the untrained epochs get the chance accuracy and loss of the run's data set
 * ({@link BenchmarkLayout#chanceAccuracy}, {@link BenchmarkLayout#chanceLoss}: 10 % and ln 10 on CIFAR-10), and
 * each phase the mean time of that phase over the trained
 * epochs (a run that diverged in its first epoch: its wall time as train time, no evaluation time).
 * Totals are sums of the per-epoch times. The train-set evaluation time, which no cost includes,
 * follows the same rule when every trained epoch recorded it (schema v3), and is null otherwise.
 */
public final class BenchmarkRuns {

    private BenchmarkRuns() {
    }

    public static BenchmarkRun fromTrainingRun(TrainingRun run) {
        var key = run.getKey();
        int epochs = key.getEpochs();
        List<EpochMetrics> done = run.getPerEpoch();
        String what = "run " + key.getCellcode() + " lr=" + key.getLearningRate() + " batch=" + key.getBatchSize()
                + " seed=" + key.getSeed();
        if (run.getStatus() == RunStatus.FAILED) {
            throw new IllegalArgumentException(what + ": status FAILED; only COMPLETED and DIVERGED runs are results");
        }
        if (done.size() > epochs || (run.getStatus() == RunStatus.COMPLETED && done.size() != epochs)) {
            throw new IllegalArgumentException(what + ": " + run.getStatus() + " with " + done.size()
                    + " epochs recorded; expected " + (run.getStatus() == RunStatus.COMPLETED ? "" : "at most ")
                    + epochs);
        }
        Dataset dataset = dataset(run, what);
        float chanceLoss = BenchmarkLayout.chanceLoss(dataset);
        float chanceAccuracy = BenchmarkLayout.chanceAccuracy(dataset);
        int trained = done.size();
        double meanTrain = trained == 0 ? run.getTotalTimeSeconds() : mean(done, Phase.TRAIN);
        double meanValid = trained == 0 ? 0 : mean(done, Phase.VALID);
        double meanTest = trained == 0 ? 0 : mean(done, Phase.TEST);
        boolean trainEvalTimed = done.stream().allMatch(m -> m.getTrainEvalTimeSeconds() != null);
        double meanTrainEval = trained == 0 || !trainEvalTimed ? 0 : mean(done, Phase.TRAIN_EVAL);

        List<Float> trainLoss = new ArrayList<>(epochs);
        List<Float> trainAcc = new ArrayList<>(epochs);
        List<Float> validLoss = new ArrayList<>(epochs);
        List<Float> validAcc = new ArrayList<>(epochs);
        List<Float> testLoss = new ArrayList<>(epochs);
        List<Float> testAcc = new ArrayList<>(epochs);
        List<Float> trainSec = new ArrayList<>(epochs);
        List<Float> validSec = new ArrayList<>(epochs);
        List<Float> testSec = new ArrayList<>(epochs);
        List<Float> trainEvalSec = new ArrayList<>(epochs);
        double totalTrainEval = 0;
        double totalTrain = 0;
        double totalValid = 0;
        double totalTest = 0;
        for (int e = 0; e < epochs; e++) {
            boolean real = e < trained;
            EpochMetrics m = real ? done.get(e) : null;
            trainLoss.add(real ? (float) m.getTrainLoss() : chanceLoss);
            trainAcc.add(real ? (float) m.getTrainAccuracy() : chanceAccuracy);
            validLoss.add(real ? (float) m.getValidLoss() : chanceLoss);
            validAcc.add(real ? (float) m.getValidAccuracy() : chanceAccuracy);
            testLoss.add(real ? (float) m.getTestLoss() : chanceLoss);
            testAcc.add(real ? (float) m.getTestAccuracy() : chanceAccuracy);
            float train = (float) (real ? m.getTrainTimeSeconds() : meanTrain);
            float valid = (float) (real ? m.getValidTimeSeconds() : meanValid);
            float test = (float) (real ? m.getTestTimeSeconds() : meanTest);
            trainSec.add(train);
            validSec.add(valid);
            testSec.add(test);
            totalTrain += train;
            totalValid += valid;
            totalTest += test;
            if (trainEvalTimed) {
                float trainEval = (float) (real ? m.getTrainEvalTimeSeconds() : meanTrainEval);
                trainEvalSec.add(trainEval);
                totalTrainEval += trainEval;
            }
        }
        return BenchmarkRun.newBuilder()
                .setCellClassId(key.getCellClassId())
                .setCellcode(key.getCellcode())
                .setLearningRate(key.getLearningRate())
                .setBatchSize(key.getBatchSize())
                .setSeed(key.getSeed())
                .setEpochs(epochs)
                .setEpochsCompleted(trained)
                .setParameters(run.getParameters())
                .setMultiplyAdds(run.getMultiplyAdds())
                .setTrainLoss(trainLoss).setTrainAccuracy(trainAcc)
                .setValidLoss(validLoss).setValidAccuracy(validAcc)
                .setTestLoss(testLoss).setTestAccuracy(testAcc)
                .setTrainSeconds(trainSec).setValidSeconds(validSec).setTestSeconds(testSec)
                .setTotalTrainSeconds((float) totalTrain)
                .setTotalTrainValidSeconds((float) (totalTrain + totalValid))
                .setTotalTestSeconds((float) totalTest)
                .setTrainEvalSeconds(trainEvalTimed ? trainEvalSec : null)
                .setTotalTrainEvalSeconds(trainEvalTimed ? (float) totalTrainEval : null)
                .build();
    }

    private enum Phase { TRAIN, VALID, TEST, TRAIN_EVAL }

    private static double mean(List<EpochMetrics> epochs, Phase phase) {
        double sum = 0;
        for (EpochMetrics m : epochs) {
            sum += switch (phase) {
                case TRAIN -> m.getTrainTimeSeconds();
                case VALID -> m.getValidTimeSeconds();
                case TEST -> m.getTestTimeSeconds();
                case TRAIN_EVAL -> m.getTrainEvalTimeSeconds();
            };
        }
        return sum / epochs.size();
    }

    /** The data set a run was trained on: {@code data.dataset}, CIFAR-10 when null. */
    private static Dataset dataset(TrainingRun run, String what) {
        String name = run.getData().getDataset();
        if (name == null) {
            return Dataset.CIFAR10;
        }
        return Dataset.bySpecName(name).orElseThrow(() -> new IllegalArgumentException(what + ": data.dataset \""
                + name + "\" is not a known data set; expected one of " + String.join(", ", Dataset.specNames())));
    }
}
