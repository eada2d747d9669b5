package org.nashpo.worker.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.nn.Backend;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which library's kernels serve the engine's convolutions, BatchNorms and poolings: one training
 * step of a tiny network run in a JVM of its own with the kernel libraries' logs on — oneDNN's
 * verbose log on CPU ({@code ONEDNN_VERBOSE=1}), cuDNN's API log on CUDA ({@code CUDNN_LOGINFO_DBG=1})
 * — and the primitives the log shows executed. An op that fell back to libnd4j's generic code
 * (im2col + gemm for a convolution) leaves no line there.
 */
public final class KernelProbe {

    /** The marker line after which the step's own log starts. */
    static final String START = "nashpo-probe: step";
    static final String DONE = "nashpo-probe: done";
    /** A cell with a conv, an avg-pool and a skip edge; the reductions add 2×2 pools and 1×1 convolutions. */
    static final String CELL = "0|20|210";

    /**
     * What the step executed, per op and direction ({@code convolution forward}, …): true when the
     * kernel library's log shows it.
     *
     * @param library oneDNN or cuDNN
     * @param executed op and direction → seen in the log
     * @param log the log lines of the kernel library during the step
     */
    public record Result(String library, Map<String, Boolean> executed, List<String> log) {

        /** The op/direction pairs the library did not serve. */
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

    /** Runs the step in a child JVM on this JVM's class path and reads its log. */
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
            return parse(cuda, lines.subList(from, lines.size()));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Reads a step's log: oneDNN's {@code onednn_verbose,exec,cpu,<primitive>,…,<propagation>,…} lines, or cuDNN's API calls. */
    static Result parse(boolean cuda, List<String> lines) {
        Map<String, Boolean> executed = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        if (cuda) {
            // cuDNN logs each API call by name: "I! CuDNN (v8301) function cudnnConvolutionForward() called:"
            Map<String, String> calls = new LinkedHashMap<>();
            calls.put("convolution forward", "cudnnConvolutionForward");
            calls.put("convolution backward data", "cudnnConvolutionBackwardData");
            calls.put("convolution backward weights", "cudnnConvolutionBackwardFilter");
            calls.put("batch normalization forward", "cudnnBatchNormalizationForward");
            calls.put("batch normalization backward", "cudnnBatchNormalizationBackward");
            calls.put("pooling forward", "cudnnPoolingForward");
            calls.put("pooling backward", "cudnnPoolingBackward");
            lines.stream().filter(l -> l.contains("function cudnn")).forEach(log::add);
            calls.forEach((op, call) -> executed.put(op, log.stream().anyMatch(l -> l.contains(call))));
            return new Result("cuDNN", executed, log);
        }
        lines.stream().filter(l -> l.contains("_verbose,exec,")).forEach(log::add);
        String[][] wanted = {
            {"convolution forward", "convolution", "forward"},
            {"convolution backward data", "convolution", "backward_data"},
            {"convolution backward weights", "convolution", "backward_weights"},
            {"batch normalization forward", "batch_normalization", "forward"},
            {"batch normalization backward", "batch_normalization", "backward"},
            {"pooling forward", "pooling", "forward"},
            {"pooling backward", "pooling", "backward"}};
        for (String[] w : wanted) {
            // oneDNN 2.x names some primitives with a version suffix: "pooling_v2"
            executed.put(w[0], log.stream().anyMatch(l -> (l.contains("," + w[1] + ",") || l.contains("," + w[1] + "_v2,"))
                    && l.contains("," + w[2])));
        }
        return new Result("oneDNN", executed, log);
    }

    /** The child JVM: one training step, one SGD step and one inference pass of a tiny network. */
    public static void main(String[] args) {
        Backend.configure(1);
        int n = 4;
        try (CellEngine engine = new CellEngine(CellCode.parse(CELL), new NetworkShape(4, 1, 3), DataType.FLOAT, n)) {
            engine.initialise(1);
            float[] x = new float[n * NetworkShape.IMAGE_CHANNELS * NetworkShape.IMAGE_SIZE * NetworkShape.IMAGE_SIZE];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 17) / 17f;
            }
            engine.input(n, x);
            System.out.println(START);
            System.out.flush();
            engine.forwardBackward(n, new int[] {0, 1, 2, 3});
            engine.step(0.1, 0.9, 5e-4);
            engine.infer(n);
            System.out.flush();
            System.out.println(DONE);
        }
    }
}
