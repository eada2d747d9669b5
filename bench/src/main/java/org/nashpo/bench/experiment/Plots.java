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
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(true);
        // XChart labels a log axis at powers of ten only: within one decade it would have no labels
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
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] times = result.curves().times();
        for (int a = 0; a < result.algorithms(); a++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < times.length; k++) {
                double v = values[a][k];
                // a point needs a result in at least half the runs; a log axis needs it > 0
                if (Double.isFinite(v) && result.curves().withResult()[a][k] * 2 >= result.settings().runs()
                        && (!logY || v > 0)) {
                    x.add(times[k]);
                    y.add(v);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(result.label(a), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(COLOURS[a % COLOURS.length]);
            series.setLineStyle(result.label(a).contains("/") || a >= COLOURS.length ? DASHED : SOLID);
        }
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(png.getFileName().toString(), svg.getFileName().toString());
    }
}
