"""Extract: download a CSV from a URL (a relative file: URL by default, so the demo runs offline)."""
import io
import os
import sys
import urllib.request
import csv

from common import FIELDS, log, write_csv

url, out = sys.argv[1], sys.argv[2]
if url.startswith("file:") and not url.startswith("file://"):
    url = "file://" + os.path.abspath(url[len("file:"):])
with urllib.request.urlopen(url, timeout=60) as response:
    text = response.read().decode("utf-8")
rows = list(csv.DictReader(io.StringIO(text)))
write_csv(out, rows, FIELDS)
log(f"fetched {len(rows)} rows from {url}")
