package io.otaprio.loadgen;

import io.otaprio.metrics.LevelReport;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's chart: per level, end-to-end p99 latency prioritised vs fifo, before the DR event and after the
 * restart, on a log scale, with each level's TRT budget.
 */
final class DemoChart
{
    private DemoChart()
    {
    }

    /**
     * One line of the chart: a label and its rows, level by level.
     *
     * @param name   the legend's label.
     * @param rows   one row per level.
     */
    record Series(String name, List<LevelReport> rows)
    {
    }

    static Path write(final Path png, final DrDemo.Run prioritised, final DrDemo.Run fifo) throws IOException
    {
        final List<Series> series = new ArrayList<>(List.of(
            new Series("prioritised, before DR", prioritised.beforeDr()),
            new Series("prioritised, after restart", prioritised.afterDr())));
        if (null != fifo)
        {
            series.add(new Series("fifo, before DR", fifo.beforeDr()));
            series.add(new Series("fifo, after restart", fifo.afterDr()));
        }
        return write(png, "otaprio demo: p99 end-to-end latency per level, 3x burst then kill -9 (log scale)", series,
            prioritised.result().run().levels());
    }

    /**
     * @param png    where to write it.
     * @param title  the chart's title.
     * @param series the lines, up to four.
     * @param trt    rows whose TRT budgets are drawn.
     * @return the file written.
     * @throws IOException if it cannot be written.
     */
    static Path write(final Path png, final String title, final List<Series> series, final List<LevelReport> trt)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder()
            .width(1000)
            .height(600)
            .title(title)
            .xAxisTitle("priority level (1 = supply at stake, 4 = routine)")
            .yAxisTitle("p99 latency (ms)")
            .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisTickMarkSpacingHint(200);

        final Marker[] markers = { SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
            SeriesMarkers.TRIANGLE_UP };
        for (int i = 0; i < series.size(); i++)
        {
            add(chart, series.get(i).name(), series.get(i).rows(), markers[i % markers.length]);
        }
        final double[] levels = { 1, 2, 3, 4 };
        final double[] budgets = new double[4];
        for (int i = 0; i < 4; i++)
        {
            budgets[i] = trt.get(i).trtNs() / 1e6;
        }
        final XYSeries trtSeries = chart.addSeries("TRT budget", levels, budgets);
        trtSeries.setMarker(SeriesMarkers.NONE);
        trtSeries.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{ 6f, 6f }, 0f));

        final String name = png.toString();
        final String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }

    private static void add(
        final XYChart chart, final String name, final List<LevelReport> rows, final Marker marker)
    {
        final double[] x = new double[rows.size()];
        final double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++)
        {
            x[i] = rows.get(i).level();
            y[i] = Math.max(0.01, rows.get(i).latency().p99Us() / 1000.0);
        }
        chart.addSeries(name, x, y).setMarker(marker);
    }
}
