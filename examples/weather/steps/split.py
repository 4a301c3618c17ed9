"""Split by time: train on the years before the test year, hold out the test year."""
import sys

from common import log, read_csv, write_csv

src, test_year, train_out, test_out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = read_csv(src)
train = [r for r in rows if r["year"] < test_year]
test = [r for r in rows if r["year"] == test_year]
if not train or not test:
    raise SystemExit(f"error: empty split (train {len(train)}, test {len(test)}) for test year {test_year}")
write_csv(train_out, train, list(rows[0].keys()))
write_csv(test_out, test, list(rows[0].keys()))
log(f"train {len(train)} rows, test {len(test)} rows ({test_year})")
