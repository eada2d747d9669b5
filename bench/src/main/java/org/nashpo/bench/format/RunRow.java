package org.nashpo.bench.format;

import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.util.Utf8;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * One row of the runs table as a mutable buffer of primitives: readers decode into it and writers
 * encode from it, reusing one instance for every row, so a table of 145,584 rows is read without
 * allocating per row (the generated {@code BenchmarkRun} would box 108 floats each). Series grow to
 * the schedule's length as values are added. A row holds a cell of one space, the benchmark's.
 */
public final class RunRow {

    /** Values each series of the published benchmark's runs table holds; a row holds any number. */
    public static final int EPOCHS = BenchmarkLayout.SHORT_EPOCHS;

    private final SearchSpace space;
    private int cell = -1;
    private Utf8 cellClassId = new Utf8();
    private double learningRate;
    private int batchSize;
    private int seed;
    private int epochs;
    private int epochsCompleted;
    private long parameters;
    private long multiplyAdds;
    private float[][] series = new float[Metric.VALUES.length][EPOCHS];
    private final int[] lengths = new int[Metric.VALUES.length];
    private float totalTrainSeconds;
    private float totalTrainValidSeconds;
    private float totalTestSeconds;

    /** A row of a benchmark whose cells are of {@code space}. */
    public RunRow(SearchSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /** The space the row's cell is of. */
    public SearchSpace space() {
        return space;
    }

    /** Index of the cellcode trained in the row's space (see {@link CellCode#index()}). */
    public int cell() {
        return cell;
    }

    public RunRow cell(int cellIndex) {
        this.cell = cellIndex;
        return this;
    }

    /** Sets the cell trained: a cell of the row's space. */
    public RunRow cell(CellCode cellcode) {
        return cell(requireSpace(space, cellcode).index());
    }

    static CellCode requireSpace(SearchSpace space, CellCode cellcode) {
        if (!cellcode.space().equals(space)) {
            throw new IllegalArgumentException("cell " + cellcode + " is of the space " + cellcode.space()
                    + ", the row's is " + space);
        }
        return cellcode;
    }

    /** The class id as read; writers derive it from the cell instead. */
    Utf8 cellClassId() {
        return cellClassId;
    }

    void cellClassId(Utf8 id) {
        cellClassId = id;
    }

    public double learningRate() {
        return learningRate;
    }

    public RunRow learningRate(double lr) {
        this.learningRate = lr;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    public RunRow batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public int seed() {
        return seed;
    }

    public RunRow seed(int seed) {
        this.seed = seed;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public RunRow epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    public int epochsCompleted() {
        return epochsCompleted;
    }

    public RunRow epochsCompleted(int epochsCompleted) {
        this.epochsCompleted = epochsCompleted;
        return this;
    }

    public long parameters() {
        return parameters;
    }

    public RunRow parameters(long parameters) {
        this.parameters = parameters;
        return this;
    }

    public long multiplyAdds() {
        return multiplyAdds;
    }

    public RunRow multiplyAdds(long multiplyAdds) {
        this.multiplyAdds = multiplyAdds;
        return this;
    }

    /** Value of a series at a 0-based epoch. */
    public float value(Metric metric, int epoch) {
        return series[metric.ordinal()][epoch];
    }

    /** Sets the value of a series at a 0-based epoch; the series then holds at least epoch + 1 values. */
    public RunRow value(Metric metric, int epoch, float value) {
        ensureCapacity(epoch + 1);
        series[metric.ordinal()][epoch] = value;
        lengths[metric.ordinal()] = Math.max(lengths[metric.ordinal()], epoch + 1);
        return this;
    }

    /** Values the series holds. */
    public int length(Metric metric) {
        return lengths[metric.ordinal()];
    }

    /** Copies the values of a series into {@code target} at {@code offset}. */
    public void copy(Metric metric, float[] target, int offset) {
        System.arraycopy(series[metric.ordinal()], 0, target, offset, lengths[metric.ordinal()]);
    }

    private void ensureCapacity(int values) {
        if (values > series[0].length) {
            int capacity = Math.max(values, 2 * series[0].length);
            for (int m = 0; m < series.length; m++) {
                series[m] = Arrays.copyOf(series[m], capacity);
            }
        }
    }

    void clear(Metric metric) {
        lengths[metric.ordinal()] = 0;
    }

    /** Appends a decoded value; readers check each series' length against the schedule. */
    void append(Metric metric, float value) {
        int n = lengths[metric.ordinal()];
        ensureCapacity(n + 1);
        series[metric.ordinal()][n] = value;
        lengths[metric.ordinal()] = n + 1;
    }

    public float totalTrainSeconds() {
        return totalTrainSeconds;
    }

    public float totalTrainValidSeconds() {
        return totalTrainValidSeconds;
    }

    public float totalTestSeconds() {
        return totalTestSeconds;
    }

    public RunRow totals(float train, float trainValid, float test) {
        this.totalTrainSeconds = train;
        this.totalTrainValidSeconds = trainValid;
        this.totalTestSeconds = test;
        return this;
    }

    void totalTrainSeconds(float v) {
        totalTrainSeconds = v;
    }

    void totalTrainValidSeconds(float v) {
        totalTrainValidSeconds = v;
    }

    void totalTestSeconds(float v) {
        totalTestSeconds = v;
    }

    @Override
    public String toString() {
        return (cell < 0 ? "?" : space.cell(cell).toString()) + " lr=" + learningRate + " batch=" + batchSize
                + " seed=" + seed;
    }
}
