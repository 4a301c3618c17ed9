#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when they are missing (idempotent, quick when present).
set -euo pipefail
need=()
command -v python3 >/dev/null || need+=(python3)
command -v make >/dev/null || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
