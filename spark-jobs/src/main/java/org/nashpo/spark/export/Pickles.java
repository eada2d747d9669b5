package org.nashpo.spark.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import net.razorvine.pickle.Pickler;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;

/**
 * The three pickles the original NAS-HPO-Bench-II Python API loads (PROTOCOL.md §4), built from a
 * benchmark's rows:
 * <ul>
 * <li>{@code bench12.pkl} = {metric → {(hash, lr, batch, seed) → value}}, metrics
 *     {@code {train,valid,test}_acc_{i}}, {@code {train,valid,test}_time_{i}} for i = 0..S−1,
 *     {@code total_train_time}, {@code total_trainval_time}, {@code total_test_time}, {@code lr},
 *     {@code batch_size}, {@code seed};</li>
 * <li>{@code cellinfo.pkl} = {'hash': {cellcode → hash}} for every cellcode of the space;</li>
 * <li>{@code avgaccs200.pkl} = {'avg_acc': {(hash, lr, batch) → mean test accuracy}} of the long
 *     schedule.</li>
 * </ul>
 * A cell's hash is its class id, so equivalent cellcodes share their class's results as in the
 * original. Keys are Python tuples (str, float, int, int); one tuple object serves every metric,
 * as in a dict built by the original scripts. Floats are written as the shortest decimal that reads
 * back as the stored 32-bit value (45.12, not 45.119998931884766).
 */
final class Pickles {

    /** The only space the original API knows: its 4,096 cellcodes ({@link ExportJob} refuses any other). */
    static final SearchSpace SPACE = SearchSpace.NAS_HPO_BENCH_2;

    static final String BENCH = "bench12.pkl";
    static final String CELLINFO = "cellinfo.pkl";
    static final String AVGACCS = "avgaccs200.pkl";

    private Pickles() {
    }

    /**
     * bench12.pkl of the runs of the short schedule (S epochs each), built row by row: the values are
     * kept in one float column per metric and the dicts are views over them, so the published
     * benchmark's 145,584 runs × 78 metrics are not 11 million boxed map entries.
     */
    static final class Bench12 {

        private final int epochs;
        private final List<String> names = new ArrayList<>();
        private final List<Object[]> keys = new ArrayList<>();
        private final Map<Object, Integer> positions = new IdentityHashMap<>();
        private float[][] columns;

        Bench12(int epochs) {
            this.epochs = epochs;
            for (String kind : List.of("acc", "time")) {
                for (String split : List.of("train", "valid", "test")) {
                    for (int i = 0; i < epochs; i++) {
                        names.add(split + "_" + kind + "_" + i);
                    }
                }
            }
            names.addAll(List.of("total_train_time", "total_trainval_time", "total_test_time"));
            columns = new float[names.size()][1024];
        }

        /** Adds one run's values; a run of another schedule is an error naming it. */
        void add(BenchmarkRun r) {
            if (r.getEpochs() != epochs) {
                throw new IllegalArgumentException("run " + r.getCellcode() + " lr=" + r.getLearningRate() + " batch="
                        + r.getBatchSize() + " seed=" + r.getSeed() + ": has " + r.getEpochs() + " epochs, expected "
                        + epochs);
            }
            int row = keys.size();
            if (row == columns[0].length) {
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = Arrays.copyOf(columns[c], 2 * row);
                }
            }
            Object[] key = {r.getCellClassId(), r.getLearningRate(), r.getBatchSize(), r.getSeed()};
            keys.add(key);
            positions.put(key, row);
            int c = 0;
            for (List<Float> series : List.of(r.getTrainAccuracy(), r.getValidAccuracy(), r.getTestAccuracy(),
                    r.getTrainSeconds(), r.getValidSeconds(), r.getTestSeconds())) {
                for (int i = 0; i < epochs; i++) {
                    columns[c++][row] = series.get(i);
                }
            }
            columns[c++][row] = r.getTotalTrainSeconds();
            columns[c++][row] = r.getTotalTrainValidSeconds();
            columns[c][row] = r.getTotalTestSeconds();
        }

