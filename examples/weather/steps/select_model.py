"""Select the best model by a metric; refuse one that does not beat the baseline."""
import sys

from common import fail, log, read_json, report_metrics, write_json

metrics_path, metric, models_dir, out = sys.argv[1:]
results = read_json(metrics_path)
best = max(results, key=lambda name: results[name][metric])
if best == "baseline":
    fail(f"no model beats the baseline on {metric}: {results}")
write_json(out, {"model": best, "metric": metric, "score": results[best][metric], "path": f"{models_dir}/{best}.json", "all": results})
log(f"selected {best}: {metric} {results[best][metric]} (baseline {results['baseline'][metric]})")
report_metrics({"model": best, metric: results[best][metric], "baseline": results["baseline"][metric]})
