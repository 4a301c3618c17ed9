"""Extract: gather the daily CSV drops of a folder into one raw file."""
import glob
import os
import sys

from common import FIELDS, fail, log, read_csv, write_csv

folder, out = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(folder, "*.csv")))
if not files:
    fail(f"no CSV files in {folder}")
rows = []
for path in files:
    part = read_csv(path)
    log(f"{path}: {len(part)} rows")
    rows.extend(part)
write_csv(out, rows, FIELDS)
log(f"wrote {len(rows)} rows to {out}")
