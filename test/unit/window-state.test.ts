/**
 * The main window's stored state: what a stored file may say, where the window opens on the
 * displays there are, which navigations name a page, and when the state is written (into a real
 * `conf` store, the engine electron-store wraps, in a temporary folder).
 */
import Conf from 'conf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from '../../electron/main/ipc';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  SAVE_DELAY_MS,
  pageOfUrl,
  parseWindowState,
  placeWindow,
  trackWindowState,
  type Rect,
  type WindowState,
} from '../../electron/main/window-state';

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const left: Rect = { x: -1280, y: 200, width: 1280, height: 984 };

describe('parseWindowState', () => {
  it('keeps a state it wrote', () => {
    const state = { bounds: { x: -1200, y: 240, width: 1100, height: 700 }, maximized: true, page: 'topology' };
    expect(parseWindowState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('drops each malformed field and keeps the rest', () => {
    expect(parseWindowState(null)).toEqual({ maximized: false });
    expect(parseWindowState('{"maximized":true}')).toEqual({ maximized: false });
    expect(parseWindowState([1, 2])).toEqual({ maximized: false });
    expect(parseWindowState({ maximized: 'yes', page: 'activity' })).toEqual({ maximized: false, page: 'activity' });
    for (const bounds of [
      { x: 0, y: 0, width: 0, height: 600 },
      { x: 0, y: 0, width: -1000, height: 600 },
      { x: 0.5, y: 0, width: 1000, height: 600 },
      { x: Number.NaN, y: 0, width: 1000, height: 600 },
      { x: 0, y: 1e12, width: 1000, height: 600 },
      { x: '0', y: 0, width: 1000, height: 600 },
      { y: 0, width: 1000, height: 600 },
      'x=0',
    ]) {
      expect(parseWindowState({ bounds, maximized: true })).toEqual({ maximized: true });
    }
    for (const page of ['', 'Profiles', '../etc', 'terminals?node=n1', 'a'.repeat(33), 'page#x', 42, { toString: () => 'profiles' }]) {
      expect(parseWindowState({ page, maximized: false })).toEqual({ maximized: false });
    }
  });
});

describe('placeWindow', () => {
  it('opens at the default size in the middle of the primary display when nothing was saved', () => {
    expect(placeWindow(undefined, [primary, right], primary)).toEqual({ x: 320, y: 110, ...DEFAULT_SIZE });
  });

  it('keeps bounds that lie on a display, on whichever display they are', () => {
    const onRight = { x: 2200, y: 100, width: 1500, height: 1000 };
    expect(placeWindow(onRight, [primary, right], primary)).toEqual(onRight);
    const onLeft = { x: -1200, y: 250, width: 1000, height: 700 };
    expect(placeWindow(onLeft, [left, primary], primary)).toEqual(onLeft);
  });

  it('centres the saved size on the primary display when its display is gone', () => {
    expect(placeWindow({ x: 2200, y: 100, width: 1500, height: 1000 }, [primary], primary)).toEqual({
      x: 210,
      y: 20,
      width: 1500,
      height: 1000,
    });
    expect(placeWindow({ x: -5000, y: -5000, width: 1000, height: 700 }, [primary, right], primary)).toEqual({
      x: 460,
      y: 170,
      width: 1000,
      height: 700,
    });
  });

  it('moves a window hanging off the edges back inside the display that shows most of it', () => {
    // Its bottom-right corner past the edges of the only display.
    expect(placeWindow({ x: 1500, y: 800, width: 1000, height: 700 }, [primary], primary)).toEqual({
      x: 920,
      y: 340,
      width: 1000,
      height: 700,
    });
    // Mostly on the right display, its title bar above the top.
    expect(placeWindow({ x: 1800, y: -300, width: 1200, height: 800 }, [primary, right], primary)).toEqual({
      x: 1920,
      y: 0,
      width: 1200,
      height: 800,
    });
  });

  it('shrinks a window larger than its display and grows one below the minimum size', () => {
    expect(placeWindow({ x: 0, y: 0, width: 3000, height: 2000 }, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    expect(placeWindow({ x: 100, y: 100, width: 200, height: 100 }, [primary], primary)).toEqual({ x: 100, y: 100, ...MIN_SIZE });
  });
});

describe('pageOfUrl', () => {
  it('names the page of our own origin, without its query', () => {
    expect(pageOfUrl(`${APP_ORIGIN}/index.html#/topology`, APP_ORIGIN)).toBe('topology');
    expect(pageOfUrl(`${APP_ORIGIN}/index.html#/terminals?profile=p&node=n1`, APP_ORIGIN)).toBe('terminals');
  });

  it('names nothing for another origin, no page or a malformed one', () => {
    for (const url of [
      'https://harbor/index.html#/profiles',
      'app://harbor.evil/#/profiles',
      'app://evil/#/profiles',
      `${APP_ORIGIN}/index.html`,
      `${APP_ORIGIN}/index.html#/`,
      `${APP_ORIGIN}/#/../x`,
      `${APP_ORIGIN}/#/PROFILES`,
      'not a url',
      '',
    ]) {
      expect(pageOfUrl(url, APP_ORIGIN)).toBeUndefined();
    }
  });
});

describe('trackWindowState', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(page?: string) {
    const cwd = mkdtempSync(join(tmpdir(), 'window-state-'));
    const open = () => new Conf<Record<string, unknown>>({ cwd, configName: 'window-state', clearInvalidConfig: true });
    const store = open();
    let window: Required<Pick<WindowState, 'bounds' | 'maximized'>> = {
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: false,
    };
    let writes = 0;
    const tracker = trackWindowState({
      origin: APP_ORIGIN,
      ...(page ? { page } : {}),
      read: () => window,
      write: (state) => {
        writes++;
        store.set('window', state);
      },
    });
    return {
      tracker,
      move: (bounds: Rect, maximized = false) => (window = { bounds, maximized }),
      writes: () => writes,
      // What the next start reads: a store opened anew on the same file.
      stored: () => parseWindowState(open().get('window')),
    };
  }

  it('writes once after a drag settles, with the page the window shows', () => {
    vi.useFakeTimers();
    const t = setup('profiles');
    for (let i = 0; i < 50; i++) {
      t.move({ x: 10 + i, y: 20 + i, width: 1000, height: 700 });
      t.tracker.changed();
    }
    expect(t.writes()).toBe(0);
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(t.writes()).toBe(1);
    expect(t.stored()).toEqual({ bounds: { x: 59, y: 69, width: 1000, height: 700 }, maximized: false, page: 'profiles' });
  });

  it('follows the main frame of our own origin to its page, and nothing else', () => {
    vi.useFakeTimers();
    const t = setup('profiles');
    t.tracker.navigated(`${APP_ORIGIN}/index.html#/walkthrough?profile=lab`, false);
    t.tracker.navigated('https://example.com/#/activity', true);
    t.tracker.navigated(`${APP_ORIGIN}/index.html#/Not_A_Page`, true);
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(t.writes()).toBe(0);
    t.tracker.navigated(`${APP_ORIGIN}/index.html#/walkthrough?profile=lab`, true);
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(t.stored().page).toBe('walkthrough');
  });

  it('writes at once when the window closes, again if the close was cancelled, and never once it is gone', () => {
    vi.useFakeTimers();
    const t = setup();
    t.move({ x: 5, y: 6, width: 1100, height: 800 }, true);
    t.tracker.changed();
    t.tracker.closing();
    expect(t.writes()).toBe(1);
    expect(t.stored()).toEqual({ bounds: { x: 5, y: 6, width: 1100, height: 800 }, maximized: true });
    // The renderer kept the window open (unsaved edits): it is still tracked.
    t.move({ x: 7, y: 8, width: 1100, height: 800 });
    t.tracker.changed();
    t.tracker.closing();
    expect(t.stored()).toEqual({ bounds: { x: 7, y: 8, width: 1100, height: 800 }, maximized: false });
    t.tracker.changed();
    t.tracker.closed();
    t.tracker.changed();
    t.tracker.closing();
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(t.writes()).toBe(2);
  });
});
