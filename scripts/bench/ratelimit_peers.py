"""The Python side of scripts/bench/ratelimit-peers: the same work as the Swift timing loops.

`limits` with its in-memory storage, 100/minute, moving-window and fixed-window strategies: hits on
one hot key, then hits spread over many keys (`user:0` ... `user:N-1`, the same fixed permutation
the Swift side visits), first touch and then keys already tracked. Prints
`name ns_per_op allowed_fraction`, the median of several rounds.

Usage: ratelimit_peers.py [key-count]   (default 100000; the Swift side must use the same)
"""
import statistics
import sys
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter


def measure(rounds, operations, body):
    samples = []
    allowed = 0
    for _ in range(rounds):
        start = time.perf_counter_ns()
        allowed += body()
        samples.append((time.perf_counter_ns() - start) / operations)
    return statistics.median(samples), allowed / (rounds * operations)


def report(name, result):
    ns, allowed = result
    print(f"{name} {ns:.1f} {allowed:.4f}", flush=True)


def main():
    key_count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    hot_iterations = 200_000
    hot_rounds = 5
    key_rounds = 5  # after the first-touch pass; 1 + 5 hits per key stay under 100/minute

    item = RateLimitItemPerMinute(100)
    keys = [f"user:{(i * 7919) % key_count}" for i in range(key_count)]

    for label, strategy in (("moving_window", MovingWindowRateLimiter), ("fixed_window", FixedWindowRateLimiter)):
        storage = MemoryStorage()
        hot = strategy(storage)

        def hot_loop():
            hit = hot.hit
            allowed = 0
            for _ in range(hot_iterations):
                if hit(item, "user:42"):
                    allowed += 1
            return allowed

        report(f"hot_key_{label}", measure(hot_rounds, hot_iterations, hot_loop))

        storage = MemoryStorage()
        spread = strategy(storage)

        def keys_loop():
            hit = spread.hit
            allowed = 0
            for key in keys:
                if hit(item, key):
                    allowed += 1
            return allowed

        report(f"keys_first_touch_{label}", measure(1, key_count, keys_loop))
        report(f"keys_tracked_{label}", measure(key_rounds, key_count, keys_loop))


if __name__ == "__main__":
    main()
