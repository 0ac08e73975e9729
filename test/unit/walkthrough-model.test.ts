/** The walkthrough's run model: what a page opened mid-run shows, and how events change it. */
import { describe, expect, it } from 'vitest';
import { applyEvents, EMPTY_RUN, progressKey } from '../../renderer/pages/walkthrough/model';
import type { RunView } from '../../shared/api/contracts/deploy';

const run: RunView = {
  runId: '2026-11-26T01-00-00-000Z-abcdef',
  profileId: 'lab',
  operation: 'deploy',
  createdAt: '2026-11-26T01:00:00.000Z',
  updatedAt: '2026-11-26T01:00:00.000Z',
  state: 'running',
  steps: ['installer'],
  cells: { installer: { n1: { status: 'running' }, n2: { status: 'pending' } } },
  active: true,
};

describe('walkthrough run model', () => {
  it('shows the transfer progress a late subscriber gets in the snapshot, then follows events', () => {
    const m = applyEvents(EMPTY_RUN, [
      { kind: 'snapshot', run, log: [], progress: [{ stepId: 'installer', nodeId: 'n1', done: 10, total: 40, unit: 'bytes' }] },
    ]);
    expect(m.progress[progressKey('installer', 'n1')]).toEqual({ done: 10, total: 40, unit: 'bytes' });
    const next = applyEvents(m, [
      { kind: 'progress', stepId: 'installer', nodeId: 'n1', done: 40, total: 40, unit: 'bytes' },
      { kind: 'cell', stepId: 'installer', nodeId: 'n1', cell: { status: 'succeeded', finishedAt: '2026-11-26T01:00:05.000Z' } },
      { kind: 'state', state: 'finished', active: false },
    ]);
    expect(next.progress[progressKey('installer', 'n1')]!.done).toBe(40);
    expect(next.run!.cells.installer!.n1!.status).toBe('succeeded');
    expect(next.run!.state).toBe('finished');
    expect(next.stops).toBe(1);
    // A new snapshot without progress clears the bars.
    expect(applyEvents(next, [{ kind: 'snapshot', run, log: [] }]).progress).toEqual({});
  });
});
