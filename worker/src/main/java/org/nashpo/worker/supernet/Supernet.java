package org.nashpo.worker.supernet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.nas.Batch;
import org.nashpo.worker.nas.OneShotModel;
import org.nashpo.worker.nn.CellNetwork;
import org.nashpo.worker.nn.TorchInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The weight-sharing supernet over the cell space (PROTOCOL.md §2, §6): the standalone network of
 * {@link CellNetwork} with all four operations on every edge of every cell, each cell position with
 * its own weights.
 *
 * <p>The parameters live once, in flat shared arrays laid out as the all-conv network's (which holds
 * every parameter of every cellcode: pool, skip and zero have none). A step on a cellcode runs that
 * cellcode's own {@link CellNetwork} graph, so operations not sampled cost nothing: its parameters are
 * copied in from the shared arrays by name, its gradient copied back out. Graphs are cached per
 * cellcode (least recently used first out), since building one costs far more than a copy.
 *
 * <p>The weight update is PyTorch's {@code clip_grad_norm_} then {@code SGD(momentum, nesterov=True,
 * weight_decay)} as the original ASNG-NAS search runs it: the gradient of the mean loss is clipped to a
 * global L2 norm, then every parameter that has had a gradient once (PyTorch keeps a zeroed gradient
 * for it from then on) takes weight decay and its momentum step, sampled or not; parameters never
 * sampled yet stay untouched. BatchNorm running statistics move with each forward pass in training
 * mode, as in PyTorch.
 */
public final class Supernet implements OneShotModel {

    /** The cellcode whose network holds every parameter. */
    static final CellCode ALL_CONV = CellCode.parse("0|00|000");

    /**
     * The SGD of the shared weights.
     *
     * @param momentum Nesterov momentum μ
     * @param weightDecay L2 coefficient added to every trained parameter's gradient (after clipping)
     * @param clipNorm the global L2 norm the loss gradient is clipped to
     */
    public record Sgd(double momentum, double weightDecay, double clipNorm) {

        /** The original ASNG-NAS search: momentum 0.9, weight decay 3e-4, gradient norm clipped at 5. */
        public static final Sgd ASNG_NAS = new Sgd(0.9, 3e-4, 5);

