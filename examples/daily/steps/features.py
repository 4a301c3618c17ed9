"""One day's features: min, max, mean temperature and mean humidity, stamped with the period."""
import csv
import json
import sys
from pathlib import Path

src, dst, day, start, end = sys.argv[1:6]
rows = list(csv.DictReader(open(src, newline="")))
temps = [float(r["temperature_c"]) for r in rows]
hums = [float(r["humidity"]) for r in rows]
features = {
    "day": day,
    "period": [start, end],
    "t_min": min(temps),
    "t_max": max(temps),
    "t_mean": round(sum(temps) / len(temps), 2),
    "humidity_mean": round(sum(hums) / len(hums), 1),
}
Path(dst).parent.mkdir(parents=True, exist_ok=True)
Path(dst).write_text(json.dumps(features, indent=2) + "\n")
print(json.dumps(features))
