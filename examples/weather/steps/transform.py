"""Transform: typed, tidy columns (ISO date parts, mean temperature, rain flag)."""
import sys
from datetime import date

from common import log, read_csv, write_csv

src, out = sys.argv[1], sys.argv[2]
rows = []
for r in read_csv(src):
    d = date.fromisoformat(r["date"])
    tmax, tmin = float(r["temp_max"]), float(r["temp_min"])
    rows.append({
        "date": r["date"], "year": d.year, "month": d.month, "day_of_year": d.timetuple().tm_yday,
        "precipitation": float(r["precipitation"]), "temp_max": tmax, "temp_min": tmin,
        "temp_mean": round((tmax + tmin) / 2, 2), "temp_range": round(tmax - tmin, 2),
        "wind": float(r["wind"]), "wet": int(float(r["precipitation"]) > 0), "weather": r["weather"],
    })
write_csv(out, rows, list(rows[0].keys()))
log(f"transformed {len(rows)} rows")
