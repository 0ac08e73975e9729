/**
 * The policy's model of Go's yaml.v2 (what a plain scalar becomes in a registry storage parameter, printed with
 * fmt.Sprint: shared/profile/value-formats.ts goYamlSprint) against yaml.v2 itself, on thousands of number-, word- and
 * date-shaped texts — the shapes an AccessKey secret can take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goYamlSprint } from '../../shared/profile/value-formats';
import { prng } from '../helpers/prng';
import { GoReaders } from './readback';

let go: GoReaders;
beforeAll(async () => {
  go = await GoReaders.start();
}, 300_000);
afterAll(() => go?.close());

function shapes(): string[] {
  const r = prng(20261207);
  const pick = r.pick;
  const next = r.next;
  const digits = (n: number, set = '0123456789') => Array.from({ length: n }, () => pick([...set])).join('');
  const out = new Set<string>([
    '0',
    '-0',
    '+0',
    '00',
    '0.0',
    '1.',
    '.5',
    '-.5',
    '+.5',
    '1e3',
    '1E+3',
    '1e-7',
    '0x1F',
    '0X1f',
    '0o17',
    '0O8',
    '0b101',
    '-0b11',
    '08',
    '09',
    '0777',
    '1_000',
    '_1',
    '1_',
    '12:30',
    '190:20:30',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '1e400',
    '9223372036854775807',
    '9223372036854775808',
    '18446744073709551615',
    '18446744073709551616',
    '-9223372036854775808',
    '-9223372036854775809',
    '+9223372036854775808',
    '.inf',
    '-.Inf',
    '.NaN',
    '.nan',
    'y',
    'Y',
    'n',
    'yes',
    'No',
    'ON',
    'off',
    'True',
    'FALSE',
    '~',
    'null',
    'Null',
    'NULL',
    '0x',
    '0b',
    '123abc',
    '1.2.3',
    '1e',
    '--1',
    '+-1',
  ]);
  for (let i = 0; i < 3000; i++) {
    const sign = pick(['', '', '-', '+']);
    const kind = pick(['int', 'lead0', 'float', 'exp', 'hex', 'oct', 'bin', 'under', 'long']);
    const n = 1 + Math.floor(next() * 24);
    const text =
      kind === 'int'
        ? `${sign}${digits(n)}`
        : kind === 'lead0'
          ? `${sign}0${digits(n, '0123456789')}`
          : kind === 'float'
            ? `${sign}${digits(n % 8)}.${digits(1 + (n % 9))}`
            : kind === 'exp'
              ? `${sign}${digits(1 + (n % 5))}${pick(['', '.'])}${digits(n % 3)}${pick(['e', 'E'])}${pick(['', '+', '-'])}${digits(1 + (n % 3))}`
              : kind === 'hex'
                ? `${sign}0${pick(['x', 'X'])}${digits(1 + (n % 17), '0123456789abcdefABCDEF')}`
                : kind === 'oct'
                  ? `${sign}0o${digits(1 + (n % 22), '01234567')}`
                  : kind === 'bin'
                    ? `${sign}0b${digits(1 + (n % 65), '01')}`
                    : kind === 'under'
                      ? `${sign}${digits(1 + (n % 4))}_${digits(1 + (n % 3))}${pick(['', '_', '.5'])}`
                      : `${digits(28 + (n % 5))}`; // an all-digit 30-character secret
    out.add(text);
  }
  return [...out];
}

describe("the policy's model of yaml.v2", () => {
  it('prints every number-, word- and date-shaped scalar as yaml.v2 and fmt.Sprint do', async () => {
    const wrong: string[] = [];
    for (const text of shapes()) {
      const r = await go.read('registry-config', `storage:\n  oss:\n    accesskeysecret: ${text}\n`);
      const goPrinted = r.error ? `error: ${r.error}` : (r.values?.['storage.oss.accesskeysecret'] ?? '<nil>');
      const model = goYamlSprint(text) ?? text;
      if (model !== goPrinted) wrong.push(`${JSON.stringify(text)}: yaml.v2 ${JSON.stringify(goPrinted)}, model ${JSON.stringify(model)}`);
    }
    expect(wrong.join('\n')).toBe('');
  }, 300_000);
});
