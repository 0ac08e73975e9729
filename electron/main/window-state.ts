/**
 * The main window's own state between runs: its normal bounds, whether it was maximised, and the
 * page it showed. No electron import here, so the rules are tested in plain Node; window.ts is the
 * glue to electron-store, the screen and the BrowserWindow.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  /** The normal (not maximised) bounds. */
  readonly bounds?: Rect;
  readonly maximized: boolean;
  /** A page id as the renderer routes it: `#/<page>`. */
  readonly page?: string;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 960, height: 600 } as const;

/** How long moves and resizes settle before the state is written (a drag fires dozens a second). */
export const SAVE_DELAY_MS = 500;

/** Page ids are lowercase words (`profiles`, `walkthrough`); the renderer shows its first page for one it does not know. */
const PAGE = /^[a-z][a-z0-9-]{0,31}$/;

/** Screen coordinates beyond any real desktop: a file saying otherwise was not written by us. */
const COORDINATE_LIMIT = 100_000;

const isCoordinate = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) <= COORDINATE_LIMIT;
const isLength = (v: unknown): v is number => isCoordinate(v) && v > 0;

function parseRect(raw: unknown): Rect | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { x, y, width, height } = raw as Record<string, unknown>;
  return isCoordinate(x) && isCoordinate(y) && isLength(width) && isLength(height) ? { x, y, width, height } : undefined;
}

/** What the stored file holds, field by field: anything malformed is dropped, never trusted. */
export function parseWindowState(raw: unknown): WindowState {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const bounds = parseRect(r.bounds);
  const page = typeof r.page === 'string' && PAGE.test(r.page) ? r.page : undefined;
  return { maximized: r.maximized === true, ...(bounds ? { bounds } : {}), ...(page ? { page } : {}) };
}

/**
 * The page a main-frame URL of our own origin shows (`app://harbor/index.html#/topology?profile=x`
 * → `topology`), or undefined. Only the page is kept, never its query: `#/terminals?node=…` would
 * open a terminal to that node at the next start.
 */
export function pageOfUrl(url: string, origin: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // WHATWG URL gives non-special schemes an opaque origin ("null"), so compare the parts.
  if (`${parsed.protocol}//${parsed.host}` !== origin) return undefined;
  const page = parsed.hash.replace(/^#\/?/, '').split('?')[0]!;
  return PAGE.test(page) ? page : undefined;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (v: number, low: number, high: number) => Math.max(low, Math.min(v, high));

/**
 * Where the window opens: the saved bounds, moved and shrunk to lie wholly inside the work area of
 * the display that shows most of them. When no display shows any of them (a monitor was unplugged,
 * the resolution changed), or nothing was saved, the saved or default size centred on the primary
 * display.
 */
export function placeWindow(saved: Rect | undefined, workAreas: readonly Rect[], primary: Rect): Rect {
  let area = primary;
  let best = 0;
  for (const a of saved ? workAreas : []) {
    const o = overlap(saved!, a);
    if (o > best) [area, best] = [a, o];
  }
  const fit = (length: number, min: number, available: number) => Math.min(Math.max(length, min), available);
  const width = fit(saved?.width ?? DEFAULT_SIZE.width, MIN_SIZE.width, area.width);
  const height = fit(saved?.height ?? DEFAULT_SIZE.height, MIN_SIZE.height, area.height);
  if (!saved || best === 0) {
    return { x: area.x + Math.floor((area.width - width) / 2), y: area.y + Math.floor((area.height - height) / 2), width, height };
  }
  return {
    x: clamp(saved.x, area.x, area.x + area.width - width),
    y: clamp(saved.y, area.y, area.y + area.height - height),
    width,
    height,
  };
}

export interface WindowStateTracker {
  /** The window moved, was resized, maximised or restored: written once things settle. */
  readonly changed: () => void;
  /** The window's page navigated in-page (its hash route changed). */
  readonly navigated: (url: string, isMainFrame: boolean) => void;
  /** The window is about to close: written now (the renderer may still cancel the close). */
  readonly closing: () => void;
  /** The window is gone: nothing is read or written after this. */
  readonly closed: () => void;
}

export interface TrackOptions {
  /** The window's bounds and maximised flag as they are now. */
  readonly read: () => Pick<WindowState, 'bounds' | 'maximized'>;
  readonly write: (state: WindowState) => void;
  /** The app's origin; navigations elsewhere are not pages of ours. */
  readonly origin: string;
  /** The page the window opened on. */
  readonly page?: string;
  readonly delayMs?: number;
}

/** Keeps the stored state in step with the window: debounced while it moves, at once when it closes. */
export function trackWindowState(options: TrackOptions): WindowStateTracker {
  let page = options.page;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gone = false;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const save = () => {
    cancel();
    if (!gone) options.write({ ...options.read(), ...(page ? { page } : {}) });
  };
  const schedule = () => {
    if (gone) return;
    cancel();
    timer = setTimeout(save, options.delayMs ?? SAVE_DELAY_MS);
  };
  return {
    changed: schedule,
    navigated(url, isMainFrame) {
      const next = isMainFrame ? pageOfUrl(url, options.origin) : undefined;
      if (next && next !== page) {
        page = next;
        schedule();
      }
    },
    closing: save,
    closed() {
      gone = true;
      cancel();
    },
  };
}
