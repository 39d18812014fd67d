package io.github.gilpatterns.examples;

/** One Python notebook re-run in Java: its cells in order, figures, lesson. */
interface Notebook {
  /** The notebook's number, such as {@code "000"}. */
  String id();

  /** A short title. */
  String title();

  /** Where the notebook comes from, for a reader who wants the original. */
  String source();

  /** Walks the notebook's cells, printing to the session. */
  void run(Session session) throws Exception;
}
