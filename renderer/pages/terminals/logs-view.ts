/** Which rows of the Logs list are in the page (LogsList.tsx): those in view and a few either side. */

/** Rows rendered beyond each edge of the view, so a small scroll or a rounding of heights shows no gap. */
const MARGIN_ROWS = 4;

export interface ViewInput {
  /** Lines in the list. */
  readonly rows: number;
  readonly rowPx: number;
  /** Rows the list's height shows. */
  readonly viewRows: number;
  /** The list's scroll position in px, or null while the view keeps to the end. */
  readonly top: number | null;
}

export function rowsInView({ rows, rowPx, viewRows, top }: ViewInput): { readonly first: number; readonly count: number } {
  const viewTop = top ?? Math.max(0, (rows - viewRows) * rowPx);
  return { first: Math.max(0, Math.floor(viewTop / rowPx) - MARGIN_ROWS), count: viewRows + 2 * MARGIN_ROWS };
}
