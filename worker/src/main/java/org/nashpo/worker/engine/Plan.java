package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkGraph.Layer;
import org.nashpo.core.network.NetworkGraph.Value;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The engine's network at one batch size: every layer of the graph compiled to its kernel's ops
 * ({@link Graph.Kernel}), every activation, gradient and scratch array allocated once, and each op's
 * inputs and outputs bound once to its own op context, so a pass allocates nothing but the ops' native
 * temporaries.
 */
final class Plan implements AutoCloseable {

    private static final CustomOp CONV2D = op("conv2d");
    private static final CustomOp CONV2D_BP = op("conv2d_bp");
    private static final CustomOp BATCHNORM = op("batchnorm");
    private static final CustomOp BATCHNORM_BP = op("batchnorm_bp");
    private static final CustomOp MOMENTS = op("moments");
    private static final CustomOp RELU = op("relu");
    private static final CustomOp RELU_BP = op("relu_bp");
    private static final CustomOp AVGPOOL = op("avgpool2d");
    private static final CustomOp AVGPOOL_BP = op("avgpool2d_bp");
    private static final CustomOp MATMUL = op("matmul");
    private static final CustomOp ADD = op("add");
    private static final CustomOp SOFTMAX = op("softmax");
    private static final CustomOp MEAN_BP = op("reduce_mean_bp");

    private final int batch;
    private final Graph graph;
    private final Map<Value, INDArray> data = new HashMap<>();
    private final Map<Value, INDArray> grad = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    /** Inference's steps: each convolution read only by a BatchNorm folded into it ({@link FoldedConvBatchNorm}). */
    private final List<Step> inferenceSteps;
    private final List<OpContext> contexts = new ArrayList<>();
    /** The plan's own small arrays (logits, statistics, the head's), released on close. */
    private final List<INDArray> owned = new ArrayList<>();
    private final Head head;
    private final INDArray input;
    private final EngineMemory memory;
    private StepProfile profile;

