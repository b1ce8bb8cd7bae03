"""The Python side of scripts/bench/security-peers: the same inputs as security-peers-swift.

screen:  every `input` of the injection corpus, repeated until the UTF-8 bytes reach --mb, each
         passed to libinjection's is_sql_injection and is_xss (both, like Bulwark's screener runs
         every class). Prints `screen <MB/s> <bytes> <inputs> <flagged>` and the MB/s of each
         function alone (`screen_sqli`, `screen_xss`).
secrets: the `text` fields of the secrets corpus, each followed by a newline, repeated --repeat
         times, written to a temp .txt file and scanned with detect-secrets' scan_file inside
         default_settings() (all plugins, default filters). Prints `secrets <MB/s> <bytes> <findings>`.

MB = 10^6 bytes of UTF-8; the figure is the median of --runs rounds.
"""
import argparse
import json
import os
import statistics
import tempfile
import time


def load_field(path, field):
    values = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                value = json.loads(line).get(field)
                if isinstance(value, str):
                    values.append(value)
    return values


def timed(runs, body):
    """Median seconds of `runs` calls of body(), and body's last result."""
    samples = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def screen(args):
    import libinjection

    inputs = load_field(args.corpus or "/work/shared/corpora/injection-dev.jsonl", "input")
    once = sum(len(s.encode("utf-8")) for s in inputs)
    target = int(args.mb * 1_000_000)
    repeat = -(-target // once)  # the same repetition the Swift side builds
    total = once * repeat
    sqli, xss = libinjection.is_sql_injection, libinjection.is_xss

    def both():
        flagged = 0
        for _ in range(repeat):
            for s in inputs:
                a = sqli(s)["is_sqli"]
                b = xss(s)["is_xss"]
                if a or b:
                    flagged += 1
        return flagged

    def only(function, field):
        def loop():
            flagged = 0
            for _ in range(repeat):
                for s in inputs:
                    if function(s)[field]:
                        flagged += 1
            return flagged
        return loop

    seconds, flagged = timed(args.runs, both)
    print(f"screen {total / 1e6 / seconds:.2f} {total} {len(inputs) * repeat} {flagged}", flush=True)
    seconds, _ = timed(args.runs, only(sqli, "is_sqli"))
    print(f"screen_sqli {total / 1e6 / seconds:.2f}", flush=True)
    seconds, _ = timed(args.runs, only(xss, "is_xss"))
    print(f"screen_xss {total / 1e6 / seconds:.2f}", flush=True)


def secrets(args):
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    texts = load_field(args.corpus or "/work/shared/corpora/secrets-dev.jsonl", "text")
    body = "".join(text + "\n" for text in texts) * args.repeat
    total = len(body.encode("utf-8"))
    with tempfile.TemporaryDirectory(prefix="bulwark-secrets-") as directory:
        path = os.path.join(directory, "corpus.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(body)
        with default_settings():
            seconds, findings = timed(args.runs, lambda: sum(1 for _ in scan_file(path)))
    print(f"secrets {total / 1e6 / seconds:.3f} {total} {findings}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("section", choices=["screen", "secrets"])
    parser.add_argument("--corpus")
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    (screen if args.section == "screen" else secrets)(args)


if __name__ == "__main__":
    main()
