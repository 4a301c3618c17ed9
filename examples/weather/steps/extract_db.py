"""Extract: query a database. SQLite (standard library) by default; PostgreSQL through psql when DATABASE_URL is set."""
import csv
import io
import os
import sqlite3
import subprocess
import sys

from common import FIELDS, fail, log, write_csv

sqlite_path, table, out = sys.argv[1], sys.argv[2], sys.argv[3]
query = f"select {', '.join(FIELDS)} from {table} order by date"
dsn = os.environ.get("DATABASE_URL")
if dsn:
    try:
        text = subprocess.run(["psql", dsn, "--csv", "-c", query], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail(f"could not query PostgreSQL: {getattr(e, 'stderr', '') or e}")
    rows = list(csv.DictReader(io.StringIO(text)))
    source = "PostgreSQL"
else:
    db = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    rows = [dict(zip(FIELDS, r)) for r in db.execute(query)]
    db.close()
    source = sqlite_path
write_csv(out, rows, FIELDS)
log(f"read {len(rows)} rows of {table} from {source}")
