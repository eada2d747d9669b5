package org.nashpo.bench.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's plots over simulated time, each written as PNG and SVG with XChart. */
final class Plots {

    /** Ten distinguishable colours (matplotlib's tab10); restricted searches repeat them dashed. */
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final BasicStroke SOLID = new BasicStroke(1.6f);
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Plots() {
    }

    /** Writes {@code name.png} and {@code name.svg}; returns the two file names. */
    static List<String> write(Path dir, String name, String title, String yTitle, ExperimentResult result,
            double[][] values, boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("simulated time (s)").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        // log axes are drawn as log10 of the values on a linear axis, labelled 10², 10³, 10⁴ at the powers of ten
        // (XChart's own log axis labels them 100, 1000, 1E4)
        styler.setxAxisTickLabelsFormattingFunction(Plots::powerOfTen);
        // a log axis within one decade would have no labels
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (double[] series : values) {
            for (double v : series) {
                if (Double.isFinite(v) && v > 0) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        logY &= high / low >= 20;
        if (logY) {
            styler.setyAxisTickLabelsFormattingFunction(Plots::powerOfTen);
        }
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] times = result.curves().times();
        double[][] decades = null;
        for (int a = 0; a < result.algorithms(); a++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < times.length; k++) {
                double v = values[a][k];
                // a point needs a result in at least half the runs; a log axis needs it > 0
                if (Double.isFinite(v) && result.curves().withResult()[a][k] * 2 >= result.settings().runs()
                        && (!logY || v > 0)) {
                    x.add(Math.log10(times[k]));
                    y.add(logY ? Math.log10(v) : v);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(result.label(a), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLOURS[a % COLOURS.length]);
            series.setLineStyle(result.label(a).contains("/") || a >= COLOURS.length ? DASHED : SOLID);
            if (decades == null) {
                decades = decades(Math.log10(times[0]), Math.log10(times[times.length - 1]), y.get(0));
            }
        }
        if (decades != null) {
            // XChart places x ticks among the series' x values, at equal steps when those are equally spaced (the
            // grid is, in log time) and so rarely at a power of ten: an invisible series at the powers of ten makes
            // it choose round steps, and the labels (unique only at powers of ten) make those steps whole decades
            XYSeries marks = chart.addSeries(" ", decades[0], decades[1]);
            marks.setShowInLegend(false);
            marks.setMarker(SeriesMarkers.NONE);
            marks.setLineStyle(SeriesLines.NONE);
        }
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(png.getFileName().toString(), svg.getFileName().toString());
    }

    /** Points at the whole decades within [from, to], at height y. */
    private static double[][] decades(double from, double to, double y) {
        List<Double> xs = new ArrayList<>();
        for (double d = Math.ceil(from); d <= to; d++) {
            xs.add(d);
        }
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ys = new double[x.length];
        java.util.Arrays.fill(ys, y);
        return new double[][] {x, ys};
    }

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /** The label of a tick on a log10 axis: 10ⁿ at a power of ten, a blank between (XChart draws no empty label). */
    static String powerOfTen(double exponent) {
        long n = Math.round(exponent);
        if (Math.abs(exponent - n) > 1e-9) {
            return " ";
        }
        StringBuilder label = new StringBuilder("10");
        if (n < 0) {
            label.append('⁻');
        }
        for (char digit : Long.toString(Math.abs(n)).toCharArray()) {
            label.append(SUPERSCRIPTS.charAt(digit - '0'));
        }
        return label.toString();
    }
}
