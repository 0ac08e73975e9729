/** Runs the built harbor-ha CLI and collects what it printed. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './serve';

export const CLI = join(projectRoot, 'out', 'cli', 'harbor-ha.cjs');

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
