package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.GilTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The examples' charts, drawn once through a tiny {@link Canvas} and written both as SVG (by
 * hand, no dependency) and as PNG (Java2D, headless), plus their text versions for the
 * terminal: a {@link LineChart} (threads against wall time or speedup, with the laws as
 * dashed curves) and a {@link Timeline} (which thread held the GIL when, from a
 * {@link GilTrace}).
 */
final class Plots {
  private Plots() {}

  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
      "#7f7f7f", "#8c564b", "#e377c2"};

  /** Drawing primitives in pixels, origin top left. */
  interface Canvas {
    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    void rect(double x, double y, double w, double h, String fill);

    void circle(double cx, double cy, double r, String fill);

    /** Text with its anchor at (x, y): {@code align} -1 start, 0 middle, 1 end. */
    void text(double x, double y, String text, int size, int align, boolean bold, boolean vertical);
  }

  /** Something that draws itself on a canvas of a fixed size. */
  interface Drawing {
    int width();

    int height();

    void draw(Canvas c);
  }

  // ---------------------------------------------------------------- writers

  static void writeSvg(Drawing d, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"DejaVu Sans, Arial, sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
        d.width(), d.height(), d.width(), d.height()));
    d.draw(new Canvas() {
      @Override
      public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        sb.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
            x1, y1, x2, y2, color, width, dashed ? " stroke-dasharray=\"6,4\"" : ""));
      }

      @Override
      public void rect(double x, double y, double w, double h, String fill) {
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, w, h, fill));
      }

      @Override
      public void circle(double cx, double cy, double r, String fill) {
        sb.append(String.format(Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", cx, cy, r, fill));
      }

      @Override
      public void text(double x, double y, String text, int size, int align, boolean bold, boolean vertical) {
        String anchor = align < 0 ? "start" : align == 0 ? "middle" : "end";
        sb.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s%s>%s</text>%n", x, y, size, anchor,
            bold ? " font-weight=\"bold\"" : "",
            vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "",
            escape(text)));
      }
    });
    sb.append("</svg>\n");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * Writes a PNG with Java2D in headless mode.
   *
   * @return null if written, else why not (a JRE without fonts, say)
   */
  static String writePng(Drawing d, Path file) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    try {
      return Png.write(d, file);
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw e;
    } catch (Throwable t) { // no fonts, no libawt: the SVG is enough
      return t.toString();
    }
  }

  /** Java2D, in its own class so that a JRE without java.desktop fails only here. */
  private static final class Png {
    static String write(Drawing d, Path file) throws IOException {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(d.width(), d.height(),
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = img.createGraphics();
      try {
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
            java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, d.width(), d.height());
        d.draw(new Canvas() {
          @Override
          public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
            g.setColor(java.awt.Color.decode(color));
            g.setStroke(dashed
                ? new java.awt.BasicStroke((float) width, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                : new java.awt.BasicStroke((float) width));
            g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
          }

          @Override
          public void rect(double x, double y, double w, double h, String fill) {
            g.setColor(java.awt.Color.decode(fill));
            g.fill(new java.awt.geom.Rectangle2D.Double(x, y, Math.max(w, 0.5), h));
          }

          @Override
          public void circle(double cx, double cy, double r, String fill) {
            g.setColor(java.awt.Color.decode(fill));
            g.fill(new java.awt.geom.Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
          }

          @Override
          public void text(double x, double y, String text, int size, int align, boolean bold, boolean vertical) {
            g.setColor(java.awt.Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, bold ? java.awt.Font.BOLD : java.awt.Font.PLAIN, size));
            double w = g.getFontMetrics().stringWidth(text);
            double dx = align < 0 ? 0 : align == 0 ? -w / 2 : -w;
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.translate(x, y);
            if (vertical) {
              g.rotate(-Math.PI / 2);
            }
            g.drawString(text, (float) dx, 0f);
            g.setTransform(saved);
          }
        });
      } finally {
        g.dispose();
      }
      if (!javax.imageio.ImageIO.write(img, "png", file.toFile())) {
        return "no PNG writer";
      }
      return null;
    }
  }

  // ---------------------------------------------------------------- line chart

  /** A series of points; {@code law} series are drawn dashed without markers. */
  record Series(String name, double[] xs, double[] ys, boolean law, char marker) {}

  /** Threads on x, time or speedup on y, measured series with markers and laws dashed. */
  static final class LineChart implements Drawing {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double[] xTicks;
    private final List<Series> series = new ArrayList<>();

    LineChart(String title, String xLabel, String yLabel, double[] xTicks) {
      this.title = title;
      this.xLabel = xLabel;
      this.yLabel = yLabel;
      this.xTicks = xTicks.clone();
    }

    LineChart add(String name, double[] xs, double[] ys, char marker) {
      series.add(new Series(name, xs.clone(), ys.clone(), false, marker));
      return this;
    }

    LineChart law(String name, double[] xs, double[] ys) {
      long laws = series.stream().filter(Series::law).count();
      series.add(new Series(name, xs.clone(), ys.clone(), true, LAW_MARKERS.charAt((int) (laws % LAW_MARKERS.length()))));
      return this;
    }

    private static final String LAW_MARKERS = ".:-~";

    List<Series> series() {
      return series;
    }

    @Override
    public int width() {
      return 900;
    }

    @Override
    public int height() {
      return 520;
    }

    private double xMin() {
      return Arrays.stream(xTicks).min().orElse(0);
    }

    private double xMax() {
      return Arrays.stream(xTicks).max().orElse(1);
    }

    private double yMax() {
      double m = 0;
      for (Series s : series) {
        for (double y : s.ys()) {
          if (Double.isFinite(y)) {
            m = Math.max(m, y);
          }
        }
      }
      return niceCeil(m <= 0 ? 1 : m * 1.05);
    }

    @Override
    public void draw(Canvas c) {
      double left = 80;
      double right = width() - 290;
      double top = 50;
      double bottom = height() - 60;
      double xMin = xMin();
      double xMax = xMax();
      double yMax = yMax();
      c.text(width() / 2.0, 28, title, 16, 0, true, false);
      // grid and y ticks
      double step = niceStep(yMax / 5);
      for (double y = 0; y <= yMax + 1e-9; y += step) {
        double py = bottom - (bottom - top) * y / yMax;
        c.line(left, py, right, py, "#e0e0e0", 1, false);
        c.text(left - 8, py + 4, trim(y), 12, 1, false, false);
      }
      for (double x : xTicks) {
        double px = left + (right - left) * (x - xMin) / (xMax - xMin);
        c.line(px, bottom, px, bottom + 5, "#000000", 1, false);
        c.text(px, bottom + 20, trim(x), 12, 0, false, false);
      }
      c.line(left, bottom, right, bottom, "#000000", 1.2, false);
      c.line(left, top, left, bottom, "#000000", 1.2, false);
      c.text((left + right) / 2, height() - 18, xLabel, 13, 0, false, false);
      c.text(24, (top + bottom) / 2, yLabel, 13, 0, false, true);
      // series
      int i = 0;
      double legendY = top + 10;
      for (Series s : series) {
        String color = COLORS[i++ % COLORS.length];
        double[] px = new double[s.xs().length];
        double[] py = new double[s.xs().length];
        for (int k = 0; k < px.length; k++) {
          px[k] = left + (right - left) * (s.xs()[k] - xMin) / (xMax - xMin);
          py[k] = bottom - (bottom - top) * Math.min(s.ys()[k], yMax) / yMax;
        }
        for (int k = 1; k < px.length; k++) {
          c.line(px[k - 1], py[k - 1], px[k], py[k], color, s.law() ? 1.5 : 2.5, s.law());
        }
        if (!s.law()) {
          for (int k = 0; k < px.length; k++) {
            c.circle(px[k], py[k], 4.5, color);
          }
        }
        c.line(right + 20, legendY - 4, right + 50, legendY - 4, color, s.law() ? 1.5 : 2.5, s.law());
        if (!s.law()) {
          c.circle(right + 35, legendY - 4, 4, color);
        }
        c.text(right + 58, legendY, s.name(), 12, -1, false, false);
        legendY += 22;
      }
    }

    /** The chart as text: one marker per measured point, '.' along the laws. */
    String renderText(int cols, int rows) {
      char[][] grid = new char[rows][cols];
      for (char[] row : grid) {
        Arrays.fill(row, ' ');
      }
      double xMin = xMin();
      double xMax = xMax();
      double yMax = yMax();
      for (Series s : series) {
        if (!s.law()) {
          continue;
        }
        for (int col = 0; col < cols; col++) {
          double x = xMin + (xMax - xMin) * col / (cols - 1.0);
          double y = interpolate(s.xs(), s.ys(), x);
          int row = rowOf(y, yMax, rows);
          if (row >= 0 && grid[row][col] == ' ') {
            grid[row][col] = s.marker();
          }
        }
      }
      for (Series s : series) {
        if (s.law()) {
          continue;
        }
        for (int k = 0; k < s.xs().length; k++) {
          int col = (int) Math.round((cols - 1) * (s.xs()[k] - xMin) / (xMax - xMin));
          int row = rowOf(s.ys()[k], yMax, rows);
          if (row >= 0) {
            grid[row][col] = grid[row][col] == ' ' || LAW_MARKERS.indexOf(grid[row][col]) >= 0 ? s.marker() : '*';
          }
        }
      }
      StringBuilder sb = new StringBuilder(title).append('\n');
      for (int r = 0; r < rows; r++) {
        double yAtRow = yMax * (rows - 1 - r) / (rows - 1.0);
        String label = (r % 3 == 0 || r == rows - 1) ? trim(round2(yAtRow)) : "";
        sb.append(String.format(Locale.ROOT, "%8s |", label)).append(new String(grid[r])).append('\n');
      }
      sb.append(" ".repeat(9)).append('+').append("-".repeat(cols)).append('\n');
      StringBuilder axis = new StringBuilder(" ".repeat(cols + 10));
      for (double x : xTicks) {
        int col = 10 + (int) Math.round((cols - 1) * (x - xMin) / (xMax - xMin));
        String t = trim(x);
        for (int j = 0; j < t.length() && col + j < axis.length(); j++) {
          axis.setCharAt(col + j, t.charAt(j));
        }
      }
      sb.append(axis.toString().replaceAll("\\s+$", "")).append("   ").append(xLabel).append('\n');
      sb.append("  y: ").append(yLabel).append("; ");
      List<String> keys = new ArrayList<>();
      for (Series s : series) {
        keys.add(s.marker() + " " + s.name());
      }
      sb.append(String.join(", ", keys)).append("; * several\n");
      return sb.toString();
    }

    private static int rowOf(double y, double yMax, int rows) {
      if (!Double.isFinite(y) || y < 0) {
        return -1;
      }
      int row = (int) Math.round((rows - 1) * (1 - Math.min(y, yMax) / yMax));
      return Math.max(0, Math.min(rows - 1, row));
    }

    private static double interpolate(double[] xs, double[] ys, double x) {
      for (int k = 1; k < xs.length; k++) {
        if (x <= xs[k]) {
          double f = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
          return ys[k - 1] + f * (ys[k] - ys[k - 1]);
        }
      }
      return ys[ys.length - 1];
    }
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static double niceStep(double raw) {
    double exp = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / exp;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * exp;
  }

  static double niceCeil(double v) {
    double step = niceStep(v / 5);
    return Math.ceil(v / step - 1e-9) * step;
  }

  // ---------------------------------------------------------------- GIL timeline

  /** Who held the GIL when, one row per thread, drop requests marked, from a trace. */
  static final class Timeline implements Drawing {
    private final String title;
    private final List<String> names = new ArrayList<>();
    private final List<List<double[]>> holds = new ArrayList<>();
    private final List<List<Double>> requests = new ArrayList<>();
    private final double spanMs;

    Timeline(String title, GilTrace trace) {
      this.title = title;
      List<GilTrace.Event> events = trace.events();
      long t0 = events.isEmpty() ? 0 : events.get(0).nanoTime();
      long t1 = events.isEmpty() ? 1 : Math.max(events.get(events.size() - 1).nanoTime(), t0 + 1);
      this.spanMs = (t1 - t0) / 1e6;
      Map<Long, Integer> row = new LinkedHashMap<>();
      Map<Long, Long> openSince = new LinkedHashMap<>();
      for (GilTrace.Event e : events) {
        Integer r = row.get(e.threadId());
        if (r == null) {
          r = names.size();
          row.put(e.threadId(), r);
          names.add(e.threadName());
          holds.add(new ArrayList<>());
          requests.add(new ArrayList<>());
          if (e.kind() == GilTrace.Kind.RELEASED) {
            openSince.put(e.threadId(), t0);
          }
        }
        double ms = (e.nanoTime() - t0) / 1e6;
        switch (e.kind()) {
          case ACQUIRED:
            openSince.put(e.threadId(), e.nanoTime());
            break;
          case RELEASED:
            Long since = openSince.remove(e.threadId());
            if (since != null) {
              holds.get(r).add(new double[] {(since - t0) / 1e6, ms});
            }
            break;
          case DROP_REQUESTED:
            requests.get(r).add(ms);
            break;
          default: // waits, forced switches and releasing: the hold intervals say enough
            break;
        }
      }
      for (Map.Entry<Long, Long> open : openSince.entrySet()) {
        holds.get(row.get(open.getKey())).add(new double[] {(open.getValue() - t0) / 1e6, spanMs});
      }
    }

    @Override
    public int width() {
      return 1000;
    }

    @Override
    public int height() {
      return 110 + 46 * Math.max(1, names.size());
    }

    @Override
    public void draw(Canvas c) {
      double left = 190;
      double right = width() - 30;
      double top = 50;
      c.text(width() / 2.0, 26, title, 15, 0, true, false);
      for (int r = 0; r < names.size(); r++) {
        double y = top + 46 * r;
        String color = COLORS[r % COLORS.length];
        c.rect(left, y, right - left, 30, "#f2f2f2");
        c.text(left - 10, y + 20, names.get(r), 12, 1, false, false);
        for (double[] h : holds.get(r)) {
          double x1 = left + (right - left) * h[0] / spanMs;
          double x2 = left + (right - left) * h[1] / spanMs;
          c.rect(x1, y, Math.max(x2 - x1, 0.6), 30, color);
        }
        for (double ms : requests.get(r)) {
          double x = left + (right - left) * ms / spanMs;
          c.line(x, y - 5, x, y, "#000000", 1, false);
        }
      }
      double axisY = top + 46 * names.size() + 4;
      c.line(left, axisY, right, axisY, "#000000", 1, false);
      double step = niceStep(spanMs / 8);
      for (double t = 0; t <= spanMs + 1e-9; t += step) {
        double x = left + (right - left) * t / spanMs;
        c.line(x, axisY, x, axisY + 5, "#000000", 1, false);
        c.text(x, axisY + 19, trim(round2(t)), 11, 0, false, false);
      }
      c.text((left + right) / 2, axisY + 40,
          "time (ms); a coloured bar: the thread holds the GIL; a tick above a row: that thread asked for it",
          12, 0, false, false);
    }
  }
}
