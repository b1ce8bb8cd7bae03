"""structlog's side of scripts/bench/logging-peers: the same JSON access-style lines
(request_id, method, path, status, duration_ms, plus timestamp, level and logger name) written to
a file, configured the way structlog's documentation recommends for speed: a filtering bound
logger, cached on first use, add_log_level + TimeStamper(iso, utc) + JSONRenderer, and a
WriteLogger (or BytesLogger for orjson) on the file.

Usage: logging_peers.py LINES PATH [json|orjson]
PATH may be /dev/null (encoded and written, nothing kept).
Prints one line in the format of the Swift logging-bench, then a sample line (files only).
"""

import logging
import os
import sys
import time

import structlog


def configure(path, renderer):
    if renderer == "orjson":
        import orjson

        handle = open(path, "wb")
        factory = structlog.BytesLoggerFactory(file=handle)
        json_renderer = structlog.processors.JSONRenderer(serializer=orjson.dumps)
    else:
        handle = open(path, "w")
        factory = structlog.WriteLoggerFactory(file=handle)
        json_renderer = structlog.processors.JSONRenderer()
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            json_renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )
    return handle


def hex32(value):
    high = (value * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    return "%016x%016x" % (high, value)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    path = sys.argv[2] if len(sys.argv) > 2 else "/tmp/bulwark-logging-bench/structlog.log"
    renderer = sys.argv[3] if len(sys.argv) > 3 else "json"
    if path != "/dev/null":
        os.makedirs(os.path.dirname(path), exist_ok=True)
    handle = configure(path, renderer)
    log = structlog.get_logger().bind(logger="bench.access")
    request_ids = [hex32(i) for i in range(1024)]

    cpu_start = time.process_time()
    start = time.perf_counter()
    for index in range(count):
        log.info(
            "request",
            request_id=request_ids[index & 1023],
            method="GET",
            path="/api/orders/42",
            status=200,
            duration_ms=12.345,
        )
    handle.flush()
    handle.close()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    if path == "/dev/null":
        print(
            f"structlog-{renderer} mode=devnull lines={count} seconds={seconds:.6f} lines_per_s={int(count / seconds)}"
            f" lines_per_cpu_s={int(count / cpu)} dropped=0 write_errors=0"
        )
        return
    with open(path, "rb") as written:
        sample = written.readline()
    line_count = os.path.getsize(path) // len(sample)
    print(
        f"structlog-{renderer} mode=file lines={count} seconds={seconds:.6f} lines_per_s={int(count / seconds)}"
        f" lines_per_cpu_s={int(count / cpu)} dropped=0 write_errors=0 bytes_per_line={len(sample)}"
        f" (~{line_count} lines in file)"
    )
    print("sample: " + sample.decode().rstrip("\n"))
    os.unlink(path)


if __name__ == "__main__":
    main()
