"""The Python side of scripts/bench/resilience-peers: the same work as the Swift timing loops.

A call through a closed pybreaker CircuitBreaker (fail_max 5, reset_timeout 60 s: Bulwark's
defaults), and a call through a tenacity retry wrapper (3 attempts, exponential wait) that does
not fail. Prints `name ns_per_op`, the median of several rounds.
"""
import statistics
import sys
import time

import pybreaker
import tenacity


def work(value):
    return value + 1


def measure(rounds, iterations, body):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        body(iterations)
        samples.append((time.perf_counter_ns() - start) / iterations)
    return statistics.median(samples)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rounds = 7

    breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)

    def breaker_loop(n):
        total = 0
        for i in range(n):
            total += breaker.call(work, i)
        return total

    retrying = tenacity.retry(
        stop=tenacity.stop_after_attempt(3),
        wait=tenacity.wait_exponential(multiplier=0.1, max=30),
        reraise=True,
    )(work)

    def retry_loop(n):
        total = 0
        for i in range(n):
            total += retrying(i)
        return total

    print(f"breaker_closed_success {measure(rounds, iterations, breaker_loop):.1f}")
    print(f"retry_no_failure {measure(rounds, iterations // 4, retry_loop):.1f}")


if __name__ == "__main__":
    main()