        /** {metric → {(hash, lr, batch, seed) → value}}, in the order the metrics are listed above. */
        Map<String, Map<Object, Object>> build() {
            Map<String, Map<Object, Object>> metrics = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                float[] column = columns[c];
                metrics.put(names.get(c), new Column(keys, positions, row -> decimal(column[row])));
            }
            metrics.put("lr", new Column(keys, positions, row -> keys.get(row)[1]));
            metrics.put("batch_size", new Column(keys, positions, row -> keys.get(row)[2]));
            metrics.put("seed", new Column(keys, positions, row -> keys.get(row)[3]));
            return metrics;
        }

        int runs() {
            return keys.size();
        }
    }

    /** A read-only dict over shared key tuples whose values are computed when the pickler asks. */
    private static final class Column extends AbstractMap<Object, Object> {

        private final List<Object[]> keys;
        private final Map<Object, Integer> positions;
        private final IntFunction<Object> value;

        Column(List<Object[]> keys, Map<Object, Integer> positions, IntFunction<Object> value) {
            this.keys = keys;
            this.positions = positions;
            this.value = value;
        }

        @Override
        public Object get(Object key) {
            Integer row = positions.get(key);
            return row == null ? null : value.apply(row);
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public Set<Object> keySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Object> iterator() {
                    Iterator<Object[]> it = keys.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Object next() {
                            return it.next();
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.size();
                }
            };
        }

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<Object, Object>> iterator() {
                    Iterator<Object[]> it = keys.iterator();
                    int[] row = {0};
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<Object, Object> next() {
                            Object key = it.next();
                            return new SimpleImmutableEntry<>(key, value.apply(row[0]++));
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.size();
                }
            };
        }
    }

    /** cellinfo.pkl: every cellcode of the space → the hash (class id) its results are stored under. */
    static Map<String, Map<Object, Object>> cellinfo() {
        Map<Object, Object> hashes = new LinkedHashMap<>();
        for (CellCode cell : SPACE.cells()) {
            hashes.put(cell.toString(), SPACE.classOf(cell).id());
        }
        return Map.of("hash", hashes);
    }

    /**
     * avgaccs200.pkl from the predictions table: per class × lr × batch size, the prediction of the
     * class's representative (or, if it has none, of the first member in cellcode order that has one).
     */
    static Map<String, Map<Object, Object>> averageFromPredictions(List<SurrogatePrediction> predictions) {
        Map<String, SurrogatePrediction> chosen = new TreeMap<>();
        for (SurrogatePrediction p : predictions) {
            CellClass cls = SPACE.classOf(SPACE.parse(p.getCellcode()));
            String key = cls.id() + "|" + p.getLearningRate() + "|" + p.getBatchSize();
            SurrogatePrediction current = chosen.get(key);
            if (current == null || rank(cls, p).compareTo(rank(cls, current)) < 0) {
                chosen.put(key, p);
            }
        }
        Map<Object, Object> avg = new LinkedHashMap<>();
        for (SurrogatePrediction p : chosen.values()) {
            String hash = SPACE.classOf(SPACE.parse(p.getCellcode())).id();
            avg.put(new Object[] {hash, p.getLearningRate(), p.getBatchSize()}, decimal(p.getMeanTestAccuracy()));
        }
        return Map.of("avg_acc", avg);
    }

    /** The representative first, then the other members in cellcode order. */
    private static String rank(CellClass cls, SurrogatePrediction p) {
        return (cls.representative().toString().equals(p.getCellcode()) ? "0" : "1") + p.getCellcode();
    }

    /** avgaccs200.pkl from trained long-schedule runs: the mean over seeds of the last epoch's test accuracy. */
    static Map<String, Map<Object, Object>> averageFromRuns(List<BenchmarkRun> longRuns) {
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, Object[]> keys = new HashMap<>();
        for (BenchmarkRun r : longRuns) {
            String key = r.getCellClassId() + "|" + r.getLearningRate() + "|" + r.getBatchSize();
            double[] s = sums.computeIfAbsent(key, k -> new double[2]);
            s[0] += r.getTestAccuracy().get(r.getEpochs() - 1);
            s[1]++;
            keys.putIfAbsent(key, new Object[] {r.getCellClassId(), r.getLearningRate(), r.getBatchSize()});
        }
        Map<Object, Object> avg = new LinkedHashMap<>();
        sums.forEach((key, s) -> avg.put(keys.get(key), s[0] / s[1]));
        return Map.of("avg_acc", avg);
    }

    /** Writes one pickle (protocol 2, which every Python 3 reads). */
    static void write(Object value, OutputStream out) throws IOException {
        new Pickler(true).dump(value, out);
    }

    /** The float as the shortest decimal that reads back as it. */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
