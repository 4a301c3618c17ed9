"""Checks one day: 24 hours, plausible temperatures and humidity; writes the valid copy or fails."""
import csv
import sys
from pathlib import Path

src, dst = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, newline="")))
problems = []
if len(rows) != 24:
    problems.append(f"{len(rows)} hours, expected 24")
for r in rows:
    t, h = float(r["temperature_c"]), float(r["humidity"])
    if not -60 <= t <= 60:
        problems.append(f"hour {r['hour']}: temperature {t} is not plausible")
    if not 0 <= h <= 100:
        problems.append(f"hour {r['hour']}: humidity {h} is not plausible")
if problems:
    print(f"{src}: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
Path(dst).parent.mkdir(parents=True, exist_ok=True)
Path(dst).write_text(Path(src).read_text())
print(f"{src}: 24 valid hours")
