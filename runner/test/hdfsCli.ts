/** Runs the built CLI without blocking the event loop (the WebHDFS test server lives in the test process). */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, type CliResult } from './cliHelpers';

export interface AsyncCliResult extends CliResult {
  /** Peak resident memory of the CLI process, in bytes. */
  maxRss: number;
}

/** Writes a preload that reports the process's peak RSS on exit. */
function rssProbe(dir: string): string {
  const file = path.join(dir, 'rss-probe.cjs');
  if (!fs.existsSync(file))
    fs.writeFileSync(
      file,
      // VmHWM, not resourceUsage().maxRSS: Linux carries the parent's peak across fork and exec
      // into ru_maxrss, so a test process holding a large buffer would inflate the child's figure.
      "process.on('exit', () => { const fs = require('fs'); const m = /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8')); fs.writeSync(2, '\\nmaxrss_kb=' + (m ? m[1] : process.resourceUsage().maxRSS) + '\\n'); });\n",
    );
  return file;
}

export function cliAsync(
  args: string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<AsyncCliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', rssProbe(o.cwd), CLI, ...args], {
      cwd: o.cwd,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const m = /\n?maxrss_kb=(\d+)\n/.exec(stderr);
      resolve({
        code,
        stdout,
        stderr: m ? stderr.replace(m[0], '') : stderr,
        maxRss: m ? Number(m[1]) * 1024 : 0,
      });
    });
  });
}
