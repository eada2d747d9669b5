package org.nashpo.worker.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both oneDNNs at work in one process: libnd4j's (2.3.0, linked statically into libnd4jcpu.so, its C API
 * symbols local) through ND4J's {@code conv2d}, then oneDNN 2.5.2 (JavaCPP's libdnnl.so.2) through
 * {@link BatchNormOneDnn}, then {@code conv2d} again — each result checked against a double-precision
 * reference. OneDnnCoexistenceTest runs it in its own JVM, and also as a child JVM with oneDNN's verbose log on,
 * where each library announces its own version and logs its own primitives.
 */
public final class OneDnnCoexistence {

    static final String START = "nashpo-coexistence: start";
    static final String DONE = "nashpo-coexistence: done";

    /** Errors against the references (max |Δ| / max(1, max|ref|)) and the shared objects this process maps. */
    record Result(double convolutionBefore, double batchNormY, double batchNormDx, double convolutionAfter,
            String dnnlVersion, List<String> libraries) {
    }

    private OneDnnCoexistence() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(START);
        Result r = run();
        System.out.println("conv2d before " + r.convolutionBefore() + ", BN y " + r.batchNormY() + ", BN dx "
                + r.batchNormDx() + ", conv2d after " + r.convolutionAfter() + ", dnnl " + r.dnnlVersion());
        r.libraries().forEach(l -> System.out.println("mapped " + l));
        System.out.println(DONE);
    }

    static Result run() throws IOException {
        double before = convolution(1);
        long[] shape = {8, 16, 12, 12};
        double y;
        double dx;
        try (BatchNormArrays a = new BatchNormArrays(DataType.FLOAT, shape, 7)) {
            BatchNormReference ref = new BatchNormReference(shape, BatchNormDesignsTest.values(a.x),
                    BatchNormDesignsTest.values(a.dy), BatchNormDesignsTest.values(a.gamma),
                    BatchNormDesignsTest.values(a.beta), BatchNormDesignsTest.values(a.runningMean),
                    BatchNormDesignsTest.values(a.runningVar), 1);
            try (BatchNormDesign bn = BatchNormDesign.Kind.ONEDNN.bind(a)) {
                bn.forwardTraining();
                bn.backward();
            }
            y = BatchNormDesignsTest.error(a.y, ref.y);
            dx = BatchNormDesignsTest.error(a.dx, ref.dx);
        }
        double after = convolution(2);
        List<String> libraries = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(l -> l.contains("libdnnl") || l.contains("libnd4jcpu") || l.contains("libgomp"))
                .distinct().toList();
        return new Result(before, y, dx, after, BatchNormOneDnn.version(), libraries);
    }

    /** ND4J's conv2d (3×3, stride 1, padding 1, OIHW weights, as Plan calls it) against loops in double. */
    static double convolution(long seed) {
        int n = 2;
        int in = 3;
        int out = 4;
        int size = 9;
        Random r = new Random(seed);
        double[] xs = new double[n * in * size * size];
        double[] ws = new double[out * in * 9];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextGaussian();
        }
        for (int i = 0; i < ws.length; i++) {
            ws[i] = r.nextGaussian();
        }
        INDArray x = Nd4j.createFromArray(xs).castTo(DataType.FLOAT).reshape('c', new long[] {n, in, size, size});
        INDArray w = Nd4j.createFromArray(ws).castTo(DataType.FLOAT).reshape('c', new long[] {out, in, 3, 3});
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, out, size, size);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(y)
                .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1).build());
        double[] expected = new double[n * out * size * size];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        double s = 0;
                        for (int c = 0; c < in; c++) {
                            for (int di = 0; di < 3; di++) {
                                for (int dj = 0; dj < 3; dj++) {
                                    int ii = i + di - 1;
                                    int jj = j + dj - 1;
                                    if (ii >= 0 && ii < size && jj >= 0 && jj < size) {
                                        s += xs[((b * in + c) * size + ii) * size + jj]
                                                * ws[((o * in + c) * 3 + di) * 3 + dj];
                                    }
                                }
                            }
                        }
                        expected[((b * out + o) * size + i) * size + j] = s;
                    }
                }
            }
        }
        return BatchNormDesignsTest.error(y, expected);
    }
}
