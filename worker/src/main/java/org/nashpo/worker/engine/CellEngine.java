package org.nashpo.worker.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.worker.backend.Backend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network of one cell (core's {@link NetworkGraph}: PROTOCOL.md §2, in the shape's family) trained on
 * ND4J's declarable ops (oneDNN on CPU, cuDNN on GPU) and, on the CPU, its own BatchNorm kernel
 * ({@link BatchNormKernel}), with buffers that live as long as the engine: no per-batch allocation of
 * activations, gradients or parameters; inference folds each BatchNorm into the convolution it alone reads. The engine compiles the graph's layers;
 * what a layer is (its kind, kernel size, stride, padding, bias, pooling divisor) it reads from there.
 *
 * <p>Parameters are named and laid out as PyTorch's ({@code stem_conv.weight} [oC, iC, kH, kW],
 * {@code output.weight} [out, in], BatchNorm {@code .weight}/{@code .bias}/{@code .running_mean}/
 * {@code .running_var} [C]). They live in one flat array, the ones a gradient can reach first, so
 * one SGD step is four whole-array operations. A layer no gradient reaches (a dead end, anything
 * before a cell whose output is zero) is never stepped in NAS-HPO-Bench-II's family, whose zero edge is
 * {@code zeros_like}: PyTorch's SGD skips parameters without a gradient. NAS-Bench-201's zero edge is
 * {@code x.mul(0.)}, which hands those layers a zero gradient, so SGD's weight decay and momentum move
 * them: in that family every parameter is stepped ({@link NetworkFamily#zeroEdgePassesGradient()}).
 *
 * <p>A {@link Plan} per batch size holds the activations, gradients and bound op contexts; a run
 * needs at most four (the full batch and the last, partial batch of each set).
 *
 * <p>Not thread-safe: one engine per training thread.
 */
public final class CellEngine implements AutoCloseable {

    static final double BN_EPS = 1e-5;
    static final double BN_MOMENTUM = 0.1;

    private final NetworkShape shape;
    private final DataType type;
    private final Graph graph;
    private final Parameters parameters;
    private final EngineMemory memory;
    private final boolean ownsMemory;
    private final Map<Integer, Plan> plans = new HashMap<>();
    private StepProfile profile;
    /** The memory's generation the plans were built on. */
    private int generation;

    /**
     * @param maxBatch the largest batch the engine will see: its memory is sized for it once, and every
     *     smaller batch (a set's last, partial batch) runs in the same memory
     */
    public CellEngine(CellCode cell, NetworkShape shape, DataType type, int maxBatch) {
        this(NetworkGraph.of(cell, shape), type, maxBatch);
    }

    /**
     * An engine whose plans view {@code memory}, which engines run one at a time share (a supernet's
     * cellcodes); closing the engine leaves the memory to its owner.
     */
    public CellEngine(CellCode cell, NetworkShape shape, DataType type, EngineMemory memory) {
        this(NetworkGraph.of(cell, shape), type, memory, false);
    }

    /** The engine of a network graph (a cell's: {@link NetworkGraph#of}). */
    public CellEngine(NetworkGraph network, DataType type, int maxBatch) {
        this(network, type, new EngineMemory(network.shape(), type, maxBatch), true);
    }

    /**
     * An engine whose BatchNorms run on the engine's kernel ({@code ownBatchNorm}, the CPU's) or on ND4J's
     * op, as on CUDA: for the test that holds the two paths to each other on the CPU.
     */
    CellEngine(NetworkGraph network, DataType type, int maxBatch, boolean ownBatchNorm) {
        this(network, type, new EngineMemory(network.shape(), type, maxBatch), true, ownBatchNorm);
    }

    private CellEngine(NetworkGraph network, DataType type, EngineMemory memory, boolean ownsMemory) {
        this(network, type, memory, ownsMemory, !Backend.isCuda());
    }

    private CellEngine(NetworkGraph network, DataType type, EngineMemory memory, boolean ownsMemory,
            boolean ownBatchNorm) {
        this.shape = Objects.requireNonNull(network, "network").shape();
        this.type = Objects.requireNonNull(type, "type");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.ownsMemory = ownsMemory;
        try {
            this.graph = new Graph(network, ownBatchNorm);
            memory.ensure(graph.layout.perImage());
            this.parameters = new Parameters(graph, type, shape.family().zeroEdgePassesGradient());
        } catch (RuntimeException e) {
            if (ownsMemory) {
                memory.close();
            }
            throw e;
        }
    }

    /**
     * The off-heap bytes an engine of this cell, shape and largest batch allocates when it is built
     * (activations, gradients, input, parameters with their gradients, momentum and running statistics),
     * without building it; its plans' small arrays and the ops' own temporaries come on top.
     */
    public static long bytesNeeded(CellCode cell, NetworkShape shape, DataType type, int maxBatch) {
        Graph g = Graph.of(cell, shape);
        return (Math.max(1, maxBatch * g.layout.perImage()) + maxBatch * EngineMemory.buffersPerImage(shape)
                + Parameters.elements(g, shape.family().zeroEdgePassesGradient())) * type.width();
    }

    /**
     * Bytes of activations, gradients and scratch the engine holds (its parameters excluded), and
     * what they would take without sharing memory between arrays whose lifetimes do not overlap.
     */
    public long[] activationBytes() {
        long unshared = memory.maxBatch() * graph.layout.unsharedPerImage() * type.width()
                + memory.input().length() * type.width() + memory.zeros().length() * type.width();
        return new long[] {memory.bytes(), unshared};
    }

    /** Parameters by PyTorch name, in PyTorch's layouts: views of the engine's own arrays. */
    public Map<String, INDArray> parameters() {
        return parameters.values();
    }

    /** BatchNorm running statistics by name ({@code <layer>.running_mean}, {@code .running_var}): views. */
    public Map<String, INDArray> statistics() {
        return parameters.statistics();
    }

    /**
     * The gradients of the last {@link #forwardBackward}, for the parameters an SGD step moves: those a
     * gradient reaches, and in NAS-Bench-201's family every other one too, with a zero gradient.
     */
    public Map<String, INDArray> gradients() {
        return parameters.gradients();
    }

    /** Trainable parameter count as PyTorch counts it (running statistics excluded). */
    public long parameterCount() {
        return parameters.count();
    }

    /**
     * PyTorch's default initialisation (PROTOCOL.md §2): every convolution and dense weight and bias
     * from U(−1/√fan_in, +1/√fan_in), drawn from one seeded stream in network order; BatchNorm γ = 1,
     * β = 0; running mean 0, variance 1.
     */
    public void initialise(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> values = parameters.values();
        values.forEach((name, p) -> {
            String layer = name.substring(0, name.indexOf('.'));
            if (parameters.isBatchNorm(layer)) {
                p.assign(name.endsWith(".weight") ? 1 : 0);
                return;
            }
            long[] w = values.get(layer + ".weight").shape();
            long fanIn = w.length == 4 ? w[1] * w[2] * w[3] : w[1];
            double bound = 1 / Math.sqrt(fanIn);
            float[] draws = new float[Math.toIntExact(p.length())];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = (float) random.nextDouble(-bound, bound);
            }
            p.assign(Nd4j.create(draws, p.shape(), 'c').castTo(p.dataType()));
        });
        parameters.statistics().forEach((name, s) -> s.assign(name.endsWith("running_var") ? 1 : 0));
    }

    /** The input buffer of the plan for {@code batch} images: fill it, then call a pass. */
    public INDArray input(int batch) {
        return plan(batch).input();
    }

    /** Copies {@code count} images (normalised NCHW floats, as a batch assembler writes them) into the input. */
    public void input(int count, float[] images) {
        INDArray in = plan(count).input();
        long n = in.length();
        if (images.length < n) {
            throw new IllegalArgumentException(count + " images need " + n + " floats, got " + images.length);
        }
        if (type == DataType.FLOAT) {
            in.data().asNioFloat().put(images, 0, Math.toIntExact(n)); // the input is its buffer's prefix
        } else {
            for (int i = 0; i < n; i++) {
                in.data().put(i, images[i]);
            }
        }
    }

    /**
     * −log softmax(z)[label] of one row of {@code classes} logits, in double from the logits as PyTorch's
     * cross-entropy computes it (a confident mistake is a large finite loss); NaN for a NaN or
     * infinite logit: a broken network.
     */
    public static double crossEntropy(double[] logits, int offset, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        if (!Double.isFinite(max)) {
            return Double.NaN;
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return Math.log(sum) + max - logits[offset + Objects.checkIndex(label, classes)];
    }

    /**
     * Training-mode forward and backward of the images in {@link #input(int)}: the BatchNorm running
     * statistics move (as PyTorch's training forward moves them), the gradients are set.
     *
     * @return the mean cross-entropy of the batch
     */
    public double forwardBackward(int batch, int[] labels) {
        return plan(batch).forwardBackward(labels);
    }

    /**
     * The mean cross-entropy of the images in {@link #input(int)}, forward only: with batch
     * statistics when {@code training} (the running statistics move, as in PyTorch's training-mode
     * forward), else with the running ones.
     */
    public double loss(int batch, int[] labels, boolean training) {
        return plan(batch).loss(labels, training);
    }

    /** One PyTorch {@code SGD(momentum, nesterov=True, weight_decay)} step on the last gradients. */
    public void step(double learningRate, double momentum, double weightDecay) {
        if (profile == null) {
            parameters.step(learningRate, momentum, weightDecay);
            return;
        }
        long t = System.nanoTime();
        parameters.step(learningRate, momentum, weightDecay);
        profile.add(StepProfile.Kind.UPDATE, StepProfile.Phase.BACKWARD, System.nanoTime() - t);
    }

    /** Whether the BatchNorms run on the engine's own kernel (the CPU) rather than the library's op (CUDA). */
    public boolean batchNormOnOwnKernel() {
        return graph.ownBatchNorm;
    }

    /**
     * Times every layer of the passes and the updates from now on into {@code profile}, by kind and direction
     * ({@code null}: stop). The timing itself costs two clock reads per layer.
     */
    public void profile(StepProfile profile) {
        this.profile = profile;
        plans.values().forEach(p -> p.profile(profile));
    }

    /** Evaluation-mode forward of the images in {@link #input(int)}; returns the logits (see {@link #logits}). */
    public INDArray infer(int batch) {
        return plan(batch).forward(false);
    }

    /** The logits [batch, classes] of the last pass at this batch size: a view, valid until the next pass. */
    public INDArray logits(int batch) {
        return plan(batch).logits();
    }

    /** The softmax probabilities of the last pass [batch, classes]: a view. */
    public INDArray probabilities(int batch) {
        return plan(batch).probabilities();
    }

    private Plan plan(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: must be ≥ 1, was " + batch);
        }
        if (memory.generation() != generation) {
            // the shared arena was replaced by a larger one: rebuild the plans on it
            plans.values().forEach(Plan::close);
            plans.clear();
            memory.ensure(graph.layout.perImage());
            generation = memory.generation();
        }
        return plans.computeIfAbsent(batch, n -> {
            Plan p = new Plan(graph, parameters, memory, type, n);
            p.profile(profile);
            return p;
        });
    }

    @Override
    public void close() {
        plans.values().forEach(Plan::close);
        plans.clear();
        parameters.close();
        if (ownsMemory) {
            memory.close();
        }
    }

    @Override
    public String toString() {
        return "CellEngine(" + shape.describe() + ", " + type + ", " + parameters.count() + " parameters)";
    }
}
