/**
 * Watchdog started (detached) by every lab. When the process that owns the lab dies without calling `down()`,
 * it kills the lab's processes and removes its files. Usage: `node --import tsx reaper.ts <slot> <ownerPid>`.
 */
import fs from 'node:fs';
import { alive, releaseSlot, slotDir } from './registry';

const slot = Number(process.argv[2]);
const owner = Number(process.argv[3]);
const dir = slotDir(slot);

const timer = setInterval(() => {
  if (!fs.existsSync(dir)) {
    clearInterval(timer);
    return;
  }
  if (alive(owner)) return;
  clearInterval(timer);
  try {
    releaseSlot(slot);
  } finally {
    process.exit(0);
  }
}, 500);
