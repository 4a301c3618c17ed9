#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when they are missing (idempotent, quick when present).
set -euo pipefail
need=()
command -v python3 >/dev/null || need+=(python3)
command -v make >/dev/null || need+=(make)
# Debian's Chromium drives the webview and VS Code tests (no browser downloads here).
[ -x /usr/bin/chromium ] || need+=(chromium)
# code-server's native modules build against Kerberos headers.
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null || need+=(g++)
command -v ps >/dev/null || need+=(procps)
[ -x /usr/bin/time ] || need+=(time)
# PostgreSQL targets are tested against a real server (the tests start a private cluster).
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
# The Slurm executor is tested on a private single-node cluster (slurmctld, slurmd, munged).
[ -x /usr/sbin/slurmctld ] || need+=(slurm-wlm)
[ -x /usr/sbin/munged ] || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
