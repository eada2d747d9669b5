package org.nashpo.worker.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.backend.Backend;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which library's kernels serve the engine's convolutions, BatchNorms and poolings: one training step of
 * each probe network run in a JVM of its own with the kernel libraries' logs on — oneDNN's verbose log on
 * CPU ({@code ONEDNN_VERBOSE=1}), cuDNN's API log on CUDA ({@code CUDNN_LOGINFO_DBG=1}) — and the
 * primitives the log shows executed. An op that fell back to libnd4j's generic code (im2col + gemm for a
 * convolution) leaves no line there.
 *
 * <p>What is probed is read from the networks' layers ({@link #needs}): every variant of a layer that some
 * network family builds for some operation — each convolution's kernel size, stride and padding, each
 * pooling's window and whether its divisor counts the padding — in every direction its training step runs.
 */
public final class KernelProbe {

    /** The marker line after which the steps' own log starts. */
    static final String START = "nashpo-probe: step";
    static final String DONE = "nashpo-probe: done";
    /** Small enough to build and step in a moment; three stages hold every kind of layer (reductions too). */
    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);

    /** A kernel library's primitive: how oneDNN's log names it, and the cuDNN call of each direction. */
    public enum Primitive {
        CONVOLUTION("convolution", "convolution", Map.of(Direction.FORWARD, "cudnnConvolutionForward",
                Direction.BACKWARD_DATA, "cudnnConvolutionBackwardData",
                Direction.BACKWARD_WEIGHTS, "cudnnConvolutionBackwardFilter")),
        BATCH_NORMALIZATION("batch normalization", "batch_normalization", Map.of(
                Direction.FORWARD, "cudnnBatchNormalizationForward", Direction.BACKWARD,
                "cudnnBatchNormalizationBackward")),
        AVERAGE_POOLING("average pooling", "pooling", Map.of(Direction.FORWARD, "cudnnPoolingForward",
                Direction.BACKWARD, "cudnnPoolingBackward"));

        private final String label;
        private final String oneDnn;
        private final Map<Direction, String> cudnn;

        Primitive(String label, String oneDnn, Map<Direction, String> cudnn) {
            this.label = label;
            this.oneDnn = oneDnn;
            this.cudnn = cudnn;
        }
    }

    /** A direction of a training step, as oneDNN's log names its propagation kind. */
    public enum Direction {
        FORWARD("forward"), BACKWARD("backward"), BACKWARD_DATA("backward_data"), BACKWARD_WEIGHTS("backward_weights");

        private final String oneDnn;

        Direction(String oneDnn) {
            this.oneDnn = oneDnn;
        }
    }

    /**
     * One kernel a layer needs of the library: a primitive, in the layer's variant, in one direction.
     *
     * @param kernel the window's side (0: none)
     * @param stride the window's stride
     * @param padding the padding of each side
     * @param countsPadding of an average pooling: whether its divisor counts the padding; otherwise null
     */
    public record Need(Primitive primitive, int kernel, int stride, int padding, Boolean countsPadding,
            Direction direction) {

        /** E.g. {@code convolution 3×3 stride 2 padding 1 backward data}. */
        public String name() {
            StringBuilder s = new StringBuilder(primitive.label);
            if (kernel > 0) {
                s.append(' ').append(kernel).append('×').append(kernel).append(" stride ").append(stride)
                        .append(" padding ").append(padding);
            }
            if (countsPadding != null) {
                s.append(countsPadding ? ", padding counted" : ", padding excluded");
            }
            return s.append(' ').append(direction.oneDnn.replace('_', ' ')).toString();
        }

        /** Whether a line of oneDNN's verbose log shows this kernel executed. */
        boolean servedBy(String line) {
            // oneDNN 2.x names some primitives with a version suffix: "pooling_v2"
            return (line.contains("," + primitive.oneDnn + ",") || line.contains("," + primitive.oneDnn + "_v2,"))
                    && line.contains("," + direction.oneDnn)
                    && (kernel == 0 || line.contains(String.format(Locale.ROOT, "kh%dsh%ddh0ph%d", kernel, stride,
                            padding)))
                    && (countsPadding == null || line.contains(countsPadding ? "alg:pooling_avg_include_padding"
                            : "alg:pooling_avg_exclude_padding"));
        }
    }

    /**
     * What the steps executed, per need ({@link Need#name()}): true when the kernel library's log shows it.
     *
     * @param library oneDNN or cuDNN
     * @param executed need → seen in the log
     * @param log the log lines of the kernel library during the steps
     */
    public record Result(String library, Map<String, Boolean> executed, List<String> log) {

        /** The needs the library did not serve. */
        public List<String> missing() {
            List<String> missing = new ArrayList<>();
            executed.forEach((op, seen) -> {
                if (!seen) {
                    missing.add(op);
                }
            });
            return missing;
        }
    }

    private KernelProbe() {
    }

    /**
     * The probe's networks: in every family, for every operation that builds layers, the tiny network with
     * it on every edge (the reductions and head come with each).
     */
    static List<NetworkGraph> networks() {
        SearchSpace every = SearchSpace.of(List.of(Op.values()));
        List<NetworkGraph> networks = new ArrayList<>();
        for (NetworkFamily family : NetworkFamily.values()) {
            for (Op op : every.operations()) {
                if (op.isNode()) {
                    CellCode cell = new CellCode(every, Collections.nCopies(CellCode.EDGES, op));
                    networks.add(NetworkGraph.of(cell, TINY.withFamily(family)));
                }
            }
        }
        return networks;
    }

    /**
     * What the layers of {@code networks} need of a kernel library, in the order first met: on the CPU the
     * BatchNorms run on the engine's own kernel ({@link BatchNormKernel}), so oneDNN serves convolutions and
     * poolings; on CUDA cuDNN serves the BatchNorms too.
     */
    static List<Need> needs(List<NetworkGraph> networks, boolean cuda) {
        Set<Need> needs = new LinkedHashSet<>();
        for (NetworkGraph network : networks) {
            for (NetworkGraph.Layer layer : network.layers()) {
                if (layer instanceof NetworkGraph.Conv c) {
                    for (Direction d : List.of(Direction.FORWARD, Direction.BACKWARD_DATA, Direction.BACKWARD_WEIGHTS)) {
                        needs.add(new Need(Primitive.CONVOLUTION, c.kernel(), c.stride(), c.padding(), null, d));
                    }
                } else if (layer instanceof NetworkGraph.BatchNorm && cuda) {
                    for (Direction d : List.of(Direction.FORWARD, Direction.BACKWARD)) {
                        needs.add(new Need(Primitive.BATCH_NORMALIZATION, 0, 0, 0, null, d));
                    }
                } else if (layer instanceof NetworkGraph.AvgPool p) {
                    for (Direction d : List.of(Direction.FORWARD, Direction.BACKWARD)) {
                        needs.add(new Need(Primitive.AVERAGE_POOLING, p.kernel(), p.stride(), p.padding(),
                                p.countPadding(), d));
                    }
                }
                // ReLU, sums and the head run on libnd4j's own kernels
            }
        }
        return List.copyOf(needs);
    }

    /** Runs the steps in a child JVM on this JVM's class path and reads its log. */
    public static Result run(boolean cuda) throws IOException, InterruptedException {
        Path log = Files.createTempFile("nashpo-kernels", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KernelProbe.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            if (cuda) {
                pb.environment().put("CUDNN_LOGINFO_DBG", "1");
                pb.environment().put("CUDNN_LOGDEST_DBG", "stdout");
            } else {
                pb.environment().put("ONEDNN_VERBOSE", "1");
                pb.environment().put("DNNL_VERBOSE", "1");
            }
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the kernel probe did not finish in 10 minutes; its log: " + log);
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int from = lines.indexOf(START);
            if (p.exitValue() != 0 || from < 0 || !lines.contains(DONE)) {
                throw new IllegalStateException("the kernel probe failed (exit " + p.exitValue() + "):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            return parse(cuda, needs(networks(), cuda), lines.subList(from, lines.size()));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Reads the steps' log: oneDNN's {@code onednn_verbose,exec,cpu,<primitive>,<implementation>,<propagation>,
     * …,alg:<algorithm>,<problem>,<ms>} lines, whose problem names the window ({@code kh3sh1dh0ph1}); or cuDNN's
     * API calls, whose lines do not say the window, so on CUDA a primitive's call (and a pooling's mode) stands
     * for each of its variants.
     */
    static Result parse(boolean cuda, List<Need> needs, List<String> lines) {
        Map<String, Boolean> executed = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        if (cuda) {
            // cuDNN logs each API call by name: "I! CuDNN (v8301) function cudnnConvolutionForward() called:",
            // and a pooling descriptor's mode as "val=CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING (2)"
            lines.stream().filter(l -> l.contains("function cudnn") || l.contains("CUDNN_POOLING_AVERAGE"))
                    .forEach(log::add);
            for (Need need : needs) {
                String call = need.primitive().cudnn.get(need.direction());
                String mode = need.countsPadding() == null ? "function cudnn" : need.countsPadding()
                        ? "CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING" : "CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING";
                executed.put(need.name(), log.stream().anyMatch(l -> l.contains(call))
                        && log.stream().anyMatch(l -> l.contains(mode)));
            }
            return new Result("cuDNN", executed, log);
        }
        lines.stream().filter(l -> l.contains("_verbose,exec,")).forEach(log::add);
        for (Need need : needs) {
            executed.put(need.name(), log.stream().anyMatch(need::servedBy));
        }
        return new Result("oneDNN", executed, log);
    }

    /** The child JVM: one training step, one SGD step and one inference pass of each probe network. */
    public static void main(String[] args) {
        Backend.configure(1);
        int n = 4;
        List<CellEngine> engines = new ArrayList<>();
        try {
            for (NetworkGraph network : networks()) {
                CellEngine engine = new CellEngine(network, DataType.FLOAT, n);
                engines.add(engine);
                engine.initialise(1);
                float[] x = new float[n * NetworkShape.IMAGE_CHANNELS * NetworkShape.IMAGE_SIZE
                        * NetworkShape.IMAGE_SIZE];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i % 17) / 17f;
                }
                engine.input(n, x);
            }
            System.out.println(START);
            System.out.flush();
            for (CellEngine engine : engines) {
                engine.forwardBackward(n, new int[] {0, 1, 2, 3});
                engine.step(0.1, 0.9, 5e-4);
                engine.infer(n);
            }
            System.out.flush();
            System.out.println(DONE);
        } finally {
            engines.forEach(CellEngine::close);
        }
    }
}
