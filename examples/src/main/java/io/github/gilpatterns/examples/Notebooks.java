package io.github.gilpatterns.examples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The five notebooks, in order, then the lesson past them. */
final class Notebooks {
  private Notebooks() {}

  static List<Notebook> all() {
    return List.of(new Notebook000ThreadsCanHurt(), new Notebook001WayOneThreads(),
        new Notebook002ThreadsOnOneCore(), new Notebook003OvercomingThreads(),
        new Notebook004ThreadingModule(), new Lesson005VirtualThreads());
  }

  /**
   * Finds a notebook by number ({@code 000}, {@code 0}, {@code 3}), by the start of its title
   * with words joined by hyphens, number first or not ({@code way-one}, {@code 003-overcoming}),
   * or by class name, case-insensitively.
   */
  static Optional<Notebook> find(String key) {
    String k = key.toLowerCase(Locale.ROOT).trim();
    for (Notebook nb : all()) {
      String cls = nb.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      String kind = nb.kind().toLowerCase(Locale.ROOT);
      boolean number = k.matches("\\d{1,3}") && Integer.parseInt(k) == Integer.parseInt(nb.id());
      if (number || k.equals(nb.id()) || slug(nb.title()).startsWith(k)
          || (nb.id() + "-" + slug(nb.title())).startsWith(k)
          || cls.equals(k) || cls.equals(kind + k)) {
        return Optional.of(nb);
      }
    }
    return Optional.empty();
  }

  private static String slug(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