    Plan(Graph graph, Parameters parameters, EngineMemory memory, DataType type, int batch) {
        if (batch > memory.maxBatch()) {
            throw new IllegalArgumentException("batch: at most " + memory.maxBatch() + " (the engine's largest), was "
                    + batch);
        }
        this.batch = batch;
        this.graph = graph;
        this.memory = memory;
        for (Value v : graph.values()) {
            INDArray a;
            if (v == graph.head.output()) {
                a = own(Nd4j.zeros(type, batch, v.channels()));
            } else if (v == graph.input) {
                a = view(memory.input(), 0, shape(v));
            } else if (v.isZero()) {
                a = view(memory.zeros(), 0, shape(v));
            } else {
                a = arena(new Graph.Array(v, false), shape(v));
            }
            data.put(v, a);
            if (graph.gradient.contains(v) && graph.layout.contains(new Graph.Array(v, true))) {
                grad.put(v, arena(new Graph.Array(v, true), shape(v)));
            }
        }
        input = data.get(graph.input);
        int threads = Math.max(1, Nd4j.getEnvironment().maxMasterThreads());
        boolean ownBatchNorm = graph.ownBatchNorm;
        List<Step> reversed = new ArrayList<>();
        Head h = null;
        List<Layer> layers = graph.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            Step s = switch (graph.kernel(layer)) {
                case CONV -> new Conv((NetworkGraph.Conv) layer, parameters);
                case BATCH_NORM -> ownBatchNorm ? new BatchNorm(layer, parameters, threads)
                        : new LibraryBatchNorm(layer, parameters, type);
                case RELU -> new Relu(layer);
                case AVG_POOL -> new AvgPool((NetworkGraph.AvgPool) layer);
                case SUM -> new Add((NetworkGraph.Add) layer);
                case HEAD -> h = new Head(layer, parameters, type);
            };
            reversed.add(s);
        }
        for (int i = reversed.size() - 1; i >= 0; i--) {
            steps.add(reversed.get(i));
        }
        this.head = h;
        this.inferenceSteps = ownBatchNorm ? folded(type) : steps;
    }

    private long[] shape(Value v) {
        return new long[] {batch, v.channels(), v.resolution(), v.resolution()};
    }

    private INDArray arena(Object key, long[] shape) {
        return view(memory.arena(), graph.layout.offset(key) * batch, shape);
    }

    /** A c-order view of {@code flat[offset, offset + Π shape)}. */
    private static INDArray view(INDArray flat, long offset, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    INDArray input() {
        return input;
    }

    INDArray probabilities() {
        return head.probabilities;
    }

    INDArray logits() {
        return head.logits;
    }

    /** The forward pass; returns the logits. */
    INDArray forward(boolean train) {
        if (profile != null) {
            for (Step s : train ? steps : inferenceSteps) {
                long t = System.nanoTime();
                s.forward(train);
                profile.add(s.kind, StepProfile.Phase.FORWARD, System.nanoTime() - t);
            }
            return head.logits;
        }
        for (Step s : train ? steps : inferenceSteps) {
            s.forward(train);
        }
        return head.logits;
    }

    /**
     * The steps with every convolution whose output only a BatchNorm on the engine's kernel reads replaced,
     * with that BatchNorm, by one convolution of folded weights: inference's BatchNorm is a per-channel affine
     * map of the convolution's output, so it rides on the convolution (its weights scaled, a bias added)
     * instead of passing over the activations once more.
     */
    private List<Step> folded(DataType type) {
        Map<Value, Integer> readers = new HashMap<>();
        for (Layer layer : graph.layers()) {
            for (Value v : layer.inputs()) {
                readers.merge(v, 1, Integer::sum);
            }
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s instanceof Conv conv && i + 1 < steps.size() && steps.get(i + 1) instanceof BatchNorm bn
                    && bn.layer.input() == conv.layer.output() && readers.get(conv.layer.output()) == 1) {
                out.add(new FoldedConvBatchNorm((NetworkGraph.Conv) conv.layer, conv.weight, conv.bias, bn, type));
                i++;
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Times each layer of the passes from now on into {@code profile} (null: none). */
    void profile(StepProfile profile) {
        this.profile = profile;
    }

    double loss(int[] labels, boolean train) {
        checkLabels(labels);
        forward(train);
        return head.loss(labels);
    }

    private void checkLabels(int[] labels) {
        if (labels.length != batch) {
            throw new IllegalArgumentException("labels: expected " + batch + ", was " + labels.length);
        }
    }

    double forwardBackward(int[] labels) {
        checkLabels(labels);
        forward(true);
        long t = System.nanoTime();
        double loss = head.loss(labels);
        if (profile != null) {
            profile.add(StepProfile.Kind.HEAD, StepProfile.Phase.BACKWARD, System.nanoTime() - t);
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (s.needsBackward()) {
                t = System.nanoTime();
                s.backward();
                if (profile != null) {
                    profile.add(s.kind, StepProfile.Phase.BACKWARD, System.nanoTime() - t);
                }
            }
        }
        return loss;
    }

    @Override
    public void close() {
        contexts.forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an op context", e);
            }
        });
        contexts.clear();
        owned.forEach(INDArray::close);
        owned.clear();
    }

    private INDArray own(INDArray a) {
        owned.add(a);
        return a;
    }

    private static CustomOp op(String name) {
        return DynamicCustomOp.builder(name).build();
    }

    private OpContext context(INDArray[] in, INDArray[] out, long[] iArgs, double[] tArgs) {
        OpContext c = bind(in, out, iArgs, tArgs);
        contexts.add(c);
        return c;
    }

    /** An op context bound once to its inputs, outputs and arguments (the caller closes it). */
    static OpContext bind(INDArray[] in, INDArray[] out, long[] iArgs, double[] tArgs) {
        OpContext c = Nd4j.getExecutioner().buildContext();
        if (iArgs.length > 0) {
            c.setIArguments(iArgs);
        }
        if (tArgs.length > 0) {
            c.setTArguments(tArgs);
        }
        c.setInputArrays(in);
        c.setOutputArrays(out);
        return c;
    }

    /**
     * Where an op writes its gradient for {@code v}: the value's own gradient when the op writes it
     * first, else the op's scratch array, added to it afterwards ({@link GradTarget#finish}); an
     * input without a gradient gets the scratch array and nothing reads it.
     */
    private GradTarget target(Value v, Layer layer) {
        INDArray own = grad.get(v);
        INDArray scratch = own != null && graph.firstWriter.get(v) == layer ? null
                : arena(new Graph.Scratch(layer), data.get(v).shape());
        return scratch == null ? new GradTarget(own, null) : new GradTarget(scratch, own);
    }

    /** An output array for a gradient, and where to add it afterwards (null: it is the gradient). */
    private record GradTarget(INDArray array, INDArray addTo) {
        void finish() {
            if (addTo != null) {
                addTo.addi(array);
            }
        }
    }

    private abstract class Step {
        final Layer layer;
        final StepProfile.Kind kind;

        Step(Layer layer) {
            this.layer = layer;
            this.kind = StepProfile.Kind.of(graph.kernel(layer));
        }

        abstract void forward(boolean train);

        abstract void backward();

        boolean needsBackward() {
            return graph.backward.contains(layer);
        }
    }

    /** A step that is one op forward and its {@code _bp} twin backward, each with its bound context. */
    private abstract class OpPair extends Step {
        private CustomOp forwardOp;
        private OpContext forward;
        private CustomOp backwardOp;
        private OpContext backward;
        private GradTarget gx;

        OpPair(Layer layer) {
            super(layer);
        }

        /** Binds the pair once; {@code backward} and {@code gx} are null when backward does not run this step. */
        final void bind(CustomOp forwardOp, OpContext forward, CustomOp backwardOp, OpContext backward, GradTarget gx) {
            this.forwardOp = forwardOp;
            this.forward = forward;
            this.backwardOp = backwardOp;
            this.backward = backward;
            this.gx = gx;
        }

        @Override
        final void forward(boolean train) {
            Nd4j.exec(forwardOp, forward);
        }

        @Override
        final void backward() {
            Nd4j.exec(backwardOp, backward);
            gx.finish();
        }
    }

    /** A k×k convolution, any stride and padding, with or without bias (weights in PyTorch's OIHW layout). */
    private final class Conv extends OpPair {
        final INDArray weight;
        final INDArray bias;

        Conv(NetworkGraph.Conv conv, Parameters p) {
            super(conv);
            long k = conv.kernel();
            long stride = conv.stride();
            long pad = conv.padding();
            // kH, kW, sH, sW, pH, pW, dH, dW, same mode (no), data format (NCHW), weights format (OIHW)
            long[] args = {k, k, stride, stride, pad, pad, 1, 1, 0, 0, 1};
            INDArray x = data.get(conv.input());
            INDArray w = p.value(conv.name() + ".weight");
            INDArray y = data.get(conv.output());
            INDArray b = conv.bias() ? p.value(conv.name() + ".bias") : null;
            weight = w;
            bias = b;
            OpContext forward = context(b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b},
                    new INDArray[] {y}, args, new double[0]);
            if (!needsBackward()) {
                bind(CONV2D, forward, null, null, null);
                return;
            }
            INDArray gy = grad.get(conv.output());
            GradTarget gx = target(conv.input(), conv);
            INDArray gw = p.grad(conv.name() + ".weight");
            OpContext backward = b == null
                    ? context(new INDArray[] {x, w, gy}, new INDArray[] {gx.array(), gw}, args, new double[0])
                    : context(new INDArray[] {x, w, b, gy}, new INDArray[] {gx.array(), gw,
                            p.grad(conv.name() + ".bias")}, args, new double[0]);
            bind(CONV2D, forward, CONV2D_BP, backward, gx);
        }
    }

    /** BatchNorm on the engine's own kernel ({@link BatchNormKernel}): statistics, map and backward in place. */
    private final class BatchNorm extends Step {
        final BatchNormKernel kernel;

        BatchNorm(Layer bn, Parameters p, int threads) {
            super(bn);
            Value in = bn.input();
            boolean backward = needsBackward();
            INDArray gx = null;
            boolean accumulate = false;
            if (backward) {
                // written straight into the input's gradient: assigned when this op writes it first, else added;
                // none for an input without a gradient
                gx = grad.get(in);
                accumulate = gx != null && graph.firstWriter.get(in) != bn;
            }
            kernel = BatchNormKernel.create(data.get(in), data.get(bn.output()), p.value(bn.name() + ".weight"),
                    p.value(bn.name() + ".bias"), p.statistic(bn.name() + ".running_mean"),
                    p.statistic(bn.name() + ".running_var"), backward ? grad.get(bn.output()) : null, gx,
                    backward ? p.grad(bn.name() + ".weight") : null, backward ? p.grad(bn.name() + ".bias") : null,
                    accumulate, CellEngine.BN_EPS, CellEngine.BN_MOMENTUM, threads);
        }

        @Override
        void forward(boolean training) {
            if (training) {
                kernel.forwardTraining();
            } else {
                kernel.forwardInference();
            }
        }

        @Override
        void backward() {
            kernel.backward();
        }
    }

    /**
     * BatchNorm on ND4J's ops, for a backend whose arrays the engine's kernel cannot reach (CUDA: cuDNN serves
     * {@code batchnorm} and {@code batchnorm_bp}): {@code moments} for the batch statistics, the op with them,
     * and the running statistics updated by two axpys.
     */
    private final class LibraryBatchNorm extends Step {
        private final INDArray x;
        private final INDArray mean;
        private final INDArray variance;
        private final INDArray runningMean;
        private final INDArray runningVar;
        private final OpContext train;
        private final OpContext eval;
        private final OpContext backward;
        private final GradTarget gx;
        private final double unbiased;
        private final OpContext moments;

        LibraryBatchNorm(Layer bn, Parameters p, DataType type) {
            super(bn);
            Value in = bn.input();
            x = data.get(in);
            long c = in.channels();
            mean = own(Nd4j.zeros(type, c));
            variance = own(Nd4j.zeros(type, c));
            runningMean = p.statistic(bn.name() + ".running_mean");
            runningVar = p.statistic(bn.name() + ".running_var");
            moments = context(new INDArray[] {x}, new INDArray[] {mean, variance}, new long[] {0, 2, 3}, new double[0]);
            INDArray gamma = p.value(bn.name() + ".weight");
            INDArray beta = p.value(bn.name() + ".bias");
            INDArray y = data.get(bn.output());
            long[] args = {1, 1, 1};
            double[] eps = {CellEngine.BN_EPS};
            train = context(new INDArray[] {x, mean, variance, gamma, beta}, new INDArray[] {y}, args, eps);
            eval = context(new INDArray[] {x, runningMean, runningVar, gamma, beta}, new INDArray[] {y}, args, eps);
            long n = x.length() / c;
            unbiased = n > 1 ? n / (n - 1.0) : 1;
            if (!needsBackward()) {
                backward = null;
                gx = null;
                return;
            }
            INDArray gy = grad.get(bn.output());
            gx = target(in, bn);
            backward = context(new INDArray[] {x, mean, variance, gamma, beta, gy},
                    new INDArray[] {gx.array(), own(Nd4j.zeros(type, c)), own(Nd4j.zeros(type, c)),
                            p.grad(bn.name() + ".weight"), p.grad(bn.name() + ".bias")}, args, eps);
        }

        @Override
        void forward(boolean training) {
            if (!training) {
                Nd4j.exec(BATCHNORM, eval);
                return;
            }
            // the batch mean and biased variance per channel; "moments" is several times faster than
            // separate strided reductions over N, H, W
            Nd4j.exec(MOMENTS, moments);
            Nd4j.exec(BATCHNORM, train);
            // PyTorch: running ← (1 − m)·running + m·batch, with the unbiased batch variance
            runningMean.muli(1 - CellEngine.BN_MOMENTUM);
            Nd4j.exec(new Axpy(mean, runningMean, runningMean, CellEngine.BN_MOMENTUM));
            runningVar.muli(1 - CellEngine.BN_MOMENTUM);
            Nd4j.exec(new Axpy(variance, runningVar, runningVar, CellEngine.BN_MOMENTUM * unbiased));
        }

        @Override
        void backward() {
            Nd4j.exec(BATCHNORM_BP, backward);
            gx.finish();
        }
    }

    /**
     * Inference's convolution and the BatchNorm that alone reads it, as one convolution: the BatchNorm's
     * y = a·z + b per output channel (a = γ/√(running var + ε), b = β − a·running mean) folded into the
     * weights (a·W) and a bias (a·bias + b), refolded from the current parameters before each pass.
     */
    private final class FoldedConvBatchNorm extends Step {
        private final BatchNormKernel bn;
        private final OpContext conv;

        FoldedConvBatchNorm(NetworkGraph.Conv layer, INDArray weight, INDArray bias, BatchNorm batchNorm, DataType type) {
            super(layer);
            this.bn = batchNorm.kernel;
            INDArray w = own(Nd4j.create(type, weight.shape()));
            INDArray b = own(Nd4j.create(type, layer.output().channels()));
            bn.bindFold(weight, bias, w, b);
            long k = layer.kernel();
            long[] args = {k, k, layer.stride(), layer.stride(), layer.padding(), layer.padding(), 1, 1, 0, 0, 1};
            conv = context(new INDArray[] {data.get(layer.input()), w, b},
                    new INDArray[] {data.get(batchNorm.layer.output())}, args, new double[0]);
        }

        @Override
        void forward(boolean train) {
            bn.fold();
            Nd4j.exec(CONV2D, conv);
        }

        @Override
        void backward() {
            throw new IllegalStateException("a folded convolution is inference's only");
        }
    }

    /** ReLU; its backward reads its output, which is as good as its input to {@code relu_bp}. */
    private final class Relu extends OpPair {

        Relu(Layer relu) {
            super(relu);
            INDArray x = data.get(relu.input());
            INDArray y = data.get(relu.output());
            OpContext forward = context(new INDArray[] {x}, new INDArray[] {y}, new long[0], new double[] {0});
            if (!needsBackward()) {
                bind(RELU, forward, null, null, null);
                return;
            }
            GradTarget gx = target(relu.input(), relu);
            OpContext backward = context(new INDArray[] {y, grad.get(relu.output())}, new INDArray[] {gx.array()},
                    new long[0], new double[0]);
            bind(RELU, forward, RELU_BP, backward, gx);
        }
    }

    /** k×k average pooling, any stride and padding, the padding counted in the divisor or not. */
    private final class AvgPool extends OpPair {

        AvgPool(NetworkGraph.AvgPool pool) {
            super(pool);
            long k = pool.kernel();
            long stride = pool.stride();
            long pad = pool.padding();
            // kH, kW, sH, sW, pH, pW, dH, dW, same mode (no), extraParam0, NHWC (no); extraParam0 is the
            // divisor, in forward and backward alike: 1 counts the padding (PyTorch's count_include_pad=True),
            // 0 divides by the window's pixels inside the image (False); the golden step test checks both
            long[] args = {k, k, stride, stride, pad, pad, 1, 1, 0, pool.countPadding() ? 1 : 0, 0};
            INDArray x = data.get(pool.input());
            OpContext forward = context(new INDArray[] {x}, new INDArray[] {data.get(pool.output())}, args,
                    new double[0]);
            if (!needsBackward()) {
                bind(AVGPOOL, forward, null, null, null);
                return;
            }
            GradTarget gx = target(pool.input(), pool);
            OpContext backward = context(new INDArray[] {x, grad.get(pool.output())}, new INDArray[] {gx.array()},
                    args, new double[0]);
            bind(AVGPOOL, forward, AVGPOOL_BP, backward, gx);
        }
    }

    /** y = Σ k_i·x_i; the gradient k_i·g to each input. */
    private final class Add extends Step {
        private final INDArray y;
        private final INDArray[] xs;
        private final double[] k;
        private final INDArray[] gxs;
        private final boolean[] assign;
        /** The first two inputs counted once each: their sum as one {@code add} op, the rest added after. */
        private final OpContext pair;

        Add(NetworkGraph.Add sum) {
            super(sum);
            y = data.get(sum.output());
            int n = sum.inputs().size();
            xs = new INDArray[n];
            k = new double[n];
            gxs = new INDArray[n];
            assign = new boolean[n];
            boolean hasGradient = needsBackward();
            for (int i = 0; i < n; i++) {
                Value in = sum.inputs().get(i);
                xs[i] = data.get(in);
                k[i] = sum.multiplicity().get(i);
                gxs[i] = hasGradient ? grad.get(in) : null;
                assign[i] = gxs[i] != null && graph.firstWriter.get(in) == sum;
            }
            pair = n > 1 && k[0] == 1 && k[1] == 1
                    ? context(new INDArray[] {xs[0], xs[1]}, new INDArray[] {y}, new long[0], new double[0]) : null;
        }

        @Override
        void forward(boolean train) {
            int from = 2;
            if (pair != null) {
                Nd4j.exec(ADD, pair);
            } else {
                y.assign(xs[0]);
                if (k[0] != 1) {
                    y.muli(k[0]);
                }
                from = 1;
            }
            for (int i = from; i < xs.length; i++) {
                Nd4j.exec(new Axpy(xs[i], y, y, k[i]));
            }
        }

        @Override
        void backward() {
            INDArray g = grad.get(layer.output());
            for (int i = 0; i < xs.length; i++) {
                if (gxs[i] == null) {
                    continue;
                }
                if (assign[i]) {
                    gxs[i].assign(g);
                    if (k[i] != 1) {
                        gxs[i].muli(k[i]);
                    }
                } else {
                    Nd4j.exec(new Axpy(g, gxs[i], gxs[i], k[i]));
                }
            }
        }
    }

    /** Global average pool → dense → softmax, and the cross-entropy's gradient back to the features. */
    private final class Head extends Step {
        private final INDArray features;
        private final INDArray pooled;
        private final INDArray logits;
        private final INDArray probabilities;
        private final INDArray bias;
        private final INDArray dLogits;
        private final INDArray dPooled;
        private final INDArray dBias;
        private final OpContext dense;
        private final OpContext softmax;
        private final OpContext dWeight;
        private final OpContext dFeatures;
        private final OpContext meanBp;
        private final GradTarget gx;
        private final int classes;

        Head(Layer head, Parameters p, DataType type) {
            super(head);
            Value in = head.input();
            features = data.get(in);
            long c = in.channels();
            classes = head.output().channels();
            pooled = own(Nd4j.zeros(type, batch, c));
            logits = data.get(head.output());
            probabilities = own(Nd4j.zeros(type, batch, classes));
            INDArray w = p.value(head.name() + ".weight");
            bias = p.value(head.name() + ".bias");
            dLogits = own(Nd4j.zeros(type, batch, classes));
            dPooled = own(Nd4j.zeros(type, batch, c));
            dBias = p.grad(head.name() + ".bias");
            dense = context(new INDArray[] {pooled, w}, new INDArray[] {logits}, new long[] {0, 1, 0}, new double[0]);
            softmax = context(new INDArray[] {logits}, new INDArray[] {probabilities}, new long[0], new double[0]);
            dWeight = context(new INDArray[] {dLogits, pooled}, new INDArray[] {p.grad(head.name() + ".weight")},
                    new long[] {1, 0, 0}, new double[0]);
            dFeatures = context(new INDArray[] {dLogits, w}, new INDArray[] {dPooled}, new long[] {0, 0, 0},
                    new double[0]);
            gx = target(in, head);
            meanBp = context(new INDArray[] {features, dPooled}, new INDArray[] {gx.array()}, new long[] {2, 3},
                    new double[0]);
            meanBp.setBArguments(false);
        }

        @Override
        void forward(boolean train) {
            features.mean(pooled, 2, 3);
            Nd4j.exec(MATMUL, dense);
            logits.addiRowVector(bias);
            Nd4j.exec(SOFTMAX, softmax);
        }

        /** The mean cross-entropy of the last forward (from the logits), and its gradient wrt the logits. */
        double loss(int[] labels) {
            double[] z = logits.data().asDouble(); // its own buffer, [batch, classes] in c order
            double sum = 0;
            dLogits.assign(probabilities);
            for (int i = 0; i < batch; i++) {
                sum += CellEngine.crossEntropy(z, i * classes, classes, labels[i]);
                dLogits.putScalar(i, labels[i], probabilities.getDouble(i, labels[i]) - 1);
            }
            dLogits.divi(batch);
            return sum / batch;
        }

        @Override
        void backward() {
            Nd4j.exec(MATMUL, dWeight);
            dLogits.sum(dBias, 0);
            Nd4j.exec(MATMUL, dFeatures);
            Nd4j.exec(MEAN_BP, meanBp);
            gx.finish();
        }
    }
}
