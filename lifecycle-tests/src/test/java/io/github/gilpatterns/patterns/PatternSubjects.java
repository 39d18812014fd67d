package io.github.gilpatterns.patterns;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.gilpatterns.lifecycle.Subject;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Named;

/**
 * The subjects of the patterns, each on threads of the suites' kind. This class sits in the
 * patterns' package so that the subjects of the owner-backed patterns, which run no user code of
 * their own at will, can hold their thread or run code on it with a message to their owner; their
 * numbered work is their own (an increment, a print job, a transfer).
 */
public final class PatternSubjects {

  private PatternSubjects() {}

  /** Every pattern's subject, made fresh by each supplier. */
  public static List<Named<Supplier<Subject<?>>>> all() {
    return List.of(Named.of("CounterManager", PatternSubjects::counterManager),
        Named.of("KeyedCounterManager", PatternSubjects::keyedCounterManager),
        Named.of("PrintManager", PatternSubjects::printManager),
        Named.of("Bank", PatternSubjects::bank),
        Named.of("WorkerPool", PatternSubjects::workerPool),
        Named.of("Pipeline", PatternSubjects::pipeline));
  }

  /** Runs {@code code} on the owner thread of an owner-backed pattern. */
  private static void onOwnerThread(OwnerBacked<?, ?> pattern, Runnable code) {
    pattern.owner.tell(state -> code.run());
  }

  /**
   * Work {@code id} is an increment of {@code 2^id}; the callback, which sees every count in
   * order, records the one bit each count adds.
   */
  static Subject<?> counterManager() {
    RecordingThreadFactory threads = new RecordingThreadFactory("counter");
    AtomicReference<Subject<?>> subject = new AtomicReference<>();
    long[] previous = new long[1]; // the callback's own, on the counter's thread
    CounterManager counter = CounterManager.builder().name("contract-counter")
        .threadFactory(threads).onCount(count -> {
          long added = count ^ previous[0];
          previous[0] = count;
          if (added != 0L) {
            subject.get().record(Long.numberOfTrailingZeros(added));
          }
        }).start();
    subject.set(new Subject<Long>(threads, counter) {
      @Override
      protected void submit(int id) {
        counter.increment(1L << id);
      }

      @Override
      protected void onServiceThread(Runnable code) {
        onOwnerThread(counter, code);
      }

      @Override
      protected List<Integer> ids(List<Long> handedBack) {
        List<Integer> ids = new ArrayList<>();
        for (long delta : handedBack) {
          ids.add(Long.numberOfTrailingZeros(delta));
        }
        return ids;
      }

      @Override
      protected String name() {
        return "contract-counter";
      }
    });
    return subject.get();
  }

