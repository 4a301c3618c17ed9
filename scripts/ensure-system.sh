#!/usr/bin/env bash
# Installs the Debian packages a command needs, only when they are missing (idempotent, quick
# when present). `ensure-system.sh start`: what `npm start` needs (code-server's native build);
# `ensure-system.sh` or `ensure-system.sh test`: everything the tests use.
set -euo pipefail
profile="${1:-test}"
need=()
command -v python3 >/dev/null || need+=(python3)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
# code-server's native modules build against Kerberos headers.
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ "$profile" = test ]; then
  # Debian's Chromium drives the webview and VS Code tests (no browser downloads here).
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v ps >/dev/null || need+=(procps)
  [ -x /usr/bin/time ] || need+=(time)
  # PostgreSQL targets are tested against a real server (the tests start a private cluster).
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
  # The Slurm executor is tested on a private single-node cluster (slurmctld, slurmd, munged).
  [ -x /usr/sbin/slurmctld ] || need+=(slurm-wlm)
  [ -x /usr/sbin/munged ] || need+=(munge)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "tributary: missing Debian packages: ${need[*]} (install them with: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "Installing Debian packages: ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
