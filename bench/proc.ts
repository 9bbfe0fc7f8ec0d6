// Starting processes with node's own child_process. (execa is ESM-only, and tsx
// runs this folder as CommonJS while package.json has no "type": "module", so
// the runner keeps to built-in modules.)

import { spawn } from 'node:child_process';

export interface Finished {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  all: string;
}

export interface ProcOptions {
  cwd?: string;
  /** Added to the runner's own environment. */
  env?: Record<string, string>;
  /** Show the output on our terminal instead of capturing it. */
  inherit?: boolean;
}

/** Runs a command to completion; never throws for a non-zero exit (look at exitCode). */
export function run(cmd: string, args: string[], opts: ProcOptions = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: opts.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => (out.push(b), all.push(b)));
    child.stderr?.on('data', (b: Buffer) => (err.push(b), all.push(b)));
    child.on('error', (e) => resolve({ exitCode: 127, stdout: '', stderr: String(e), all: String(e) }));
    child.on('close', (code, signal) =>
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        all: Buffer.concat(all).toString('utf8'),
      }),
    );
  });
}
