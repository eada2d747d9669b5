package org.nashpo.core.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;

/**
 * Predicts how long a run takes, so that the construct job starts the longest runs first and its
 * executors finish together, and so that progress can show an ETA.
 *
 * <p>A run's work, in multiply-adds, is
 * <pre>
 *   epochs × multiplyAdds(cell) × (TRAIN_PASSES × trainImages × (1 + STEP_OVERHEAD_IMAGES / batchSize) + evalImages)
 * </pre>
 * <ul>
 *   <li>{@link #TRAIN_PASSES} = 3: a training step's backward pass costs about twice its forward pass
 *       (gradients with respect to the inputs and to the weights).</li>
 *   <li>{@link #STEP_OVERHEAD_IMAGES} = 32: each step also costs a fixed overhead (kernel launches,
 *       synchronisation, the optimizer's update of every parameter) worth about 32 images of compute, so
 *       per image batch 16 is 3× as slow as an ideal step and batch 512 1.06×.</li>
 *   <li>Every epoch evaluates the train, valid and test sets once in inference mode
 *       (PROTOCOL.md §3): one forward pass per image, {@code evalImages} = train + valid + test, with no
 *       batch correction (evaluation uses large batches).</li>
 * </ul>
 * and its predicted time is {@code secondsPerMultiplyAdd × work}. One scale factor cannot change the
 * order of runs, only the seconds; the step overhead can (it weighs small batches against large ones),
 * and it differs between a GPU and a CPU. {@link #calibrate} fits both to measured runs.
 *
 * @param secondsPerMultiplyAdd seconds per multiply-add of work, finite and &gt; 0
 * @param stepOverheadImages the fixed cost of a training step, in images of compute, finite and &ge; 0
 */
public record CostModel(double secondsPerMultiplyAdd, double stepOverheadImages) {

    public static final double TRAIN_PASSES = 3;
    public static final double STEP_OVERHEAD_IMAGES = 32;
    /** A guess of the order of one GPU (10¹² multiply-adds per second); only ratios matter until calibrated. */
    public static final CostModel UNCALIBRATED = new CostModel(1e-12);

    public CostModel {
        if (!(secondsPerMultiplyAdd > 0) || Double.isInfinite(secondsPerMultiplyAdd)) {
            throw new IllegalArgumentException(
                    "secondsPerMultiplyAdd: must be a finite number > 0, was " + secondsPerMultiplyAdd);
        }
        if (!(stepOverheadImages >= 0) || Double.isInfinite(stepOverheadImages)) {
            throw new IllegalArgumentException(
                    "stepOverheadImages: must be a finite number ≥ 0, was " + stepOverheadImages);
        }
    }

    /** A model with the default step overhead ({@link #STEP_OVERHEAD_IMAGES}). */
    public CostModel(double secondsPerMultiplyAdd) {
        this(secondsPerMultiplyAdd, STEP_OVERHEAD_IMAGES);
    }

    /** The run's work in multiply-adds with the default step overhead (see the class comment). */
    public static double work(RunKey key, NetworkShape shape, int trainImages, int evalImages) {
        return compute(key, shape, trainImages, evalImages) + STEP_OVERHEAD_IMAGES * steps(key, shape, trainImages);
    }

    /** The work without step overheads: passes over the images. */
    private static double compute(RunKey key, NetworkShape shape, int trainImages, int evalImages) {
        if (trainImages < 1 || evalImages < 0) {
            throw new IllegalArgumentException("images: train must be ≥ 1 and eval ≥ 0, were " + trainImages
                    + " and " + evalImages);
        }
        double perImage = NetworkCost.of(key.cellcode(), shape).multiplyAdds();
        return key.epochs() * perImage * (TRAIN_PASSES * trainImages + evalImages);
    }

    /** The step overheads' work per image of overhead: steps × the training passes of one image. */
    private static double steps(RunKey key, NetworkShape shape, int trainImages) {
        double perImage = NetworkCost.of(key.cellcode(), shape).multiplyAdds();
        return key.epochs() * perImage * TRAIN_PASSES * trainImages / key.batchSize();
    }

    public double predictedSeconds(RunKey key, NetworkShape shape, int trainImages, int evalImages) {
        return secondsPerMultiplyAdd * (compute(key, shape, trainImages, evalImages)
                + stepOverheadImages * steps(key, shape, trainImages));
    }

    /** As {@link #predictedSeconds(RunKey, NetworkShape, int, int)} with the protocol's network and sizes. */
    public double predictedSeconds(RunKey key, TrainingProtocol protocol) {
        return predictedSeconds(key, protocol.network(), protocol.trainSize(), evalImages(protocol));
    }

    /**
     * The model that best fits measured runs: least squares of {@code seconds ≈ a·compute + b·steps}
     * (the two parts of the work in the class comment), so {@code secondsPerMultiplyAdd = a} and
     * {@code stepOverheadImages = b / a}. When the runs cannot tell the two apart (one batch size, say)
     * or the fit is not physical (a negative part), only the scale is fitted and this model's step
     * overhead kept: {@code scale = Σ w·seconds / Σ w²} with {@code w} its work. With no measurements,
     * this model unchanged.
     *
     * @param measured finished runs trained with {@code shape} on {@code trainImages} / {@code evalImages}
     */
    public CostModel calibrate(List<RunCost> measured, NetworkShape shape, int trainImages, int evalImages) {
        if (measured.isEmpty()) {
            return this;
        }
        double cc = 0;
        double cs = 0;
        double ss = 0;
        double cy = 0;
        double sy = 0;
        double wy = 0;
        double ww = 0;
        for (RunCost run : measured) {
            double c = compute(run.key(), shape, trainImages, evalImages);
            double st = steps(run.key(), shape, trainImages);
            double w = c + stepOverheadImages * st;
            cc += c * c;
            cs += c * st;
            ss += st * st;
            cy += c * run.seconds();
            sy += st * run.seconds();
            wy += w * run.seconds();
            ww += w * w;
        }
        double det = cc * ss - cs * cs;
        if (det > 1e-9 * cc * ss) {
            double a = (cy * ss - sy * cs) / det;
            double b = (sy * cc - cy * cs) / det;
            if (a > 0 && b >= 0) {
                return new CostModel(a, b / a);
            }
        }
        return new CostModel(wy / ww, stepOverheadImages);
    }

    /** As {@link #calibrate(List, NetworkShape, int, int)} for runs trained under {@code protocol}. */
    public CostModel calibrate(List<RunCost> measured, TrainingProtocol protocol) {
        return calibrate(measured, protocol.network(), protocol.trainSize(), evalImages(protocol));
    }

    /** The keys by predicted time, longest first; equal predictions keep their order in {@code keys}. */
    public List<RunKey> longestFirst(Collection<RunKey> keys, TrainingProtocol protocol) {
        record Predicted(RunKey key, double seconds) {
        }
        List<Predicted> predicted = new ArrayList<>(keys.size());
        for (RunKey key : keys) {
            predicted.add(new Predicted(key, predictedSeconds(key, protocol)));
        }
        predicted.sort(Comparator.comparingDouble(Predicted::seconds).reversed());
        return predicted.stream().map(Predicted::key).toList();
    }

    private static int evalImages(TrainingProtocol protocol) {
        return protocol.trainSize() + protocol.validSize() + protocol.testSize();
    }
}
