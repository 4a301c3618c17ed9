"""Keeps the day's raw drop as it came (raw data is kept per partition, to re-run any day)."""
import shutil
import sys
from pathlib import Path

src, dst = sys.argv[1], sys.argv[2]
Path(dst).parent.mkdir(parents=True, exist_ok=True)
shutil.copyfile(src, dst)
print(f"kept {src} as {dst}")
