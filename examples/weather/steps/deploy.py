"""Deploy: copy the chosen model to deploy/current/ with a model card and its metrics."""
import json
import os
import shutil
import sys
from datetime import datetime, timezone

from common import log, read_json, write_json, write_text
from models import FEATURES

selection_path, target = sys.argv[1], sys.argv[2]
selection = read_json(selection_path)
staging = target.rstrip("/") + ".staging"
shutil.rmtree(staging, ignore_errors=True)
os.makedirs(staging)
shutil.copy(selection["path"], os.path.join(staging, "model.json"))
write_json(os.path.join(staging, "metrics.json"), selection["all"])
card = f"""# Model card: {selection['model']}

- Task: predict tomorrow's weather label in Seattle (drizzle, fog, rain, snow, sun)
- Chosen by: {selection['metric']} = {selection['score']} on the held-out year
- Features: {', '.join(FEATURES)}
- Run: {os.environ.get('TRIBUTARY_RUN_ID', 'manual')} of pipeline {os.environ.get('TRIBUTARY_PIPELINE', '?')}
- Deployed: {datetime.now(timezone.utc).isoformat(timespec='seconds')}

## All candidates

{json.dumps(selection['all'], indent=2)}

Data: NOAA via vega-datasets (see source/LICENSE.md). For instruction, not for forecasting.
"""
write_text(os.path.join(staging, "MODEL_CARD.md"), card)
# Swap in one step, so that readers never see half a deployment.
if os.path.exists(target):
    shutil.rmtree(target)
os.replace(staging, target)
log(f"deployed {selection['model']} to {target}")
