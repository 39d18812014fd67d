package io.github.gilpatterns.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws JMH results as a PNG of horizontal bars: one panel per benchmark method, one bar per
 * parameter combination, in the order JMH ran them, each labelled with its score. Reads the
 * JSON that {@code -rf json -rff FILE} writes; the score is the primary metric's, except in
 * sample mode, where it is the median ({@code p0.50}). Bars of gilpatterns' own variants
 * (named {@code owner...}, {@code serialExecutor} or {@code joinableQueue...}) are dark, the
 * others light. Also prints the figures as a Markdown table, with the allocation per operation
 * where the run had {@code -prof gc}.
 *
 * <p>Run, after the JMH runs, from the repository root:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.gilpatterns.benchmarks.ResultsPlot \
 *     benchmarks/results/peers.png benchmarks/results/peers-tell.json \
 *     benchmarks/results/peers-ask.json benchmarks/results/peers-queue.json
 * </pre>
 */
public final class ResultsPlot {
  private static final int WIDTH = 1100;
  private static final int ROW = 20;
  private static final int LABELS = 330;
  private static final int MARGIN = 16;
  private static final Color OURS = new Color(0x1f4e79);
  private static final Color PEER = new Color(0x9dc3e6);

  private ResultsPlot() {}

  /**
   * Draws the plot.
   *
   * @param args the PNG to write, then one or more JMH JSON result files
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: ResultsPlot OUT.png RESULT.json...");
    }
    System.setProperty("java.awt.headless", "true");
    Map<String, List<Bar>> panels = new LinkedHashMap<>();
    Map<String, String> unitOf = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String text = Files.readString(Path.of(args[i]), StandardCharsets.UTF_8);
      for (Object o : (List<?>) new Json(text).value()) {
        Map<?, ?> run = (Map<?, ?>) o;
        String benchmark = (String) run.get("benchmark"); // package.Class.method
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String type = benchmark.substring(0, benchmark.lastIndexOf('.'));
        type = type.substring(type.lastIndexOf('.') + 1);
        Map<?, ?> params = (Map<?, ?>) run.get("params");
        // With parameters, a panel per method and a bar per combination; else one bar per method.
        String panel = params == null ? type : type + "." + method;
        String label = params == null ? method
            : String.join(",", params.values().stream().map(String::valueOf).toList());
        Map<?, ?> metric = (Map<?, ?>) run.get("primaryMetric");
        double score = ((Number) metric.get("score")).doubleValue();
        String unit = (String) metric.get("scoreUnit");
        if ("sample".equals(run.get("mode"))) {
          score = ((Number) ((Map<?, ?>) metric.get("scorePercentiles")).get("50.0")).doubleValue();
          unit += ", median";
        }
        unitOf.put(panel, unit);
        Map<?, ?> secondary = (Map<?, ?>) run.get("secondaryMetrics");
        Map<?, ?> alloc = secondary == null ? null : (Map<?, ?>) secondary.get("gc.alloc.rate.norm");
        double bytes = alloc == null ? Double.NaN : ((Number) alloc.get("score")).doubleValue();
        panels.computeIfAbsent(panel, k -> new ArrayList<>()).add(new Bar(label, score, bytes));
      }
    }
    int rows = 0;
    for (List<Bar> bars : panels.values()) {
      rows += bars.size() + 2;
    }
    BufferedImage image =
        new BufferedImage(WIDTH, rows * ROW + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int y = MARGIN;
    int barSpace = WIDTH - LABELS - 2 * MARGIN - 90;
    for (Map.Entry<String, List<Bar>> panel : panels.entrySet()) {
      double max = panel.getValue().stream().mapToDouble(Bar::score).max().orElse(1);
      g.setColor(Color.BLACK);
      g.setFont(g.getFont().deriveFont(Font.BOLD));
      g.drawString(panel.getKey() + " (" + unitOf.get(panel.getKey()) + ")", MARGIN,
          y + fm.getAscent());
      g.setFont(g.getFont().deriveFont(Font.PLAIN));
      y += ROW;
      for (Bar bar : panel.getValue()) {
        g.setColor(Color.BLACK);
        g.drawString(bar.label(), LABELS - fm.stringWidth(bar.label()), y + fm.getAscent());
        int w = (int) Math.round(bar.score() / max * barSpace);
        g.setColor(ours(bar.label()) ? OURS : PEER);
        g.fillRect(LABELS + 8, y + 2, Math.max(w, 1), ROW - 5);
        g.setColor(Color.BLACK);
        g.drawString(format(bar.score()), LABELS + 14 + w, y + fm.getAscent());
        y += ROW;
      }
      g.setColor(Color.LIGHT_GRAY);
      g.setStroke(new BasicStroke(1));
      g.drawLine(MARGIN, y + ROW / 2, WIDTH - MARGIN, y + ROW / 2);
      y += ROW;
    }
    g.dispose();
    ImageIO.write(image, "png", Path.of(args[0]).toFile());
    System.out.println("| benchmark | variant | score | unit | allocated (B/op) |");
    System.out.println("|---|---|---|---|---|");
    for (Map.Entry<String, List<Bar>> panel : panels.entrySet()) {
      for (Bar bar : panel.getValue()) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", panel.getKey(),
            bar.label(), format(bar.score()), unitOf.get(panel.getKey()),
            Double.isNaN(bar.bytes()) ? "" : String.format(Locale.ROOT, "%.1f", bar.bytes()));
      }
    }
  }

  private static boolean ours(String label) {
    return label.startsWith("owner") || label.startsWith("serialExecutor")
        || label.startsWith("joinableQueue");
  }

  private static String format(double score) {
    if (score >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", score / 1e6);
    }
    return String.format(Locale.ROOT, score >= 100 ? "%.0f" : "%.2f", score);
  }

  /** One bar: a parameter combination, its score and its allocation per operation. */
  private record Bar(String label, double score, double bytes) {}

  /** A reader of the JSON JMH writes: objects, arrays, strings, numbers, booleans, null. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    /**
     * Reads the whole text as one value.
     *
     * @return a {@code Map}, {@code List}, {@code String}, {@code Double}, {@code Boolean}
     *     or {@code null}
     */
    Object value() {
      space();
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          Map<String, Object> map = new LinkedHashMap<>();
          i++;
          for (space(); s.charAt(i) != '}'; space()) {
            String key = string();
            space();
            expect(':');
            map.put(key, value());
            space();
            if (s.charAt(i) == ',') {
              i++;
              space();
            }
          }
          i++;
          return map;
        }
        case '[': {
          List<Object> list = new ArrayList<>();
          i++;
          for (space(); s.charAt(i) != ']'; space()) {
            list.add(value());
            space();
            if (s.charAt(i) == ',') {
              i++;
            }
          }
          i++;
          return list;
        }
        case '"':
          return string();
        default:
          int start = i;
          while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          String word = s.substring(start, i);
          switch (word) {
            case "true":
              return Boolean.TRUE;
            case "false":
              return Boolean.FALSE;
            case "null":
              return null;
            case "NaN":
              return Double.NaN;
            default:
              return Double.valueOf(word);
          }
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (char c; (c = s.charAt(i++)) != '"'; ) {
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n':
              b.append('\n');
              break;
            case 't':
              b.append('\t');
              break;
            case 'u':
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
              break;
            default:
              b.append(e); // \" \\ \/
          }
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }

    private void expect(char c) {
      if (s.charAt(i) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i);
      }
      i++;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