        public Sgd {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum: must be in [0, 1), was " + momentum);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay: must be a finite number ≥ 0, was " + weightDecay);
            }
            if (!(clipNorm > 0)) {
                throw new IllegalArgumentException("clipNorm: must be > 0 (infinity: no clipping), was " + clipNorm);
            }
        }
    }

    /**
     * How the graph cache did.
     *
     * @param graphsBuilt cellcode graphs built (cache misses)
     * @param cacheHits steps that found their graph cached
     * @param buildSeconds time spent building graphs
     * @param cached graphs held now
     */
    public record Stats(long graphsBuilt, long cacheHits, double buildSeconds, int cached) {
    }

    /** Where one parameter block sits in a flat parameter array; statistics are BatchNorm running averages. */
    private record Segment(long offset, long length, boolean statistic) {
    }

    /** One contiguous run of parameters shared between a cellcode's graph and the shared arrays. */
    private record Binding(INDArray graphValues, INDArray graphGradient, INDArray values, INDArray gradient,
            INDArray touched, boolean statistic) {
    }

    private record ArchGraph(ComputationGraph graph, List<Binding> bindings) {
    }

    private final NetworkShape shape;
    private final Sgd sgd;
    private final int cacheSize;
    private final Map<String, Segment> segments;
    private final INDArray values;
    private final INDArray gradient;
    private final INDArray momentum;
    /** 1 where a trained parameter has had a gradient at least once, else 0. */
    private final INDArray touched;
    private final LinkedHashMap<CellCode, ArchGraph> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long graphsBuilt;
    private long cacheHits;
    private long buildNanos;

    private Supernet(NetworkShape shape, Sgd sgd, int cacheSize, long seed) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.sgd = Objects.requireNonNull(sgd, "sgd");
        if (cacheSize < 1) {
            throw new IllegalArgumentException("graph cache size: must be ≥ 1, was " + cacheSize);
        }
        this.cacheSize = cacheSize;
        ComputationGraph all = newGraph(ALL_CONV);
        TorchInit.apply(all, seed);
        this.segments = segmentsOf(all);
        this.values = all.params().dup();
        this.gradient = Nd4j.zerosLike(values);
        this.momentum = Nd4j.zerosLike(values);
        this.touched = Nd4j.zerosLike(values);
    }

    /**
     * A supernet with every weight initialised as PyTorch does (PROTOCOL.md §2), from {@code seed}.
     *
     * @param cacheSize how many cellcode graphs to keep built
     */
    public static Supernet create(NetworkShape shape, Sgd sgd, int cacheSize, long seed) {
        return new Supernet(shape, sgd, cacheSize, seed);
    }

    public NetworkShape shape() {
        return shape;
    }

    /** Trained parameters (BatchNorm running statistics excluded), as PyTorch counts them. */
    public long parameters() {
        return segments.values().stream().filter(s -> !s.statistic()).mapToLong(Segment::length).sum();
    }

    public Stats stats() {
        return new Stats(graphsBuilt, cacheHits, buildNanos / 1e9, cache.size());
    }

    @Override
    public double trainStep(List<CellCode> cells, Batch batch, double learningRate) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("trainStep: needs at least one cellcode");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate: must be a finite number ≥ 0, was " + learningRate);
        }
        INDArray x = features(batch);
        INDArray y = oneHot(batch);
        gradient.assign(0);
        // DL4J's backprop sums the loss gradient over the batch (its updater divides by the batch size
        // later, except for the running statistics): the mean over cells and images weighs each 1/(λ·n)
        double weight = 1.0 / ((double) cells.size() * batch.size());
        double lossSum = 0;
        for (CellCode cell : cells) {
            ArchGraph arch = load(cell);
            ComputationGraph g = arch.graph();
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
            lossSum += g.score();
            for (Binding b : arch.bindings()) {
                if (b.statistic()) {
                    // DL4J hands the running-average move as a "gradient" to subtract: apply it now,
                    // so the next forward pass starts from the moved averages, as in PyTorch
                    b.values().subi(b.graphGradient());
                } else {
                    b.gradient().addi(b.graphGradient().mul(weight));
                    b.touched().assign(1);
                }
            }
            g.clearLayersStates();
        }
        double loss = lossSum / cells.size();
        if (Double.isFinite(loss)) {
            step(learningRate);
        }
        return loss;
    }

    /** Clip, then PyTorch's SGD with Nesterov momentum and weight decay on every touched parameter. */
    private void step(double learningRate) {
        double norm = gradient.norm2Number().doubleValue();
        if (norm > sgd.clipNorm()) {
            gradient.muli(sgd.clipNorm() / (norm + 1e-6));
        }
        INDArray d = gradient.add(values.mul(sgd.weightDecay())).muli(touched);
        momentum.muli(sgd.momentum()).addi(d);
        values.subi(d.addi(momentum.mul(sgd.momentum())).muli(learningRate));
    }

    @Override
    public double loss(CellCode cell, Batch batch) {
        ComputationGraph g = load(cell).graph();
        double loss = g.score(new DataSet(features(batch), oneHot(batch)), true);
        g.clearLayersStates();
        return loss;
    }

    /**
     * The class probabilities of {@code cell} on {@code x} (NCHW), with batch statistics when
     * {@code training}, else with the running averages.
     */
    public INDArray output(CellCode cell, INDArray x, boolean training) {
        return load(cell).graph().outputSingle(training, x);
    }

    /**
     * Overwrites the shared weights of the operations a standalone {@link CellNetwork} of any
     * cellcode and this shape holds with that network's (parameters and running statistics).
     */
    public void importWeights(ComputationGraph standalone) {
        INDArray flat = standalone.params();
        segmentsOf(standalone).forEach((name, source) -> {
            Segment target = shared(name, source);
            slice(values, target.offset(), target.length()).assign(slice(flat, source.offset(), source.length()));
        });
    }

    /** A copy of one shared parameter block, by its layer and parameter name ({@code s0c1_e02_conv_W}). */
    INDArray parameter(String name) {
        Segment s = segments.get(name);
        if (s == null) {
            throw new IllegalArgumentException("parameter " + name + ": not in the supernet");
        }
        return slice(values, s.offset(), s.length()).dup();
    }

    /** The cached graph of {@code cell}, built on a miss, with the shared weights copied in. */
    private ArchGraph load(CellCode cell) {
        ArchGraph arch = cache.get(Objects.requireNonNull(cell, "cell"));
        if (arch == null) {
            long start = System.nanoTime();
            arch = bind(newGraph(cell));
            buildNanos += System.nanoTime() - start;
            graphsBuilt++;
            cache.put(cell, arch);
            if (cache.size() > cacheSize) {
                var eldest = cache.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
        } else {
            cacheHits++;
        }
        for (Binding b : arch.bindings()) {
            b.graphValues().assign(b.values());
        }
        return arch;
    }

    private ComputationGraph newGraph(CellCode cell) {
        // the graph never updates itself: the shared arrays take the step, so no updater, no L2
        ComputationGraph g = new ComputationGraph(CellNetwork.configuration(cell, shape, new NoOp(), 0, 0));
        g.init();
        g.initGradientsView();
        return g;
    }

    /** Views pairing each run of the graph's parameters with the same run of the shared arrays. */
    private ArchGraph bind(ComputationGraph g) {
        INDArray flat = g.params();
        INDArray flatGradient = g.getGradientsViewArray();
        List<long[]> runs = new ArrayList<>();
        List<Boolean> statistic = new ArrayList<>();
        for (Map.Entry<String, Segment> e : segmentsOf(g).entrySet()) {
            Segment local = e.getValue();
            Segment target = shared(e.getKey(), local);
            int last = runs.size() - 1;
            if (last >= 0 && statistic.get(last) == local.statistic()
                    && runs.get(last)[0] + runs.get(last)[2] == local.offset()
                    && runs.get(last)[1] + runs.get(last)[2] == target.offset()) {
                runs.get(last)[2] += local.length();
            } else {
                runs.add(new long[] {local.offset(), target.offset(), local.length()});
                statistic.add(local.statistic());
            }
        }
        List<Binding> bindings = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            long[] r = runs.get(i);
            bindings.add(new Binding(slice(flat, r[0], r[2]), slice(flatGradient, r[0], r[2]),
                    slice(values, r[1], r[2]), slice(gradient, r[1], r[2]), slice(touched, r[1], r[2]),
                    statistic.get(i)));
        }
        return new ArchGraph(g, List.copyOf(bindings));
    }

    private Segment shared(String name, Segment local) {
        Segment target = segments.get(name);
        if (target == null || target.length() != local.length() || target.statistic() != local.statistic()) {
            throw new IllegalStateException("parameter " + name + " (" + local + ") has no counterpart in the supernet"
                    + " of shape " + shape + (target == null ? "" : ": it holds " + target));
        }
        return target;
    }

    /** Each parameter block of a graph by name ({@code layer_param}), in the order of its flat array. */
    private static Map<String, Segment> segmentsOf(ComputationGraph g) {
        INDArray flat = g.params();
        Map<String, Segment> segments = new LinkedHashMap<>();
        long covered = 0;
        for (Layer layer : g.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            boolean batchNorm = layer instanceof BatchNormalization;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = p.getKey();
                INDArray view = p.getValue();
                boolean statistic = batchNorm && !key.equals(BatchNormalizationParamInitializer.GAMMA)
                        && !key.equals(BatchNormalizationParamInitializer.BETA);
                segments.put(name + "_" + key, new Segment(view.offset() - flat.offset(), view.length(), statistic));
                covered += view.length();
            }
        }
        if (covered != flat.length()) {
            throw new IllegalStateException("parameter blocks cover " + covered + " of " + flat.length()
                    + " parameters of the graph");
        }
        return segments;
    }

    /** A view of {@code flat[offset, offset + length)}; flat arrays are vectors or 1×n rows. */
    private static INDArray slice(INDArray flat, long offset, long length) {
        INDArray vector = flat.rank() == 1 ? flat : Shape.newShapeNoCopy(flat, new long[] {flat.length()}, false);
        if (vector == null) {
            throw new IllegalStateException("a flat parameter array is not contiguous: " + flat.shapeInfoToString());
        }
        return vector.get(NDArrayIndex.interval(offset, offset + length));
    }

    private static INDArray features(Batch batch) {
        return Nd4j.create(batch.features(), new long[] {batch.size(), NetworkShape.IMAGE_CHANNELS,
                NetworkShape.IMAGE_SIZE, NetworkShape.IMAGE_SIZE}, 'c');
    }

    private static INDArray oneHot(Batch batch) {
        int[] labels = batch.labels();
        float[] hot = new float[labels.length * NetworkShape.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            hot[i * NetworkShape.CLASSES + labels[i]] = 1;
        }
        return Nd4j.create(hot, new long[] {labels.length, NetworkShape.CLASSES}, 'c');
    }
}
