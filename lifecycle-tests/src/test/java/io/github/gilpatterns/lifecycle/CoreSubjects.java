package io.github.gilpatterns.lifecycle;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import io.github.gilpatterns.join.TaskGroup;
import io.github.gilpatterns.owner.Owner;
import io.github.gilpatterns.owner.SerialExecutor;
import io.github.gilpatterns.queue.JoinableQueue;
import io.github.gilpatterns.queue.QueueShutdownException;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import io.github.gilpatterns.testing.ThreadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;

/** The subjects of core's thread-owning types, each on threads of {@link ThreadMode}'s kind. */
final class CoreSubjects {

  private CoreSubjects() {}

  /** Work that is a number: what {@code shutdownNow()} hands back is recognised by it. */
  interface Numbered {
    int id();
  }

  /** Numbered work as a Runnable, a Callable and a Consumer of any state. */
  static final class Work implements Runnable, Callable<Integer>, Consumer<Object>, Numbered {
    private final int id;
    private final Subject<?> subject;

    Work(int id, Subject<?> subject) {
      this.id = id;
      this.subject = subject;
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public void run() {
      subject.record(id);
    }

    @Override
    public Integer call() {
      run();
      return id;
    }

    @Override
    public void accept(Object state) {
      run();
    }

    @Override
    public String toString() {
      return "work " + id;
    }
  }

  static List<Integer> ids(List<?> handedBack) {
    List<Integer> ids = new ArrayList<>();
    for (Object w : handedBack) {
      if (w instanceof Numbered) {
        ids.add(((Numbered) w).id());
      }
    }
    return ids;
  }

  static List<Named<Supplier<Subject<?>>>> all() {
    return List.of(Named.of("Owner", CoreSubjects::owner),
        Named.of("SerialExecutor", CoreSubjects::serialExecutor),
        Named.of("GilExecutor", CoreSubjects::gilExecutor),
        Named.of("TaskGroup", CoreSubjects::taskGroup),
        Named.of("JoinableQueue", CoreSubjects::joinableQueue));
  }

  static Subject<?> owner() {
    RecordingThreadFactory threads = new RecordingThreadFactory("owner");
    Owner<int[]> owner = Owner.builder(new int[1]).name("contract-owner").threadFactory(threads)
        .start();
    return new Subject<Consumer<? super int[]>>(threads, owner) {
      @Override
      protected void submit(int id) {
        owner.tell(new Work(id, this));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        owner.tell(state -> code.run());
      }

      @Override
      protected List<Integer> ids(List<Consumer<? super int[]>> handedBack) {
        return CoreSubjects.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-owner";
      }
    };
  }

  static Subject<?> serialExecutor() {
    RecordingThreadFactory threads = new RecordingThreadFactory("serial");
    SerialExecutor executor = SerialExecutor.builder().name("contract-serial")
        .threadFactory(threads).start();
    return new Subject<Runnable>(threads, executor) {
      @Override
      protected void submit(int id) {
        executor.execute(new Work(id, this));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        executor.execute(code);
      }

      @Override
      protected List<Integer> ids(List<Runnable> handedBack) {
        return CoreSubjects.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-serial";
      }
    };
  }

  static Subject<?> gilExecutor() {
    RecordingThreadFactory threads = new RecordingThreadFactory("gil");
    GilExecutor executor = GilExecutor.builder().name("contract-gil").gil(Gil.create())
        .maxWorkers(2).threadFactory(threads).build();
    return new Subject<Runnable>(threads, executor) {
      @Override
      protected void submit(int id) {
        executor.execute(new Work(id, this));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        // The GIL is held by a task that waits; a held task drops it, so that the other worker
        // can take its own task and wait too.
        executor.execute(() -> Gil.current().orElseThrow().releasing(code));
      }

      @Override
      protected List<Integer> ids(List<Runnable> handedBack) {
        return CoreSubjects.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-gil";
      }

      @Override
      protected int threadCount() {
        return 2;
      }

      @Override
      protected boolean ordered() {
        return false; // GilExecutor.shutdownNow(): "in no particular order"
      }
    };
  }

  static Subject<?> taskGroup() {
    RecordingThreadFactory threads = new RecordingThreadFactory("group");
    TaskGroup group = TaskGroup.builder().name("contract-group").threadFactory(threads).build();
    return new Subject<Callable<?>>(threads, group) {
      @Override
      protected void submit(int id) {
        group.fork(new Work(id, this));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        group.fork(() -> {
          code.run();
          return null;
        });
      }

      @Override
      protected List<Integer> ids(List<Callable<?>> handedBack) {
        return CoreSubjects.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-group";
      }

      @Override
      protected boolean holdsWork() {
        return false; // every fork starts a thread of its own
      }

      @Override
      protected Class<? extends RuntimeException> refusal() {
        return IllegalStateException.class; // a scope, not an executor
      }
    };
  }

  /**
   * A queue and one consumer thread of the test's, which runs each element and reports it done:
   * the queue has no threads of its own, so the consumer stands in for the caller's.
   */
  static Subject<?> joinableQueue() {
    RecordingThreadFactory threads = new RecordingThreadFactory("consumer");
    JoinableQueue<Runnable> queue = JoinableQueue.builder().name("contract-queue").build();
    threads.newThread(() -> {
      try {
        while (true) {
          Runnable element = queue.take();
          try {
            element.run();
          } finally {
            queue.taskDone();
          }
        }
      } catch (QueueShutdownException | InterruptedException end) {
        // shut down and drained: the consumer's work is over
      }
    }).start();
    return new Subject<Runnable>(threads, queue) {
      @Override
      protected void submit(int id) {
        queue.add(new Work(id, this));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        queue.add(code);
      }

      @Override
      protected List<Integer> ids(List<Runnable> handedBack) {
        return CoreSubjects.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-queue";
      }

      @Override
      protected boolean ownsThreads() {
        return false;
      }

      @Override
      protected Class<? extends RuntimeException> refusal() {
        return QueueShutdownException.class;
      }
    };
  }
}
