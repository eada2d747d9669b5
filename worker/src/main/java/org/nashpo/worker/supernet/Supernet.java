package org.nashpo.worker.supernet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.engine.CellEngine;
import org.nashpo.worker.engine.EngineMemory;
import org.nashpo.worker.engine.NesterovSgd;
import org.nashpo.worker.nas.Batch;
import org.nashpo.worker.nas.OneShotModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The weight-sharing supernet over a cell space (PROTOCOL.md §2, §6): the standalone network with
 * every operation of the space on every edge of every cell, each cell position with its own weights.
 *
 * <p>The parameters live once, in flat shared arrays, by PyTorch name: the union of the parameters of
 * every cellcode of the space, which is the union of the networks that hold one parametric operation
 * on every edge (a convolution's layers are named by the operation, {@code s0c1_e02_conv} and
 * {@code s0c1_e02_conv1x1}; pooling, skip and zero have none). A step on a cellcode runs that cellcode's
 * own {@link CellEngine}, so operations not sampled cost nothing: its parameters and running statistics
 * are copied in from the shared arrays by name, its gradient (and the statistics its training forward
 * moved) copied back out. Engines are cached per cellcode (least recently used first out), since building
 * one costs far more than a copy.
 *
 * <p>The weight update is PyTorch's {@code clip_grad_norm_} then {@code SGD(momentum, nesterov=True,
 * weight_decay)} as the original ASNG-NAS search runs it: the gradient of the mean loss is clipped to a
 * global L2 norm, then every parameter that has had a gradient once (PyTorch keeps a zeroed gradient
 * for it from then on) takes weight decay and its momentum step, sampled or not; parameters never
 * reached by a gradient yet stay untouched. In NAS-Bench-201's family a sampled cell's layers behind its
 * zero edges have a (zero) gradient too, as {@code x.mul(0.)} gives them one ({@link CellEngine#gradients}).
 * BatchNorm running statistics move with each training step's forward pass, as in PyTorch.
 */
public final class Supernet implements OneShotModel, AutoCloseable {

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
     * How the cache of cellcode engines did.
     *
     * @param enginesBuilt cellcode engines built (cache misses)
     * @param cacheHits uses of a cellcode's engine that found it cached
     * @param engineBuildSeconds time spent building engines
     * @param cached engines held now
     */
    public record Stats(long enginesBuilt, long cacheHits, double engineBuildSeconds, int cached) {
    }

    /** One parameter (or running statistic) of a cellcode's engine, paired with its block of the shared arrays. */
    private record Binding(INDArray local, INDArray localGradient, INDArray shared, INDArray sharedGradient,
            INDArray touched, boolean statistic) {
    }

    private record Arch(CellEngine engine, List<Binding> bindings) {
    }

    private final NetworkShape shape;
    private final SearchSpace space;
    private final Sgd sgd;
    private final int cacheSize;
    /** Parameter and statistic name → [offset, length] in the shared arrays. */
    private final Map<String, long[]> blocks = new LinkedHashMap<>();
    private final long parameters;
    /** The shared arrays, reserved from the engines' budget. */
    private final EngineMemory.Reserved shared = new EngineMemory.Reserved(
            "the supernet's shared weights, their gradient and momentum, and the mask of touched ones");
    private final INDArray values;
    private final INDArray gradient;
    private final INDArray momentum;
    /** 1 where a trained parameter has had a gradient at least once, else 0. */
    private final INDArray touched;
    private final LinkedHashMap<CellCode, Arch> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** The memory every cached engine's plans share (they run one at a time), sized for the largest batch seen. */
    private EngineMemory memory;
    private long enginesBuilt;
    private long cacheHits;
    private long buildNanos;

    private Supernet(NetworkShape shape, SearchSpace space, Sgd sgd, int cacheSize, long seed) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.space = Objects.requireNonNull(space, "space");
        this.sgd = Objects.requireNonNull(sgd, "sgd");
        if (cacheSize < 1) {
            throw new IllegalArgumentException("engine cache size: must be ≥ 1, was " + cacheSize);
        }
        this.cacheSize = cacheSize;
        // the first holder's network draws from the seed itself (a space with one parametric operation, as
        // NAS-HPO-Bench-II's, initialises as its all-convolution network does); each next one from a seed of
        // its own, and adds the parameters the earlier ones lack
        List<CellEngine> engines = new ArrayList<>();
        Map<String, INDArray> initial = new LinkedHashMap<>();
        long offset = 0;
        long trained = 0;
        try {
            SplittableRandom seeds = new SplittableRandom(seed);
            long holderSeed = seed;
            for (CellCode holder : holders(space)) {
                CellEngine engine = new CellEngine(holder, shape, DataType.FLOAT, 1);
                engines.add(engine);
                engine.initialise(holderSeed);
                for (boolean statistics : new boolean[] {false, true}) {
                    for (Map.Entry<String, INDArray> e : (statistics ? engine.statistics() : engine.parameters())
                            .entrySet()) {
                        if (blocks.containsKey(e.getKey())) {
                            continue;
                        }
                        long n = e.getValue().length();
                        blocks.put(e.getKey(), new long[] {offset, n});
                        initial.put(e.getKey(), e.getValue());
                        offset += n;
                        trained += statistics ? 0 : n;
                    }
                }
                holderSeed = seeds.nextLong();
            }
            this.values = shared.zeros(DataType.FLOAT, offset);
            this.gradient = shared.zeros(DataType.FLOAT, offset);
            this.momentum = shared.zeros(DataType.FLOAT, offset);
            this.touched = shared.zeros(DataType.FLOAT, offset);
            initial.forEach((name, v) -> block(values, name, v.length()).assign(v.reshape(v.length())));
        } catch (RuntimeException e) {
            shared.close();
            throw e;
        } finally {
            engines.forEach(CellEngine::close);
        }
        this.parameters = trained;
    }

    /**
     * Cellcodes whose networks together hold every parameter of the space's cellcodes: for each operation
     * with parameters, the cell holding it on every edge (every edge's layers exist, fed by zeros or not);
     * for a space without one, any cell (the stem, reductions and head).
     */
    private static List<CellCode> holders(SearchSpace space) {
        List<CellCode> holders = new ArrayList<>();
        for (Op op : space.operations()) {
            if (op.isParametric()) {
                holders.add(new CellCode(space, Collections.nCopies(CellCode.EDGES, op)));
            }
        }
        return holders.isEmpty() ? List.of(space.cell(0)) : holders;
    }

    /**
     * A supernet over {@code space} with every weight initialised as PyTorch does (PROTOCOL.md §2), from
     * {@code seed}.
     *
     * @param cacheSize how many cellcode engines to keep built
     */
    public static Supernet create(NetworkShape shape, SearchSpace space, Sgd sgd, int cacheSize, long seed) {
        return new Supernet(shape, space, sgd, cacheSize, seed);
    }

    /** A supernet over NAS-HPO-Bench-II's space. */
    public static Supernet create(NetworkShape shape, Sgd sgd, int cacheSize, long seed) {
        return create(shape, SearchSpace.NAS_HPO_BENCH_2, sgd, cacheSize, seed);
    }

    public NetworkShape shape() {
        return shape;
    }

    @Override
    public SearchSpace space() {
        return space;
    }

    /** Trained parameters (BatchNorm running statistics excluded), as PyTorch counts them. */
    public long parameters() {
        return parameters;
    }

    public Stats stats() {
        return new Stats(enginesBuilt, cacheHits, buildNanos / 1e9, cache.size());
    }

    @Override
    public double trainStep(List<CellCode> cells, Batch batch, double learningRate) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("trainStep: needs at least one cellcode");
        }
        cells.forEach(this::requireInSpace);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate: must be a finite number ≥ 0, was " + learningRate);
        }
        gradient.assign(0);
        // the engine's gradient is of its batch's mean loss: the mean over cells weighs each 1/λ
        double weight = 1.0 / cells.size();
        double lossSum = 0;
        for (CellCode cell : cells) {
            Arch arch = load(cell, batch);
            lossSum += arch.engine().forwardBackward(batch.size(), batch.labels());
            for (Binding b : arch.bindings()) {
                if (b.statistic()) {
                    b.shared().assign(b.local()); // the running averages the forward pass moved
                } else if (b.localGradient() != null) {
                    Nd4j.exec(new Axpy(b.localGradient(), b.sharedGradient(), b.sharedGradient(), weight));
                    b.touched().assign(1);
                }
            }
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
        NesterovSgd.step(values, gradient, momentum, touched, learningRate, sgd.momentum(), sgd.weightDecay());
    }

    @Override
    public double loss(CellCode cell, Batch batch) {
        Arch arch = load(cell, batch);
        return arch.engine().loss(batch.size(), batch.labels(), true);
    }

    /**
     * The class probabilities [n, classes] of {@code cell} on {@code batch}, with batch statistics
     * when {@code training}, else with the running averages; the shared weights do not change.
     */
    public INDArray probabilities(CellCode cell, Batch batch, boolean training) {
        Arch arch = load(cell, batch);
        int n = batch.size();
        if (training) {
            arch.engine().loss(n, batch.labels(), true);
        } else {
            arch.engine().infer(n);
        }
        return arch.engine().probabilities(n).dup();
    }

    /**
     * Overwrites the shared weights of the operations a standalone engine of any cellcode of the space and
     * this shape holds with that engine's (parameters and running statistics).
     */
    public void importWeights(CellEngine standalone) {
        for (Map<String, INDArray> group : List.of(standalone.parameters(), standalone.statistics())) {
            group.forEach((name, v) -> block(values, name, v.length()).assign(v.reshape(v.length())));
        }
    }

    /**
     * Releases the cached engines, their memory and the shared arrays; what the supernet counted
     * ({@link #parameters()}, {@link #stats()}) stays readable.
     */
    @Override
    public void close() {
        cache.values().forEach(a -> a.engine().close());
        cache.clear();
        if (memory != null) {
            memory.close();
            memory = null;
        }
        shared.close();
    }

    /** A copy of one shared parameter block, by PyTorch name ({@code s0c1_e02_conv.weight}). */
    INDArray parameter(String name) {
        long[] b = blocks.get(name);
        if (b == null) {
            throw new IllegalArgumentException("parameter " + name + ": not in the supernet");
        }
        return block(values, name, b[1]).dup();
    }

    private void requireInSpace(CellCode cell) {
        if (!space.equals(Objects.requireNonNull(cell, "cell").space())) {
            throw new IllegalArgumentException("cellcode " + cell + " is of the space " + cell.space()
                    + ", the supernet's is " + space);
        }
    }

    /** The cached engine of {@code cell}, built on a miss, with the shared weights and the batch copied in. */
    private Arch load(CellCode cell, Batch batch) {
        requireInSpace(cell);
        if (memory == null || memory.maxBatch() < batch.size()) {
            // a larger batch than the memory holds: the cached engines go with the old memory
            cache.values().forEach(a -> a.engine().close());
            cache.clear();
            if (memory != null) {
                memory.close();
            }
            memory = new EngineMemory(shape, DataType.FLOAT, batch.size());
        }
        Arch arch = cache.get(cell);
        if (arch == null) {
            long start = System.nanoTime();
            arch = bind(new CellEngine(cell, shape, DataType.FLOAT, memory));
            buildNanos += System.nanoTime() - start;
            enginesBuilt++;
            cache.put(cell, arch);
            if (cache.size() > cacheSize) {
                var eldest = cache.entrySet().iterator();
                eldest.next().getValue().engine().close();
                eldest.remove();
            }
        } else {
            cacheHits++;
        }
        for (Binding b : arch.bindings()) {
            b.local().assign(b.shared());
        }
        arch.engine().input(batch.size(), batch.features());
        return arch;
    }

    /** Pairs each parameter and statistic of an engine with its block of the shared arrays. */
    private Arch bind(CellEngine engine) {
        List<Binding> bindings = new ArrayList<>();
        Map<String, INDArray> grads = engine.gradients();
        engine.parameters().forEach((name, v) -> bindings.add(binding(name, v, grads.get(name), false)));
        engine.statistics().forEach((name, v) -> bindings.add(binding(name, v, null, true)));
        return new Arch(engine, List.copyOf(bindings));
    }

    private Binding binding(String name, INDArray local, INDArray localGradient, boolean statistic) {
        long n = local.length();
        return new Binding(local.reshape(n), localGradient == null ? null : localGradient.reshape(n),
                block(values, name, n), block(gradient, name, n), block(touched, name, n), statistic);
    }

    private INDArray block(INDArray flat, String name, long length) {
        long[] b = blocks.get(name);
        if (b == null || b[1] != length) {
            throw new IllegalStateException("parameter " + name + " (" + length + " values) has no counterpart in the"
                    + " supernet of shape " + shape + (b == null ? "" : ": it holds " + b[1]));
        }
        return flat.get(NDArrayIndex.interval(b[0], b[0] + length));
    }
}
