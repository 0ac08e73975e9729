/** The metrics sample's readers and judge on odd, old and hostile output: gaps, never a crash or a wrong number. */
import { describe, expect, it } from 'vitest';
import { harborNodes } from '../../electron/core/harbor/adapter';
import { sections } from '../../electron/core/metrics/command';
import { readCpu, readLoad, readMemory, readNetwork, readRestarts, readSections } from '../../electron/core/metrics/readings';
import { makeSample } from '../../electron/core/metrics/sample';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

const profile = profileSchema.parse(v2Profile());

describe('metrics readings', () => {
  it('reads CPU times and counts the CPUs', () => {
    expect(readCpu(['cpu  10 0 5 80 5 0 0 0 0 0', 'cpu0 5 0 2 40 3 0 0 0 0 0', 'cpu1 5 0 3 40 2 0 0 0 0 0'])).toEqual({
      busy: 15,
      total: 100,
      cpus: 2,
    });
    expect(readCpu(['cpu  10 x 5 80'])).toBeUndefined();
    expect(readCpu([])).toBeUndefined();
  });

  it('takes MemAvailable, or free + buffers + cache on kernels without it (CentOS 6)', () => {
    expect(readMemory(['MemTotal:  1000 kB', 'MemAvailable:  250 kB'])).toEqual({ totalBytes: 1024000, availableBytes: 256000 });
    expect(readMemory(['MemTotal: 1000 kB', 'MemFree: 100 kB', 'Buffers: 50 kB', 'Cached: 100 kB'])).toEqual({
      totalBytes: 1024000,
      availableBytes: 256000,
    });
    expect(readMemory(['MemTotal: 1000 kB'])).toBeUndefined();
    expect(readMemory(['MemTotal: 0 kB', 'MemAvailable: 0 kB'])).toBeUndefined();
  });

  it('reads load and network, leaving out loopback and lines of another shape', () => {
    expect(readLoad(['0.52 1.00 2 1/467 12345'])).toEqual({ one: 0.52, five: 1, fifteen: 2 });
    expect(readLoad(['nan 1 2'])).toBeUndefined();
    const dev = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0',
      '  eth0: 100 1 0 0 0 0 0 0 40 1 0 0 0 0 0 0',
      'ens3:200 1 0 0 0 0 0 0 60 1 0 0 0 0 0 0',
      '  odd: 1 2',
    ];
    expect(readNetwork(dev)).toEqual({ rx: 300, tx: 100 });
    expect(readNetwork(dev.slice(0, 3))).toBeUndefined();
  });

  it('reads restart counts from docker inspect', () => {
    expect([...readRestarts(['/harbor-core 2', 'registry 0', '/bad x', ''])]).toEqual([
      ['harbor-core', 2],
      ['registry', 0],
    ]);
  });

  it('a sample of garbage has gaps and says docker failed; counters that went back give no rate', () => {
    const garbage = readSections(sections('@@stat\n\u0000\u0001\n@@docker\n@@meminfo\n{"x":1}\n@@rc nope\n@@df /data\nzzz\n@@rc 0\n'));
    const s = makeSample(harborNodes, profile, garbage, undefined, 1000, 0);
    expect(s).toMatchObject({ status: 'fail', disks: [] });
    expect(s.cpuPercent).toBeUndefined();
    expect(s.memory).toBeUndefined();
    const a = readSections(sections('@@stat\ncpu  100 0 0 100 0 0 0 0\n@@netdev\n eth0: 1000 0 0 0 0 0 0 0 1000 0 0 0 0 0 0 0\n'));
    const b = readSections(sections('@@stat\ncpu  10 0 0 10 0 0 0 0\n@@netdev\n eth0: 10 0 0 0 0 0 0 0 10 0 0 0 0 0 0 0\n'));
    const later = makeSample(harborNodes, profile, b, a, 4000, 3000);
    expect(later.cpuPercent).toBeUndefined();
    expect(later.network).toBeUndefined();
    const c = readSections(sections('@@stat\ncpu  130 0 0 170 0 0 0 0\n@@netdev\n eth0: 4000 0 0 0 0 0 0 0 1300 0 0 0 0 0 0 0\n'));
    expect(makeSample(harborNodes, profile, c, a, 4000, 3000)).toMatchObject({
      cpuPercent: 30,
      network: { rxBytesPerSecond: 1000, txBytesPerSecond: 100 },
    });
  });

  it('memory and load over the levels colour the node', () => {
    const r = readSections(
      sections(
        '@@stat\ncpu  1 0 0 1 0 0 0 0\ncpu0 1 0 0 1 0 0 0 0\n@@meminfo\nMemTotal: 100 kB\nMemAvailable: 5 kB\n@@loadavg\n2.5 1 1 1/1 1\n',
      ),
    );
    const s = makeSample(harborNodes, profile, r, undefined, 1, 0);
    expect(s.memory!.usedPercent).toBe(95);
    // Each reason with its own level: these two warn, while the node fails for its missing containers.
    expect(s.status).toBe('fail');
    expect(s.problems.map((p) => `${p.status} ${p.message.en}`)).toEqual(
      expect.arrayContaining(['warn Memory 95% used', 'warn Load 2.5 on 1 CPUs']),
    );
  });
});
