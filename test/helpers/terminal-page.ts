/** The Terminals page in a browser, as a person reads it: a node's pane, its text, and the shell's own idea of its size. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Size {
  readonly rows: number;
  readonly cols: number;
}

/** `page` is read when a helper runs, so the helpers can be made before the page exists (in a beforeAll). */
export function terminalPage(current: () => Page) {
  const pane = (node: string) => current().locator(`[data-testid=terminal-pane][data-node=${node}]`);
  const frame = (node: string) => current().locator(`[data-testid=terminal-frame][data-node=${node}]`);
  // The page's hook (TerminalPane.tsx): the terminal's text whatever the renderer (WebGL draws no DOM text).
  const screen = (node: string) => pane(node).evaluate((el) => (el as HTMLElement & { readTerminal: () => string }).readTerminal());
  const lines = async (node: string) => (await screen(node)).split('\n').map((x) => x.trimEnd());
  let asked = 0;

  /** Clicks into the node's terminal, types `command` and Enter, and waits until a line reads `answer`. */
  async function run(node: string, command: string, answer: string): Promise<void> {
    await pane(node).click();
    await current().keyboard.type(command);
    await current().keyboard.press('Enter');
    await expect.poll(async () => (await lines(node)).includes(answer), { timeout: 15_000 }).toBe(true);
  }

  /** Types `echo SIZE<n> $(stty size)` into the node's terminal and reads the answer off the screen. */
  async function remoteSize(node: string): Promise<Size> {
    const tag = `SIZE${++asked}`;
    await pane(node).click();
    await current().keyboard.type(`echo ${tag} $(stty size)`);
    await current().keyboard.press('Enter');
    const answer = new RegExp(`^${tag} (\\d+) (\\d+)\\s*$`, 'm');
    await expect.poll(async () => answer.test(await screen(node)), { timeout: 15_000 }).toBe(true);
    const [, rows, cols] = answer.exec(await screen(node))!;
    return { rows: Number(rows), cols: Number(cols) };
  }

  /** Asks the remote shell until its answer satisfies `ok` (a resize reaches the PTY a moment after the pane changes). */
  async function remoteSizeWhen(node: string, ok: (s: Size) => boolean): Promise<Size> {
    let last: Size = { rows: 0, cols: 0 };
    await expect.poll(async () => ok((last = await remoteSize(node))), { timeout: 20_000, interval: 200 }).toBe(true);
    return last;
  }

  /** How much of the pane the character grid of `size` leaves empty, in rows and columns of its own cells. */
  async function emptyCells(node: string, size: Size): Promise<Size> {
    const box = await pane(node).boundingBox();
    const grid = await pane(node).locator('.xterm-screen').boundingBox();
    if (!box || !grid) throw new Error(`the terminal of ${node} is not on screen`);
    return {
      rows: (box.height - grid.height) / (grid.height / size.rows),
      cols: (box.width - grid.width) / (grid.width / size.cols),
    };
  }

  /** The character grid of `size` fills the node's pane (less than one and a half rows and three columns to spare). */
  async function expectFilled(node: string, size: Size): Promise<void> {
    const empty = await emptyCells(node, size);
    expect(empty.rows).toBeLessThan(1.5);
    expect(empty.cols).toBeLessThan(3);
  }

  return { pane, frame, screen, lines, run, remoteSize, remoteSizeWhen, expectFilled };
}

export const sameSize = (a: Size) => (b: Size) => a.rows === b.rows && a.cols === b.cols;
