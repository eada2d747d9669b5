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
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * One golden fixture of {@code tools/conformance/generate.py}: a training step of a cell's network
 * computed by PyTorch in float64, for one cellcode at width 4 in its network family and space
 * (docs/CONFORMANCE.md). Tensors are named {@code <layer>.<weight|bias|running_mean|running_var>} after
 * the worker's layers. A fixture's meta names its family and operations unless they are
 * NAS-HPO-Bench-II's, and its file name says the space: {@code 0_10_210} (NAS-HPO-Bench-II's),
 * {@code nb201_2_34_142} (NAS-Bench-201's family and space), {@code nhb2-conv1x1_4_02_214}
 * (NAS-HPO-Bench-II's, its space extended by conv1x1).
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

    /** The fixtures, by name (the generator's CASES). */
    static final List<String> NAMES = List.of("0_00_000", "0_10_210", "2_12_221", "0_13_232", "3_33_333",
            "nb201_2_34_142", "nb201_2_10_401", "nhb2-conv1x1_4_02_214");

    /** The generator's short names of the families, which prefix a fixture's name. */
    private static final Map<NetworkFamily, String> SHORT = Map.of(NetworkFamily.NAS_HPO_BENCH_2, "nhb2",
            NetworkFamily.NAS_BENCH_201, "nb201");

    /** A fixture's name as the generator writes it: the cellcode, after a prefix naming the space unless NAS-HPO-Bench-II's. */
    static String name(NetworkFamily family, CellCode cell) {
        String digits = cell.toString().replace('|', '_');
        List<String> own = family.space().operationNames();
        List<String> ops = cell.space().operationNames();
        if (family == NetworkFamily.NAS_HPO_BENCH_2 && ops.equals(own)) {
            return digits;
        }
        String prefix = SHORT.get(family);
        if (!ops.equals(own)) {
            List<String> extra = ops.size() > own.size() && ops.subList(0, own.size()).equals(own)
                    ? ops.subList(own.size(), ops.size()) : ops;
            prefix += "-" + String.join("-", extra);
        }
        return prefix + "_" + digits;
    }

    static GoldenFixture load(String name) {
        Map<String, Npz.Array> batch = read("batch.npz");
        Map<String, Npz.Array> a = read(name + ".npz");
        try {
            JsonNode meta = new ObjectMapper().readTree(a.get("meta").bytes());
            NetworkFamily family = meta.has("family") ? NetworkFamily.bySpecName(meta.get("family").asText())
                    .orElseThrow(() -> new IllegalStateException(name + ": unknown family " + meta.get("family")))
                    : NetworkFamily.NAS_HPO_BENCH_2;
            List<String> operations = new ArrayList<>();
            if (meta.has("operations")) {
                meta.get("operations").forEach(op -> operations.add(op.asText()));
            }
            SearchSpace space = operations.isEmpty() ? SearchSpace.NAS_HPO_BENCH_2 : SearchSpace.ofNames(operations);
            CellCode cell = space.parse(meta.get("cellcode").asText());
            if (!name(family, cell).equals(name)) {
                throw new IllegalStateException("fixture " + name + " holds " + cell + " of " + space + " in the "
                        + family + " family, whose fixture is named " + name(family, cell));
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
            meta.get("float32Error").properties().forEach(e -> float32Error.put(e.getKey(), e.getValue().asDouble()));

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
            return new GoldenFixture(cell, new NetworkShape(meta.get("width").asInt(),
                    meta.get("cellsPerStage").asInt(), meta.get("stages").asInt(), family),
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
