package io.otaprio.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Line charts over categories (hours, runs), drawn with Java2D alone so that the server jar can draw them without a
 * chart library: one or more panels stacked over the same categories, each with its own y axis (linear or log10) and
 * lines, a legend on the right. A value that is {@code NaN} (or not positive on a log axis) is no point: the line
 * breaks there. Every point has a marker, so a series of one point shows.
 * <p>
 * Runs headless: setting {@code java.awt.headless} is left to the caller's JVM; an off-screen image needs no display
 * either way. Threading: stateless.
 */
public final class LineChart
{
    /** How a panel's y axis maps values. */
    public enum Scale
    {
        /** Evenly spaced values. */
        LINEAR,
        /** Evenly spaced powers of ten; values must be positive. */
        LOG
    }

    private static final Color[] PALETTE = {
        new Color(0xD62728), new Color(0xFF7F0E), new Color(0x1F77B4), new Color(0x7F7F7F), new Color(0x2CA02C),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2) };
    private static final Color GRID = new Color(0xE0E0E0);
    private static final int LEFT = 80;
    private static final int RIGHT = 190;
    private static final int TOP = 34;
    private static final int BOTTOM = 58;
    private static final int MARKER = 6;
    private static final int LINEAR_TICKS = 5;

    /**
     * One line of a panel.
     *
     * @param name   its label in the legend.
     * @param values one per category, in the order of the categories; {@code NaN} for none.
     */
    public record Series(String name, double[] values)
    {
    }

    /**
     * One chart of the stack.
     *
     * @param title  drawn above it.
     * @param yTitle the y axis's title.
     * @param scale  how the y axis maps values.
     * @param min    the lowest value the axis shows, or {@code NaN} to fit the data (linear: from 0).
     * @param max    the highest, or {@code NaN} to fit the data.
     * @param series its lines, coloured in order.
     */
    public record Panel(String title, String yTitle, Scale scale, double min, double max, List<Series> series)
    {
    }

    private LineChart()
    {
    }

    /**
     * Draw panels stacked top to bottom over the same categories.
     *
     * @param width       of the image, pixels.
     * @param panelHeight of each panel, pixels.
     * @param xTitle      the categories' title, under each panel.
     * @param categories  the labels of the x axis, left to right; a label is skipped when there is no room for it.
     * @param panels      the panels.
     * @return the image.
     */
    public static BufferedImage draw(
        final int width, final int panelHeight, final String xTitle, final List<String> categories,
        final List<Panel> panels)
    {
        final BufferedImage image = new BufferedImage(width, panelHeight * panels.size(), BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < panels.size(); i++)
            {
                new PanelDrawing(g, 0, i * panelHeight, width, panelHeight, categories).draw(panels.get(i), xTitle);
            }
        }
        finally
        {
            g.dispose();
        }
        return image;
    }

    /**
     * @param png   where to write the image (replaced when it exists).
     * @param image what {@link #draw} drew.
     * @throws IOException when the file cannot be written.
     */
    public static void writePng(final Path png, final BufferedImage image) throws IOException
    {
        if (!ImageIO.write(image, "png", png.toFile()))
        {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** One panel's geometry while it is drawn. */
    private static final class PanelDrawing
    {
        private final Graphics2D g;
        private final int plotLeft;
        private final int plotTop;
        private final int plotWidth;
        private final int plotHeight;
        private final int top;
        private final List<String> categories;
        private double low;
        private double high;
        private boolean log;

        PanelDrawing(
            final Graphics2D g, final int left, final int top, final int width, final int height,
            final List<String> categories)
        {
            this.g = g;
            this.top = top;
            this.plotLeft = left + LEFT;
            this.plotTop = top + TOP;
            this.plotWidth = width - LEFT - RIGHT;
            this.plotHeight = height - TOP - BOTTOM;
            this.categories = categories;
        }

        void draw(final Panel panel, final String xTitle)
        {
            log = panel.scale() == Scale.LOG;
            fitAxis(panel);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.BLACK);
            g.drawString(panel.title(), plotLeft, top + 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            drawYAxis(panel.yTitle());
            drawXAxis(xTitle);
            for (int s = 0; s < panel.series().size(); s++)
            {
                drawSeries(panel.series().get(s), PALETTE[s % PALETTE.length], s);
            }
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(plotLeft, plotTop, plotWidth, plotHeight);
        }

        private void fitAxis(final Panel panel)
        {
            double dataLow = Double.POSITIVE_INFINITY;
            double dataHigh = Double.NEGATIVE_INFINITY;
            for (final Series series : panel.series())
            {
                for (final double value : series.values())
                {
                    if (shown(value))
                    {
                        dataLow = Math.min(dataLow, value);
                        dataHigh = Math.max(dataHigh, value);
                    }
                }
            }
            final boolean empty = dataLow > dataHigh;
            if (log)
            {
                low = Double.isNaN(panel.min()) ? (empty ? 1 : Math.pow(10, Math.floor(Math.log10(dataLow)))) :
                    panel.min();
                high = Double.isNaN(panel.max()) ? (empty ? 10 : Math.pow(10, Math.ceil(Math.log10(dataHigh)))) :
                    panel.max();
                high = high <= low ? low * 10 : high;
            }
            else
            {
                low = Double.isNaN(panel.min()) ? 0 : panel.min();
                high = Double.isNaN(panel.max()) ? niceCeiling(empty ? 1 : dataHigh) : panel.max();
                high = high <= low ? low + 1 : high;
            }
        }

        private void drawYAxis(final String yTitle)
        {
            final FontMetrics metrics = g.getFontMetrics();
            final double step = log ? 10 : niceCeiling((high - low) / LINEAR_TICKS);
            for (double tick = log ? low : Math.ceil(low / step) * step; tick <= high * (1 + 1e-9);
                tick = log ? tick * step : tick + step)
            {
                final int y = y(tick);
                g.setColor(GRID);
                g.drawLine(plotLeft, y, plotLeft + plotWidth, y);
                g.setColor(Color.BLACK);
                final String label = number(tick);
                g.drawString(label, plotLeft - 6 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
            }
            final AffineTransform before = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yTitle, -(plotTop + plotHeight / 2 + metrics.stringWidth(yTitle) / 2), plotLeft - 58);
            g.setTransform(before);
        }

        private void drawXAxis(final String xTitle)
        {
            final FontMetrics metrics = g.getFontMetrics();
            int widest = 1;
            for (final String label : categories)
            {
                widest = Math.max(widest, metrics.stringWidth(label));
            }
            final int n = categories.size();
            final int every = n == 0 ? 1 : Math.max(1, (int)Math.ceil(n * (widest + 12.0) / plotWidth));
            g.setColor(Color.BLACK);
            for (int i = 0; i < n; i += every)
            {
                final int x = x(i);
                g.drawLine(x, plotTop + plotHeight, x, plotTop + plotHeight + 4);
                final String label = categories.get(i);
                g.drawString(label, x - metrics.stringWidth(label) / 2, plotTop + plotHeight + 6 + metrics.getAscent());
            }
            g.drawString(xTitle, plotLeft + plotWidth / 2 - metrics.stringWidth(xTitle) / 2,
                plotTop + plotHeight + 10 + 2 * metrics.getHeight());
        }

        private void drawSeries(final Series series, final Color colour, final int index)
        {
            g.setColor(colour);
            g.setStroke(new BasicStroke(2f));
            final double[] values = series.values();
            for (int i = 0; i < values.length; i++)
            {
                if (!shown(values[i]))
                {
                    continue;
                }
                final int x = x(i);
                final int y = y(values[i]);
                g.fillOval(x - MARKER / 2, y - MARKER / 2, MARKER, MARKER);
                if (i + 1 < values.length && shown(values[i + 1]))
                {
                    g.drawLine(x, y, x(i + 1), y(values[i + 1]));
                }
            }
            final int legendX = plotLeft + plotWidth + 16;
            final int legendY = plotTop + 10 + index * 18;
            g.drawLine(legendX, legendY, legendX + 22, legendY);
            g.fillOval(legendX + 11 - MARKER / 2, legendY - MARKER / 2, MARKER, MARKER);
            g.setColor(Color.BLACK);
            g.drawString(series.name(), legendX + 28, legendY + g.getFontMetrics().getAscent() / 2 - 1);
        }

        private boolean shown(final double value)
        {
            return Double.isFinite(value) && (!log || value > 0);
        }

        private int x(final int category)
        {
            return plotLeft + (int)Math.round((category + 0.5) * plotWidth / Math.max(1, categories.size()));
        }

        private int y(final double value)
        {
            final double clamped = Math.max(low, Math.min(high, value));
            final double fraction = log ? Math.log10(clamped / low) / Math.log10(high / low) :
                (clamped - low) / (high - low);
            return plotTop + plotHeight - (int)Math.round(fraction * plotHeight);
        }
    }

    /** @return the smallest of 1, 2 and 5 times a power of ten at or above {@code value} (positive). */
    private static double niceCeiling(final double value)
    {
        final double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double factor : new double[] { 1, 2, 5, 10 })
        {
            if (factor * power >= value * (1 - 1e-9))
            {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static String number(final double value)
    {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
