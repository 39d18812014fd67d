package io.github.gilpatterns.examples;

/** One seed notebook re-run in Java: its cells in order, figures, lesson. */
interface Notebook {
  /** The notebook's number, such as {@code "000"}. */
  String id();

  /** A short title. */
  String title();

  /** The seed file under {@code ../shared/seeds/}. */
  String seed();

  /** Walks the notebook's cells, printing to the session. */
  void run(Session session) throws Exception;
}
