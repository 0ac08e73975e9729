/**
 * File transfer to the nodes of a profile, each node over an SSH connection of its own:
 * `direct` uploads to every node from the desktop; `relay` uploads once to the first node listed,
 * which copies to the others inside the network with a short-lived key that is removed afterwards.
 */
import { z } from 'zod';
import type { ApiErrorData } from '../../errors';
import { call, stream } from '../define';
import { profileId } from './profiles';
import { nodeId } from './ssh';

export const transferId = z.string().regex(/^[a-f0-9]{16}$/);

/** An absolute POSIX path on the node, naming a file (not ending in "/"), without NUL or newline. */
const remotePath = z
  .string()
  .min(2)
  .max(4096)
  .regex(/^\/[^\0\n]*[^/\0\n]$/, 'an absolute path of a file on the node, e.g. /opt/harbor/harbor-offline-installer.tgz');

export type TransferMode = 'direct' | 'relay';

export type TransferNodeStatus =
  | 'pending'
  | 'connecting'
  | 'checking'
  | 'uploading'
  | 'verifying'
  /** Relay target: the first node is copying to it. */
  | 'copying'
  | 'done'
  /** The node already had a file with the same sha256: nothing was sent. */
  | 'unchanged'
  | 'failed'
  | 'cancelled';

export interface TransferNodeState {
  readonly nodeId: string;
  readonly label: string;
  readonly status: TransferNodeStatus;
  /** Bytes of the file on the node so far, and the file size. */
  readonly bytes: number;
  readonly total: number;
  /** Smoothed bytes per second, and seconds left at that rate (null when unknown). */
  readonly rateBps: number;
  readonly etaSeconds: number | null;
  /** Where the current upload attempt continued from (a partial file left by a dropped connection). */
  readonly resumedFrom: number;
  /** 1 for the first attempt; a dropped connection is retried, resuming. */
  readonly attempt: number;
  /** Relay target: the node that copied to it. */
  readonly via?: string;
  /** Relay target: the temporary key was removed from its authorized_keys again. */
  readonly keyRemoved?: boolean;
  readonly sha256?: string;
  readonly error?: ApiErrorData;
}

export type TransferEvent =
  | { readonly kind: 'node'; readonly transferId: string; readonly node: TransferNodeState }
  | {
      readonly kind: 'finished';
      readonly transferId: string;
      /** done: every node done or unchanged; partial: some failed; failed: none succeeded. */
      readonly status: 'done' | 'partial' | 'failed' | 'cancelled';
      readonly nodes: readonly TransferNodeState[];
      /** File bytes the desktop sent and the nodes acknowledged, over all attempts (the relay sends the file once, whatever the node count). */
      readonly sentBytes: number;
      readonly sha256: string | null;
      readonly durationMs: number;
    };

export const transferContract = {
  'transfer.upload': call(
    z
      .object({
        profileId,
        nodeIds: z
          .array(nodeId)
          .min(1)
          .max(64)
          .refine((ids) => new Set(ids).size === ids.length, 'each node once'),
        /** A regular file on the desktop (checked by the core: it must exist and not be a directory). */
        localPath: z.string().min(1).max(4096),
        remotePath,
        /** relay: the first node in nodeIds receives the upload and copies to the others. */
        mode: z.enum(['direct', 'relay']).default('direct'),
      })
      .strict(),
    'Starts uploading a local file to nodes; returns at once with the transfer id (follow it with transfer.progress).',
  ).returns<{ readonly transferId: string }>(),
  'transfer.progress': stream(
    z.object({ transferId }).strict(),
    'Per-node progress of a transfer: the current state of every node first, then each change, then "finished".',
  ).emits<TransferEvent>(),
  'transfer.cancel': call(
    z.object({ transferId }).strict(),
    'Cancels a running transfer; partial files stay on the nodes so the next upload resumes.',
  ).returns<{ readonly cancelled: boolean }>(),
} as const;
