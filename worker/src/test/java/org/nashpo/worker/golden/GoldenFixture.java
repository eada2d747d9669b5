package org.nashpo.worker.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;

/**
 * One golden fixture of {@code tools/conformance/generate.py}: a training step of the benchmark
 * network computed by PyTorch in float64, for one cellcode at width 4 (docs/CONFORMANCE.md).
 * Tensors are named {@code <layer>.<weight|bias|running_mean|running_var>} after the worker's layers.
 */
record GoldenFixture(CellCode cell, NetworkShape shape, double[] lrs, double momentum, double weightDecay,
        List<Tensor> tensors, Set<String> noGradient, float[] input, int[] labels, Map<String, float[]> init,
        float[] logits, double loss, Map<String, float[]> gradients, Map<String, float[]> changes, double loss2,
        float[] evalLogits, Map<String, Double> float32Error) {

    /** A tensor of the network: a parameter, or a BatchNorm running statistic. */
    record Tensor(String name, long[] shape, boolean statistic) {
        int length() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }

        String layer() {
            return name.substring(0, name.indexOf('.'));
        }

        String kind() {
            return name.substring(name.indexOf('.') + 1);
        }
    }

    static final List<String> CELLCODES = List.of("0|00|000", "0|10|210", "2|12|221", "0|13|232", "3|33|333");

    static GoldenFixture load(String cellcode) {
        Map<String, Npz.Array> batch = read("batch.npz");
        Map<String, Npz.Array> a = read(cellcode.replace('|', '_') + ".npz");
        try {
            JsonNode meta = new ObjectMapper().readTree(a.get("meta").bytes());
            if (!meta.get("cellcode").asText().equals(cellcode)) {
                throw new IllegalStateException("fixture of " + cellcode + " holds " + meta.get("cellcode"));
            }
            int parameters = meta.get("parameters").asInt();
            List<Tensor> tensors = new ArrayList<>();
            for (JsonNode t : meta.get("tensors")) {
                long[] dims = new long[t.get("shape").size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = t.get("shape").get(i).asLong();
                }
                tensors.add(new Tensor(t.get("name").asText(), dims, tensors.size() >= parameters));
            }
            Set<String> noGradient = new HashSet<>();
            meta.get("noGradient").forEach(n -> noGradient.add(n.asText()));
            double[] lrs = new double[meta.get("lrs").size()];
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = meta.get("lrs").get(i).asDouble();
            }
            Map<String, Double> float32Error = new LinkedHashMap<>();
            meta.get("float32Error").fields().forEachRemaining(e -> float32Error.put(e.getKey(), e.getValue().asDouble()));

            byte[] q = a.get("init_q").bytes();
            float[] scale = a.get("init_scale").floats();
            float[] statistics = a.get("init_statistics").floats();
            Map<String, float[]> init = new LinkedHashMap<>();
            int offset = 0;
            int statisticOffset = 0;
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                float[] v = new float[t.length()];
                if (t.statistic()) {
                    System.arraycopy(statistics, statisticOffset, v, 0, v.length);
                    statisticOffset += v.length;
                } else {
                    for (int j = 0; j < v.length; j++) {
                        v[j] = q[offset + j] * scale[i]; // one float32 product, as the generator computed it
                    }
                    offset += v.length;
                }
                init.put(t.name(), v);
            }
            long[] labels = batch.get("labels").longs();
            int[] y = new int[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.toIntExact(labels[i]);
            }
            return new GoldenFixture(CellCode.parse(cellcode),
                    new NetworkShape(meta.get("width").asInt(), meta.get("cellsPerStage").asInt(), meta.get("stages").asInt()),
                    lrs, meta.get("momentum").asDouble(), meta.get("weightDecay").asDouble(), List.copyOf(tensors),
                    Set.copyOf(noGradient), batch.get("input").floats(), y, init, a.get("logits").floats(),
                    a.get("loss").scalar(), split(tensors.subList(0, parameters), a.get("grad").floats()),
                    split(tensors, a.get("change").floats()), a.get("loss2").scalar(), a.get("eval_logits").floats(),
                    float32Error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Tensor> parameters() {
        return tensors.stream().filter(t -> !t.statistic()).toList();
    }

    List<Tensor> statistics() {
        return tensors.stream().filter(Tensor::statistic).toList();
    }

    int batchSize() {
        return labels.length;
    }

    private static Map<String, float[]> split(List<Tensor> tensors, float[] all) {
        Map<String, float[]> out = new LinkedHashMap<>();
        int offset = 0;
        for (Tensor t : tensors) {
            float[] v = new float[t.length()];
            System.arraycopy(all, offset, v, 0, v.length);
            offset += v.length;
            out.put(t.name(), v);
        }
        if (offset != all.length) {
            throw new IllegalStateException("tensors hold " + offset + " values, the array " + all.length);
        }
        return out;
    }

    private static Map<String, Npz.Array> read(String file) {
        try (InputStream in = GoldenFixture.class.getResourceAsStream("/org/nashpo/worker/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource org/nashpo/worker/golden/" + file + " is missing");
            }
            return Npz.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
