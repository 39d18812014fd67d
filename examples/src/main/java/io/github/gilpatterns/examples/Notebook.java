package io.github.gilpatterns.examples;

/** One Python notebook re-run in Java (or a lesson past them): its cells in order, figures, lesson. */
interface Notebook {
  /** The notebook's number, such as {@code "000"}. */
  String id();

  /** A short title. */
  String title();

  /** Where the notebook comes from, for a reader who wants the original. */
  String source();

  /** What its banner calls it: {@code Notebook}, or {@code Lesson} for one past the notebooks. */
  default String kind() {
    return "Notebook";
  }

  /** Walks the notebook's cells, printing to the session. */
  void run(Session session) throws Exception;
}
