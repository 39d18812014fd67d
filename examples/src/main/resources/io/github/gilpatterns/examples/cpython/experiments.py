# The experiments that `gilpatterns-examples compare` runs on CPython, one sample per call, so
# that CPython's samples can alternate with the emulated GIL's in the same sitting. Standard
# library only; runs on CPython 3.6 and later. Each call prints one line:
#   RESULT key=value key=value ...
#
# usage: python3 experiments.py [--repeat R] EXPERIMENT ARGS...
#   --repeat R           R samples in one process; each figure printed is the median of its R
#   info                 the interpreter: version, implementation, switch interval
#   fib N K              K threads each computing fib(N), wall time / one sequential fib(N) run,
#                        the mean of one just before and one just after (a GIL gives K)
#   start N K            notebook 000's runthreads(K, N) timed as the notebook times it: only the
#                        start() calls, the main thread holding the GIL while earlier threads compute
#   convoy SECONDS K     the convoy effect (bpo-7946): one-byte socket round trips per second of an
#                        I/O thread pair beside K CPU-bound threads, for SECONDS, and the share of
#                        them slower than 1 ms (those that waited for a CPU-bound thread)
#   sleep SECONDS        two threads each sleeping SECONDS / one thread sleeping SECONDS
#   select SECONDS       the same with a blocking select.select([], [], [], SECONDS), a system call
#                        that releases the GIL as any blocking I/O does
#   counter N            Raymond Hettinger's counter manager fed by queue.Queue: N increments put
#                        from 4 threads, increments per second until join() returns
#   read PATH MODE R     notebook 003's open_emails(): the median of R timed reads of PATH by two
#                        threads at once / the median of R timed reads by one thread; MODE is "r"
#                        (text: decoding holds the GIL) or "rb" (binary)
import platform, queue, select, socket, statistics, sys, threading, time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def on_threads(k, target, args=()):
    ts = [threading.Thread(target=target, args=args) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def exp_info():
    return {"version": platform.python_version(), "implementation": platform.python_implementation(),
            "switchinterval": sys.getswitchinterval(),
            "gil": 0 if getattr(sys, "_is_gil_enabled", lambda: True)() is False else 1}


def exp_fib(n, k):
    n, k = int(n), int(k)
    before = timed(lambda: fib(n))
    wall = timed(lambda: on_threads(k, fib, (n,)))
    base = (before + timed(lambda: fib(n))) / 2
    return {"ratio": wall / base, "base_s": base, "wall_s": wall}


def exp_start(n, k):
    n, k = int(n), int(k)
    t0 = time.perf_counter()
    ts = [threading.Thread(target=fib, args=(n,)) for _ in range(k)]
    for t in ts:
        t.start()
    started = time.perf_counter() - t0
    for t in ts:
        t.join()
    return {"start_s": started, "join_s": time.perf_counter() - t0}


# A round trip slower than this waited for a CPU-bound thread to give the GIL back (a switch
# interval is 5 ms); an unhindered one takes some microseconds.
SLOW_ROUND_TRIP_S = 0.001


def exp_convoy(seconds, k):
    seconds, k = float(seconds), int(k)
    a, b = socket.socketpair()
    stop = []

    def spin():
        x = 0
        while not stop:
            x += 1

    def echo():
        while True:
            d = b.recv(1)
            if not d or d == b"q":
                return
            b.sendall(d)

    cs = [threading.Thread(target=spin) for _ in range(k)]
    for c in cs:
        c.start()
    e = threading.Thread(target=echo)
    e.start()
    n, slow, t0 = 0, 0, time.perf_counter()
    last = t0
    while True:
        a.sendall(b"x")
        a.recv(1)
        n += 1
        now = time.perf_counter()
        if now - last > SLOW_ROUND_TRIP_S:
            slow += 1
        last = now
        dt = now - t0
        if dt >= seconds:
            break
    a.sendall(b"q")
    stop.append(True)
    for c in cs:
        c.join()
    e.join()
    a.close()
    b.close()
    return {"round_trips_per_s": n / dt, "slow_share": slow / n}


def exp_sleep(seconds):
    seconds = float(seconds)
    one = timed(lambda: time.sleep(seconds))
    two = timed(lambda: on_threads(2, time.sleep, (seconds,)))
    return {"ratio": two / one}


def exp_select(seconds):
    seconds = float(seconds)

    def blocked():
        select.select([], [], [], seconds)

    one = timed(blocked)
    two = timed(lambda: on_threads(2, blocked))
    return {"ratio": two / one}


def exp_counter(n):
    n = int(n)
    counter = [0]
    cq = queue.Queue()

    def counter_manager():
        while True:
            inc = cq.get()
            counter[0] += inc
            cq.task_done()

    threading.Thread(target=counter_manager, daemon=True).start()

    def worker(m):
        for _ in range(m):
            cq.put(1)

    s = time.perf_counter()
    on_threads(4, worker, (n // 4,))
    cq.join()
    dt = time.perf_counter() - s
    if counter[0] != n // 4 * 4:
        raise AssertionError("lost increments: %d" % counter[0])
    return {"increments_per_s": counter[0] / dt}


def exp_read(path, mode, reads):
    reads = int(reads)

    def open_emails():
        with open(path, mode) as f:
            return f.read()

    open_emails()  # the page cache, as the notebook's earlier cells left it
    one = [timed(open_emails) for _ in range(reads)]
    two = [timed(lambda: on_threads(2, open_emails)) for _ in range(reads)]
    return {"ratio": statistics.median(two) / statistics.median(one), "one_s": statistics.median(one),
            "two_s": statistics.median(two)}


if __name__ == "__main__":
    args = sys.argv[1:]
    repeats = 1
    if args[0] == "--repeat":  # R samples in this process; each figure is the median of its R
        repeats, args = int(args[1]), args[2:]
    results = [globals()["exp_" + args[0]](*args[1:]) for _ in range(repeats)]
    result = {key: statistics.median([r[key] for r in results]) if isinstance(results[0][key], float)
              else results[0][key] for key in results[0]}
    print("RESULT " + " ".join("%s=%s" % (key, value) for key, value in sorted(result.items())))
