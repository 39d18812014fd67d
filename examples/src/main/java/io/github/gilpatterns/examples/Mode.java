package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;

/** The three ways to run Python-like threads that the notebooks talk about. */
enum Mode {
  /** One shared emulated GIL, as CPython 3.11 runs threads. */
  GIL("GIL", "Gil.create(), CPython's GIL", 'G'),
  /** No GIL at all, as {@code python3.13t} (PEP 703). */
  FREE_THREADED("free-threaded", "Gil.freeThreaded(), python3.13t (PEP 703)", 'F'),
  /** One GIL per worker, as {@code multiprocessing} or 3.14's InterpreterPoolExecutor. */
  PER_INTERPRETER("per-interpreter", "GilExecutor.perInterpreter(k), the multiprocessing advice (PEP 684)", 'P');

  final String label;
  final String description;
  final char marker;

  Mode(String label, String description, char marker) {
    this.label = label;
    this.description = description;
    this.marker = marker;
  }

  /** Returns a new pool of {@code k} Python-style threads running in this mode. */
  GilExecutor executor(int k) {
    switch (this) {
      case GIL:
        return GilExecutor.create(Gil.create(), k);
      case FREE_THREADED:
        return GilExecutor.create(Gil.freeThreaded(), k);
      default:
        return GilExecutor.perInterpreter(k);
    }
  }
}
