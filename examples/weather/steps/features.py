"""Aggregate and build features: yesterday's weather and 3-day means, to predict today's label."""
import math
import sys

from common import log, read_csv, write_csv

src, out, summary = sys.argv[1], sys.argv[2], sys.argv[3]
rows = read_csv(src)
feats = []
for i in range(3, len(rows)):
    today, prev = rows[i], rows[i - 1]
    window = rows[i - 3:i]
    mean = lambda k: sum(float(w[k]) for w in window) / 3
    feats.append({
        "date": today["date"], "year": today["year"],
        "season_sin": round(math.sin(2 * math.pi * int(today["day_of_year"]) / 365.25), 4),
        "season_cos": round(math.cos(2 * math.pi * int(today["day_of_year"]) / 365.25), 4),
        "prev_precipitation": prev["precipitation"], "prev_temp_mean": prev["temp_mean"], "prev_wind": prev["wind"],
        "prev_wet": prev["wet"], "mean3_precipitation": round(mean("precipitation"), 3),
        "mean3_temp_mean": round(mean("temp_mean"), 3), "mean3_wind": round(mean("wind"), 3),
        "label": today["weather"],
    })
write_csv(out, feats, list(feats[0].keys()))
by_month = {}
for r in rows:
    m = by_month.setdefault(r["month"], [0, 0.0, 0.0])
    m[0] += 1
    m[1] += float(r["precipitation"])
    m[2] += float(r["temp_mean"])
summary_rows = [{"month": k, "days": v[0], "precipitation_mm": round(v[1], 1), "temp_mean": round(v[2] / v[0], 2)} for k, v in sorted(by_month.items(), key=lambda kv: int(kv[0]))]
write_csv(summary, summary_rows, ["month", "days", "precipitation_mm", "temp_mean"])
log(f"{len(feats)} feature rows; monthly summary of {len(summary_rows)} months")
