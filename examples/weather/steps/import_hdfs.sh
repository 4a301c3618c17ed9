#!/bin/sh
# Uploads a local folder to HDFS with `tributary hdfs put` when TRIBUTARY_WEBHDFS_URL names a
# NameNode; otherwise says so and succeeds. Writes a receipt either way (the task's output).
# Usage: import_hdfs.sh LOCAL_FOLDER HDFS_PATH RECEIPT
set -eu
local_dir=$1
hdfs_path=$2
receipt=$3
mkdir -p "$(dirname "$receipt")"
if [ -z "${TRIBUTARY_WEBHDFS_URL:-}" ]; then
  echo "skipped: no HDFS configured (set TRIBUTARY_WEBHDFS_URL, e.g. http://namenode:9870, then run import_hdfs with --force)"
  echo "skipped: no HDFS configured" > "$receipt"
  exit 0
fi
# TRIBUTARY_CLI lets a checkout without npx on PATH name the CLI (e.g. "node /path/to/dist/cli.js").
${TRIBUTARY_CLI:-npx --no-install tributary} hdfs put "$local_dir" "hdfs://$hdfs_path"
${TRIBUTARY_CLI:-npx --no-install tributary} hdfs ls "hdfs://$hdfs_path"
echo "imported $local_dir to $TRIBUTARY_WEBHDFS_URL$hdfs_path" > "$receipt"
