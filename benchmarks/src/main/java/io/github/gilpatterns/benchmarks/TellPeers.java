package io.github.gilpatterns.benchmarks;

import com.google.common.util.concurrent.MoreExecutors;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.gilpatterns.benchmarks.OwnerTellBenchmark.Counter;
import io.github.gilpatterns.benchmarks.OwnerTellBenchmark.Variant;
import io.github.gilpatterns.owner.SerialExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.Patterns;

/**
 * The peers of {@link OwnerTellBenchmark}: the single-consumer designs a user choosing an owner
 * thread also looks at, each written the way its own documentation and users write it, behind
 * the benchmark's {@link Variant} (same backlog, same published count, same teardown check).
 *
 * <ul>
 *   <li>{@code pekkoClassic}, {@code pekkoTyped}: an Apache Pekko actor that counts, sent a
 *       singleton {@code Increment} message with classic {@code ActorRef.tell(msg, noSender())}
 *       or typed {@code ActorRef.tell(msg)}, in an {@code ActorSystem} with the default
 *       configuration (the default fork-join dispatcher, throughput 5, the default unbounded
 *       mailbox);
 *   <li>{@code pekkoClassicTuned}, {@code pekkoTypedTuned}: the same actor tuned as Pekko's
 *       dispatcher and mailbox documentation advises for a hot single actor: a
 *       {@code PinnedDispatcher} (a thread of its own), {@code throughput = 1000} and
 *       {@code SingleConsumerOnlyUnboundedMailbox} (see {@link #TUNED});
 *   <li>{@code sequentialExecutor}: Guava's {@code MoreExecutors.newSequentialExecutor} over
 *       {@code Executors.newSingleThreadExecutor()};
 *   <li>{@code serialExecutor}: gilpatterns' own {@link SerialExecutor} (the owner's mailbox and
 *       run loop as an {@code ExecutorService});
 *   <li>{@code disruptorBlocking}, {@code disruptorYielding}: an LMAX Disruptor 4 with
 *       {@code ProducerType.MULTI}, preallocated events that carry the message, one
 *       {@code EventHandler}, producers {@code publishEvent} through a translator, with
 *       {@code BlockingWaitStrategy} (the default: the handler parks on a lock) or
 *       {@code YieldingWaitStrategy} (the handler spins, then yields, never parks);
 *   <li>{@code agronaSpin}, {@code agronaPark}: Agrona's {@code ManyToOneConcurrentArrayQueue}
 *       drained by an {@code Agent} on an {@code AgentRunner}, idling with
 *       {@code BusySpinIdleStrategy} (spins, never parks) or {@code BackoffIdleStrategy}
 *       (spins, yields, then parks for up to 1 ms).
 * </ul>
 *
 * <p>The bounded rings (Disruptor, Agrona) hold 131,072 messages, more than the backlog lets
 * the producers get ahead, so the backlog bounds them as it bounds the unbounded mailboxes
 * and their producers never wait on a full ring. The Disruptor's own throughput tests use
 * rings of 65,536.
 */
final class TellPeers {
  private TellPeers() {}

  /** Slots of the Disruptor's and Agrona's rings; see the class documentation. */
  static final int RING = 1 << 17;

  /** A consumer that does not stop within this time has failed. */
  static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  /**
   * Pekko tuned for one hot actor: a dispatcher that gives the actor a thread of its own and
   * lets it process up to 1000 messages before it yields that thread, and the mailbox Pekko
   * documents as the fastest when one actor consumes it. Parsed in code so that the shaded jar
   * needs no configuration file.
   */
  static final String TUNED = String.join("\n",
      "counter-dispatcher {",
      "  type = PinnedDispatcher",
      "  executor = \"thread-pool-executor\"",
      "  throughput = 1000",
      "}",
      "counter-mailbox {",
      "  mailbox-type = \"org.apache.pekko.dispatch.SingleConsumerOnlyUnboundedMailbox\"",
      "}");

  /**
   * Returns the peer a variant names, or {@code null} if it names none.
   *
   * @param name the variant's name
   * @return the variant, started
   */
  static Variant of(String name) {
    switch (name) {
      case "pekkoClassic":
        return new PekkoClassicVariant(false);
      case "pekkoClassicTuned":
        return new PekkoClassicVariant(true);
      case "pekkoTyped":
        return new PekkoTypedVariant(false);
      case "pekkoTypedTuned":
        return new PekkoTypedVariant(true);
      case "sequentialExecutor":
        return new SequentialExecutorVariant();
      case "serialExecutor":
        return new SerialExecutorVariant();
      case "disruptorBlocking":
        return new DisruptorVariant(new BlockingWaitStrategy());
      case "disruptorYielding":
        return new DisruptorVariant(new YieldingWaitStrategy());
      case "agronaSpin":
        return new AgronaVariant(new BusySpinIdleStrategy());
      case "agronaPark":
        return new AgronaVariant(new BackoffIdleStrategy());
      default:
        return null;
    }
  }