  /** Work {@code id} is an increment of key {@code id}; the counts say which ran. */
  static Subject<?> keyedCounterManager() {
    RecordingThreadFactory threads = new RecordingThreadFactory("keyed");
    KeyedCounterManager<Integer> counter = KeyedCounterManager.builder().name("contract-keyed")
        .threadFactory(threads).start();
    return new Subject<Map.Entry<Integer, Long>>(threads, counter) {
      @Override
      protected void submit(int id) {
        counter.increment(id);
      }

      @Override
      protected void onServiceThread(Runnable code) {
        onOwnerThread(counter, code);
      }

      @Override
      protected Set<Integer> ran() throws InterruptedException {
        return counter.counts().keySet();
      }

      @Override
      protected boolean recordsAsItRuns() {
        return false;
      }

      @Override
      protected List<Integer> ids(List<Map.Entry<Integer, Long>> handedBack) {
        List<Integer> ids = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : handedBack) {
          ids.add(e.getKey());
        }
        return ids;
      }

      @Override
      protected String name() {
        return "contract-keyed";
      }
    };
  }

  /** Work {@code id} is a print job whose one line is {@code id}; the output records it. */
  static Subject<?> printManager() {
    RecordingThreadFactory threads = new RecordingThreadFactory("printer");
    RecordingOutput out = new RecordingOutput();
    PrintManager printer = PrintManager.builder(out).name("contract-printer")
        .threadFactory(threads).start();
    Subject<String> subject = new Subject<String>(threads, printer) {
      @Override
      protected void submit(int id) {
        printer.print(Integer.toString(id));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        onOwnerThread(printer, code);
      }

      @Override
      protected List<Integer> ids(List<String> handedBack) {
        List<Integer> ids = new ArrayList<>();
        for (String text : handedBack) {
          ids.add(Integer.parseInt(text.strip()));
        }
        return ids;
      }

      @Override
      protected String name() {
        return "contract-printer";
      }
    };
    out.subject = subject;
    return subject;
  }

  /** The print manager's output: each job's text is the id of the work it is. */
  private static final class RecordingOutput implements Appendable {
    volatile Subject<?> subject;

    @Override
    public Appendable append(CharSequence text) {
      subject.record(Integer.parseInt(text.toString().strip()));
      return this;
    }

    @Override
    public Appendable append(CharSequence text, int start, int end) {
      return append(text.subSequence(start, end));
    }

    @Override
    public Appendable append(char c) {
      throw new UnsupportedOperationException("the print manager appends whole jobs");
    }
  }

  /** Work {@code id} is a transfer of {@code id + 1} from one account to the other. */
  static Subject<?> bank() {
    RecordingThreadFactory threads = new RecordingThreadFactory("bank");
    Map<String, Long> opening = new LinkedHashMap<>();
    opening.put("from", 1_000_000L);
    opening.put("to", 0L);
    Bank bank = Bank.builder(opening).name("contract-bank").threadFactory(threads).start();
    return new Subject<Bank.Transfer>(threads, bank) {
      @Override
      protected void submit(int id) {
        ListenableFuture<Boolean> applied = bank.transfer("from", "to", id + 1L);
        // Runs as the bank applies the transfer (or here, if it already has); a transfer that
        // shutdownNow() hands back is cancelled instead.
        applied.addListener(() -> {
          if (!applied.isCancelled()) {
            record(id);
          }
        }, MoreExecutors.directExecutor());
      }

      @Override
      protected void onServiceThread(Runnable code) {
        onOwnerThread((OwnedBank) bank, code);
      }

      @Override
      protected List<Integer> ids(List<Bank.Transfer> handedBack) {
        List<Integer> ids = new ArrayList<>();
        for (Bank.Transfer t : handedBack) {
          ids.add((int) t.amount() - 1);
        }
        return ids;
      }

      @Override
      protected String name() {
        return "contract-bank";
      }
    };
  }

  /** Work is a Runnable; one worker, so that a blocker holds the pool. */
  static Subject<?> workerPool() {
    RecordingThreadFactory threads = new RecordingThreadFactory("pool");
    WorkerPool<Runnable> pool = WorkerPool.<Runnable>builder(Runnable::run).name("contract-pool")
        .workers(1).threadFactory(threads).start();
    return new Subject<Runnable>(threads, pool) {
      @Override
      protected void submit(int id) {
        pool.submit(new Numbered(id, () -> record(id)));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        pool.submit(code);
      }

      @Override
      protected List<Integer> ids(List<Runnable> handedBack) {
        return Numbered.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-pool";
      }
    };
  }

  /** Work is a Runnable, run by the first stage; a blocker holds that stage. */
  static Subject<?> pipeline() {
    RecordingThreadFactory threads = new RecordingThreadFactory("pipeline");
    Pipeline<Runnable> pipeline = Pipeline.<Runnable>builder("contract-pipeline")
        .threadFactory(threads)
        .stage("run", (Runnable r) -> {
          r.run();
          return r;
        })
        .sink("done", r -> { });
    return new Subject<Runnable>(threads, pipeline) {
      @Override
      protected void submit(int id) {
        pipeline.submit(new Numbered(id, () -> record(id)));
      }

      @Override
      protected void onServiceThread(Runnable code) {
        pipeline.submit(code);
      }

      @Override
      protected List<Integer> ids(List<Runnable> handedBack) {
        return Numbered.ids(handedBack);
      }

      @Override
      protected String name() {
        return "contract-pipeline";
      }
    };
  }

  /** Numbered work as a Runnable. */
  private static final class Numbered implements Runnable {
    final int id;
    final Runnable body;

    Numbered(int id, Runnable body) {
      this.id = id;
      this.body = body;
    }

    @Override
    public void run() {
      body.run();
    }

    static List<Integer> ids(List<Runnable> handedBack) {
      List<Integer> ids = new ArrayList<>();
      for (Runnable r : handedBack) {
        if (r instanceof Numbered) {
          ids.add(((Numbered) r).id);
        }
      }
      return ids;
    }
  }
}
