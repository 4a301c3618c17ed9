"""Validate models on the held-out split: accuracy and macro F1 for each."""
import os
import sys

from common import log, read_csv, read_json, write_json
from models import matrix, metrics

test_path, out, *model_paths = sys.argv[1:]
X, y = matrix(read_csv(test_path))
results = {}
for path in model_paths:
    name = os.path.splitext(os.path.basename(path))[0]
    results[name] = metrics(read_json(path), X, y)
    log(f"{name:12} accuracy {results[name]['accuracy']:.3f}  macro F1 {results[name]['macro_f1']:.3f}")
write_json(out, results)
