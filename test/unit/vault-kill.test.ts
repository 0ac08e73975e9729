/**
 * A writer killed at a random moment leaves a valid vault: a child process changes the vault in a
 * loop (entries and passphrase changes), we SIGKILL it, then open, unlock and decrypt everything.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Vault, VaultError } from '../../electron/core/vault/vault';

const WRITER = fileURLToPath(new URL('./vault-kill-writer.ts', import.meta.url));
const A = 'passphrase-A-kill-test';
const B = 'passphrase-B-kill-test';
const ITERATIONS = Number(process.env.VAULT_KILL_ITERATIONS ?? 40);

/** Runs the writer, kills it `delayMs` after it reports ready; resolves with the counter it started from. */
function runAndKill(file: string, delayMs: number): Promise<{ started: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, A, B], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = -1;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /ready (\d+)/.exec(out);
      if (m && started < 0) {
        started = Number(m[1]);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}): ${err}`));
      else resolve({ started, signal });
    });
  });
}

async function openAndCheck(file: string): Promise<number> {
  const vault = Vault.open(file, { kdf: { N: 2 ** 15 } }); // throws 'corrupt' if the file is damaged
  try {
    await vault.unlock(A);
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'wrong_passphrase')) throw e;
    await vault.unlock(B);
  }
  for (const key of vault.keys()) expect(vault.get(key)).toBeTypeOf('string'); // every entry authenticates
  return Number(vault.get('counter') ?? '0');
}

it(`survives ${ITERATIONS} SIGKILLs of a writer at random moments`, { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-kill-'));
  const file = join(dir, 'vault.json');
  let last = 0;
  let progressed = 0;
  let midWrite = 0; // kills that left a temporary file: the writer was between creating it and the rename
  const t0 = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const delay = Math.floor(Math.random() * 120);
    const { started } = await runAndKill(file, delay);
    expect(started).toBe(last); // the child saw exactly what we last saw
    if (readdirSync(dir).some((n) => n.includes('.tmp-'))) midWrite++;
    const counter = await openAndCheck(file);
    expect(counter).toBeGreaterThanOrEqual(last); // never goes back
    if (counter > last) progressed++;
    last = counter;
    // Stale temporary files of dead writers are removed on open.
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }
  console.log(
    `vault kill test: ${ITERATIONS} kills in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `${last} loop iterations committed in total; ${progressed} runs made progress; ${midWrite} kills landed mid-write`,
  );
  expect(progressed).toBeGreaterThan(ITERATIONS / 2);
  if (ITERATIONS >= 20) expect(midWrite).toBeGreaterThan(0);
  rmSync(dir, { recursive: true, force: true });
});
