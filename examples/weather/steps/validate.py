"""Validate: schema, nulls and ranges of every raw file; fails loudly naming the bad rows."""
import sys
from datetime import date

from common import FIELDS, LABELS, fail, log, read_csv, write_csv

*inputs, out = sys.argv[1:]
RANGES = {"precipitation": (0, 200), "temp_max": (-30, 50), "temp_min": (-40, 45), "wind": (0, 40)}
rows, problems, seen = [], [], set()
for path in inputs:
    for n, row in enumerate(read_csv(path), start=2):
        where = f"{path}:{n}"
        missing = [f for f in FIELDS if not (row.get(f) or "").strip()]
        if missing:
            problems.append(f"{where}: empty {', '.join(missing)}")
            continue
        try:
            date.fromisoformat(row["date"])
        except ValueError:
            problems.append(f"{where}: date {row['date']!r} is not YYYY-MM-DD")
        for field, (low, high) in RANGES.items():
            try:
                value = float(row[field])
            except ValueError:
                problems.append(f"{where}: {field} {row[field]!r} is not a number")
                continue
            if not low <= value <= high:
                problems.append(f"{where}: {field} {value} outside [{low}, {high}]")
        if row["weather"] not in LABELS:
            problems.append(f"{where}: weather {row['weather']!r} is not one of {LABELS}")
        if row["date"] in seen:
            problems.append(f"{where}: duplicate date {row['date']}")
        seen.add(row["date"])
        rows.append(row)
if problems:
    for p in problems[:50]:
        print(p, file=sys.stderr)
    fail(f"{len(problems)} bad rows (first {min(50, len(problems))} above)")
rows.sort(key=lambda r: r["date"])
write_csv(out, rows, FIELDS)
log(f"{len(rows)} rows valid, {rows[0]['date']} .. {rows[-1]['date']}")
