/**
 * `npm run lab [-- --nodes N --harbor v1|v2 --services a,b --bundle-size BYTES]`: bring a lab up, print its
 * addresses and credentials, and keep it running until Ctrl-C (then tear it down).
 */
import { parseArgs } from 'node:util';
import { ALL_SERVICES, up, type ServiceName } from './index';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    harbor: { type: 'string', default: 'v2' },
    services: { type: 'string' },
    'bundle-size': { type: 'string' },
    'exit-after-up': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    `usage: npm run lab -- [--nodes 3] [--harbor v1|v2] [--services ${ALL_SERVICES.join(',')}] [--bundle-size BYTES] [--exit-after-up]`,
  );
  process.exit(0);
}
const harbor = values.harbor === 'v1' ? 'v1' : 'v2';
const services = values.services ? (values.services.split(',').filter(Boolean) as ServiceName[]) : ALL_SERVICES;
for (const s of services) if (!ALL_SERVICES.includes(s)) throw new Error(`unknown service ${s}`);

const lab = await up({
  nodes: Number(values.nodes),
  harbor,
  services,
  installers: ['v1', 'v2'],
  ...(values['bundle-size'] ? { bundleSize: Number(values['bundle-size']) } : {}),
});
console.log(lab.describe());
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the lab …');
  await lab.down();
  process.exit(0);
};
if (values['exit-after-up']) await stop();
console.log('\nPress Ctrl-C to stop the lab.');
// A lab that cannot be taken down says why and exits non-zero, rather than leaving an unhandled rejection.
const stopOnSignal = () =>
  void stop().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
process.on('SIGINT', stopOnSignal);
process.on('SIGTERM', stopOnSignal);
setInterval(() => {}, 1 << 30);
