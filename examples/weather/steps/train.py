"""Train one model kind on the training split."""
import sys

from common import log, read_csv, write_json
from models import fit_majority, fit_naive_bayes, fit_softmax, matrix

kind, train_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
X, y = matrix(read_csv(train_path))
fit = {"majority": fit_majority, "naive_bayes": fit_naive_bayes, "softmax": fit_softmax}.get(kind)
if fit is None:
    raise SystemExit(f"error: unknown model kind {kind!r}")
model = fit(X, y)
write_json(out, model)
log(f"trained {kind} on {len(y)} rows")
