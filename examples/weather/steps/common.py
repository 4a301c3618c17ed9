"""Helpers shared by the demo's steps: Python standard library only."""
import csv
import json
import os
import sys
import tempfile

FIELDS = ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]
LABELS = ["drizzle", "fog", "rain", "snow", "sun"]


def log(*parts):
    print(*parts, flush=True)


def fail(message):
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _atomic(path, write):
    """Write to a temp file beside `path`, then rename: a crash never leaves half an output."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_csv(path, rows, fields):
    def write(f):
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)

    _atomic(path, write)


def write_json(path, value):
    _atomic(path, lambda f: f.write(json.dumps(value, indent=2, sort_keys=True) + "\n"))


def read_json(path):
    with open(path) as f:
        return json.load(f)


def write_text(path, text):
    _atomic(path, lambda f: f.write(text))


def report_metrics(values):
    """Numbers for the task's node in Tributary's graph: written where $TRIBUTARY_METRICS says."""
    target = os.environ.get("TRIBUTARY_METRICS")
    if target:
        write_json(target, values)
