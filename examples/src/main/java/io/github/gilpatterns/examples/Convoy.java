package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The convoy effect of bpo-7946 on the emulated GIL: an I/O-bound thread pair making one-byte
 * round trips through a connected pair of Unix domain stream sockets (what CPython's
 * {@code socket.socketpair()} makes), each blocking call inside {@link Gil#releasing}, beside CPU-bound
 * threads that spin with a checkpoint per loop, all under one GIL as Python threads are. Each
 * round trip drops the GIL twice; a CPU-bound thread that takes it then keeps it for a whole
 * switch interval, so the I/O pair's rate collapses.
 */
final class Convoy {
  private Convoy() {}

  /**
   * Round trips per second of the I/O pair beside {@code cpuThreads} CPU-bound threads, under a
   * GIL with {@code ioPriority}: Beazley's proposed fix for the convoy
   * ({@link Gil.Builder#ioPriority(boolean)}) when true.
   */
  static double roundTripsPerSecond(double seconds, int cpuThreads, boolean ioPriority) throws Exception {
    return run(seconds, cpuThreads, ioPriority).roundTripsPerSecond();
  }

  /**
   * A round trip slower than this waited for a CPU-bound thread to give the GIL back (a switch
   * interval is 5 ms); an unhindered one takes some microseconds. The CPython script uses the
   * same bound.
   */
  static final long SLOW_ROUND_TRIP_NANOS = 1_000_000;

  /**
   * One run's figures: round trips per second, and the share of round trips slower than
   * {@link #SLOW_ROUND_TRIP_NANOS}. Each hand-off of the GIL between the I/O threads is a race
   * between the peer coming back from its blocking call and the CPU-bound waiter the drop
   * signalled; the share is how often the waiter won somewhere in the round trip, and it sets
   * the rate.
   */
  record Result(double roundTripsPerSecond, double slowShare) {}

  /** Runs the convoy for {@code seconds} beside {@code cpuThreads} CPU-bound threads. */
  static Result run(double seconds, int cpuThreads, boolean ioPriority) throws Exception {
    Gil gil = Gil.builder().ioPriority(ioPriority).build();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    Result result;
    SocketPair sockets = new SocketPair();
    boolean clean = false;
    try {
      gil.acquire();
      try {
        for (int i = 0; i < cpuThreads; i++) {
          threads.add(Threads.start("spin-" + i, guarded(failure, () -> gil.holding(() -> {
            long x = 0;
            while (!stop.get()) {
              x++;
              Gil.checkpoint();
            }
            return x;
          }))));
        }
        threads.add(Threads.start("echo", guarded(failure, () -> gil.holding(() -> {
          ByteBuffer buf = ByteBuffer.allocate(1);
          while (true) {
            buf.clear();
            gil.releasing(() -> sockets.echo.read(buf));
            if (buf.get(0) == 'q') {
              return null;
            }
            buf.flip();
            gil.releasing(() -> sockets.echo.write(buf));
            Gil.checkpoint();
          }
        }))));
        ByteBuffer out = ByteBuffer.allocate(1);
        ByteBuffer in = ByteBuffer.allocate(1);
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (seconds * 1e9);
        long roundTrips = 0;
        long slow = 0;
        long last = t0;
        long now;
        do {
          out.clear();
          out.put((byte) 'x').flip();
          gil.releasing(() -> sockets.main.write(out));
          in.clear();
          gil.releasing(() -> sockets.main.read(in));
          Gil.checkpoint();
          roundTrips++;
          now = System.nanoTime();
          if (now - last > SLOW_ROUND_TRIP_NANOS) {
            slow++;
          }
          last = now;
        } while (now - deadline < 0);
        result = new Result(roundTrips / ((now - t0) / 1e9), slow / (double) roundTrips);
        stop.set(true);
        out.clear();
        out.put((byte) 'q').flip();
        gil.releasing(() -> sockets.main.write(out));
      } finally {
        stop.set(true);
        gil.release();
      }
      clean = true;
    } finally {
      if (!clean) {
        sockets.close(); // unblocks the echo thread, which never got its 'q'
      }
      Threads.joinAll(threads);
      if (clean) {
        sockets.close();
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("a convoy thread failed", t);
    }
    return result;
  }

  /** A block a convoy thread runs. */
  @FunctionalInterface
  private interface Body {
    Object run() throws Exception;
  }

  private static Runnable guarded(AtomicReference<Throwable> failure, Body body) {
    return () -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception | Error e) {
        failure.compareAndSet(null, e);
      }
    };
  }

  /**
   * Two connected Unix domain stream sockets, as {@code socket.socketpair()} makes on Linux:
   * {@code main}'s writes are {@code echo}'s reads, and back. The listening socket and its file
   * are gone once the pair is connected; closing the pair closes both ends.
   */
  private static final class SocketPair implements AutoCloseable {
    final SocketChannel main;
    final SocketChannel echo;

    SocketPair() throws IOException {
      Path dir = Files.createTempDirectory("gilpatterns-convoy");
      Path file = dir.resolve("s");
      SocketChannel connected = null;
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(file));
        connected = SocketChannel.open(UnixDomainSocketAddress.of(file));
        echo = server.accept();
      } catch (IOException | RuntimeException e) {
        if (connected != null) {
          connected.close();
        }
        throw e;
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
      main = connected;
    }

    @Override
    public void close() throws IOException {
      try {
        main.close();
      } finally {
        echo.close();
      }
    }
  }
}
