/**
 * gilpatterns' primitives: an {@link io.github.gilpatterns.owner.Owner} thread that owns a state
 * and the {@link io.github.gilpatterns.owner.SerialExecutor} under it, Python's joinable
 * {@link io.github.gilpatterns.queue.JoinableQueue}, the join helpers
 * {@link io.github.gilpatterns.join.Threads} and {@link io.github.gilpatterns.join.TaskGroup},
 * and an emulated CPython {@link io.github.gilpatterns.gil.Gil}.
 *
 * <p>Guava is the one runtime dependency ({@code ListenableFuture} appears in the API, so it is
 * required transitively). {@code jdk.jfr}, part of the JDK, is required for the Flight Recorder
 * events the primitives commit and for reading a recording back in {@code GilLoad}. The JSpecify and Error Prone annotations are needed only to compile.
 */
module io.github.gilpatterns.core {
  requires transitive com.google.common;
  requires static transitive org.jspecify;
  requires static com.google.errorprone.annotations;
  requires jdk.jfr;

  exports io.github.gilpatterns.gil;
  exports io.github.gilpatterns.join;
  exports io.github.gilpatterns.owner;
  exports io.github.gilpatterns.queue;
  // Flight Recorder events: read in recordings by name, never used as types.
  exports io.github.gilpatterns.jfr to jdk.jfr;
}