  /**
   * The configuration of a variant's actor system: Pekko's defaults, or {@link #TUNED} on top.
   *
   * @param tuned whether to add the tuned dispatcher and mailbox
   * @return the configuration
   */
  static Config config(boolean tuned) {
    Config defaults = ConfigFactory.load();
    return tuned ? ConfigFactory.parseString(TUNED).withFallback(defaults) : defaults;
  }

  /**
   * Waits for an actor system to terminate.
   *
   * @param terminated the system's {@code getWhenTerminated()}
   * @throws Exception if it does not terminate in time
   */
  static void awaitTerminated(java.util.concurrent.CompletionStage<?> terminated)
      throws Exception {
    terminated.toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A factory of daemon threads with one name.
   *
   * @param name the threads' name
   * @return the factory
   */
  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The message the actors count: a singleton, as Pekko's own examples write one. */
  enum Increment { INSTANCE }

  /** Asks a classic actor for its count. */
  enum GetCount { INSTANCE }

  /** A classic Pekko actor that counts {@link Increment}s and answers {@link GetCount}. */
  static final class ClassicCounter extends AbstractActor {
    private final Counter counter = new Counter();
    private final PublishedCount published;

    ClassicCounter(PublishedCount published) {
      this.published = published;
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(Increment.class, m -> published.publish(++counter.count))
          .match(GetCount.class, m -> getSender().tell(counter.count, getSelf()))
          .build();
    }
  }

  /** Classic actors: {@code actor.tell(Increment.INSTANCE, ActorRef.noSender())}. */
  static final class PekkoClassicVariant extends Variant {
    private final PublishedCount published = new PublishedCount();
    private final ActorSystem system;
    private final ActorRef actor;

    PekkoClassicVariant(boolean tuned) {
      system = ActorSystem.create("counter", config(tuned));
      Props props = Props.create(ClassicCounter.class, () -> new ClassicCounter(published));
      if (tuned) {
        props = props.withDispatcher("counter-dispatcher").withMailbox("counter-mailbox");
      }
      actor = system.actorOf(props, "counter");
    }

    @Override
    void send() {
      actor.tell(Increment.INSTANCE, ActorRef.noSender());
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws Exception {
      // The answer comes after every increment sent before it: the mailbox is FIFO.
      long count = (Long) Patterns.ask(actor, GetCount.INSTANCE, STOP_TIMEOUT)
          .toCompletableFuture().get();
      system.terminate();
      awaitTerminated(system.getWhenTerminated());
      return count;
    }
  }

  /** The typed actor's protocol. */
  interface Command {}

  /** The typed increment: a singleton. */
  enum TypedIncrement implements Command { INSTANCE }

  /**
   * Asks a typed actor for its count.
   *
   * @param replyTo where to send the count
   */
  record TypedGetCount(org.apache.pekko.actor.typed.ActorRef<Long> replyTo) implements Command {}

  /** A typed Pekko actor that counts, as Pekko's {@code AbstractBehavior} examples write one. */
  static final class TypedCounter extends AbstractBehavior<Command> {
    private final Counter counter = new Counter();
    private final PublishedCount published;

    TypedCounter(ActorContext<Command> context, PublishedCount published) {
      super(context);
      this.published = published;
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(TypedIncrement.class, m -> {
            published.publish(++counter.count);
            return this;
          })
          .onMessage(TypedGetCount.class, m -> {
            m.replyTo().tell(counter.count);
            return this;
          })
          .build();
    }
  }

  /**
   * A typed actor system whose guardian has spawned one {@link TypedCounter}.
   *
   * @param system the system, to terminate
   * @param counter the counter actor
   */
  record TypedCounterSystem(
      org.apache.pekko.actor.typed.ActorSystem<Void> system,
      org.apache.pekko.actor.typed.ActorRef<Command> counter) {

    /**
     * Starts the system and waits for the guardian to spawn the counter, as typed Pekko's
     * guides do it: {@code Behaviors.setup} and {@code context.spawn}.
     *
     * @param tuned whether the counter runs on the tuned dispatcher and mailbox
     * @param published the count the counter publishes
     * @return the started system
     */
    static TypedCounterSystem start(boolean tuned, PublishedCount published) {
      CompletableFuture<org.apache.pekko.actor.typed.ActorRef<Command>> spawned =
          new CompletableFuture<>();
      org.apache.pekko.actor.typed.Props props = tuned
          ? DispatcherSelector.fromConfig("counter-dispatcher")
              .withMailboxFromConfig("counter-mailbox")
          : org.apache.pekko.actor.typed.Props.empty();
      Behavior<Command> counter = Behaviors.setup(c -> new TypedCounter(c, published));
      Behavior<Void> guardian = Behaviors.setup(context -> {
        spawned.complete(context.spawn(counter, "counter", props));
        return Behaviors.empty();
      });
      org.apache.pekko.actor.typed.ActorSystem<Void> system =
          org.apache.pekko.actor.typed.ActorSystem.create(guardian, "counter", config(tuned));
      try {
        return new TypedCounterSystem(
            system, spawned.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      } catch (Exception e) {
        system.terminate();
        throw new IllegalStateException("the counter actor did not start", e);
      }
    }

    /**
     * Terminates the system and waits until it has.
     *
     * @throws Exception if it does not terminate in time
     */
    void terminate() throws Exception {
      system.terminate();
      awaitTerminated(system.getWhenTerminated());
    }
  }

  /** Typed actors: the guardian spawns the counter; producers {@code tell} its reference. */
  static final class PekkoTypedVariant extends Variant {
    private final PublishedCount published = new PublishedCount();
    private final TypedCounterSystem pekko;
    private final org.apache.pekko.actor.typed.ActorRef<Command> actor;

    PekkoTypedVariant(boolean tuned) {
      pekko = TypedCounterSystem.start(tuned, published);
      actor = pekko.counter();
    }

    @Override
    void send() {
      actor.tell(TypedIncrement.INSTANCE);
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws Exception {
      long count = AskPattern.<Command, Long>ask(
              actor, TypedGetCount::new, STOP_TIMEOUT, pekko.system().scheduler())
          .toCompletableFuture().get();
      pekko.terminate();
      return count;
    }
  }

  /**
   * Guava's {@code MoreExecutors.newSequentialExecutor(singleThreadExecutor)}; the task counts
   * and publishes the count, as the single-thread executor's task does.
   */
  static final class SequentialExecutorVariant extends Variant {
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private final Runnable increment = () -> published.publish(++counter.count);
    private final ExecutorService thread =
        Executors.newSingleThreadExecutor(daemon("counter-sequential"));
    private final Executor sequential = MoreExecutors.newSequentialExecutor(thread);

    @Override
    void send() {
      sequential.execute(increment);
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws InterruptedException {
      CountDownLatch drained = new CountDownLatch(1);
      sequential.execute(drained::countDown); // runs after every increment sent before it
      if (!drained.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the sequential executor did not drain");
      }
      thread.shutdown();
      if (!thread.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("executor did not terminate");
      }
      return counter.count;
    }
  }

  /** gilpatterns' {@link SerialExecutor}, which publishes its own processed count. */
  static final class SerialExecutorVariant extends Variant {
    private final Counter counter = new Counter();
    private final Runnable increment = () -> counter.count++;
    private final SerialExecutor serial =
        SerialExecutor.builder().name("counter-serial").daemon(true).start();

    @Override
    void send() {
      serial.execute(increment);
    }

    @Override
    long processed() {
      return serial.processed();
    }

    @Override
    long close() {
      serial.close();
      return counter.count;
    }
  }

  /** A Disruptor event: a preallocated slot that carries one message. */
  static final class MessageEvent {
    Consumer<Counter> message;
  }

  private static final EventTranslatorOneArg<MessageEvent, Consumer<Counter>> SET_MESSAGE =
      (event, sequence, message) -> event.message = message;

  /** The LMAX Disruptor, multi-producer, one handler. */
  static final class DisruptorVariant extends Variant {
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private final Disruptor<MessageEvent> disruptor;
    private final RingBuffer<MessageEvent> ring;

    DisruptorVariant(WaitStrategy wait) {
      disruptor = new Disruptor<>(
          MessageEvent::new, RING, daemon("counter-disruptor"), ProducerType.MULTI, wait);
      disruptor.handleEventsWith((event, sequence, endOfBatch) -> {
        event.message.accept(counter);
        published.publish(counter.count);
      });
      ring = disruptor.start();
    }

    @Override
    void send() {
      ring.publishEvent(SET_MESSAGE, OwnerTellBenchmark.INCREMENT);
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws Exception {
      // Waits until the handler has processed every published event, then halts it.
      disruptor.shutdown(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return counter.count;
    }
  }

  /** Agrona's MPSC queue drained by an agent, idling with the given strategy. */
  static final class AgronaVariant extends Variant implements Agent {
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private final ManyToOneConcurrentArrayQueue<Consumer<Counter>> queue =
        new ManyToOneConcurrentArrayQueue<>(RING);
    private final Consumer<Consumer<Counter>> handler = m -> {
      m.accept(counter);
      published.publish(counter.count);
    };
    private final AgentRunner runner;

    AgronaVariant(IdleStrategy idle) {
      runner = new AgentRunner(idle, Throwable::printStackTrace, null, this);
      AgentRunner.startOnThread(runner, daemon("counter-agent"));
    }

    @Override
    public int doWork() {
      return queue.drain(handler);
    }

    @Override
    public void onClose() {
      // Runs on the agent's thread after its last doWork(); the producers have stopped.
      while (queue.drain(handler) > 0) {
        Thread.onSpinWait();
      }
    }

    @Override
    public String roleName() {
      return "counter";
    }

    @Override
    void send() {
      while (!queue.offer(OwnerTellBenchmark.INCREMENT)) {
        Thread.onSpinWait(); // never here: the ring is deeper than the backlog
      }
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() {
      runner.close();
      return counter.count;
    }
  }
}
