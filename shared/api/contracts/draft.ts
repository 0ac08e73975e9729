/**
 * Tests of a profile form before it is saved: each node's SSH connection, the database, Redis and OSS as a node reaches
 * them. Each needs only its own section to be filled in; secrets are the form's (typed or staged) or a saved profile's.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call } from '../define';
import type { SshTestResult } from './ssh';
import { nodeId } from './ssh';

export type DraftNodeTest =
  | (SshTestResult & { readonly nodeId: string })
  | {
      readonly status: 'failed';
      readonly nodeId: string;
      readonly label: string;
      readonly message: Localized;
      /** The form field the cause points at (`nodes.1.auth.password`), when it points at one. */
      readonly field?: string;
    };

export interface DraftServiceCheck {
  readonly ok: boolean;
  /** What was probed, e.g. `mysql rm-xxx.mysql.rds.aliyuncs.com:3306`. */
  readonly target: string;
  readonly detail?: string;
  readonly problem?: Localized;
  readonly latencyMs: number;
  readonly field?: string;
}

export interface DraftServiceTest {
  /** The node the service was reached from (whitelists are per node). */
  readonly from: string;
  readonly checks: readonly DraftServiceCheck[];
  /** PostgreSQL: the Harbor account does not exist, and the admin account the form holds could create it. */
  readonly account?: { readonly user: string; readonly host: string; readonly sql: string };
}

export const draftContract = {
  'draft.testNodes': call(
    z.object({ profile: z.unknown(), nodeIds: z.array(nodeId).min(1).max(16) }).strict(),
    'Connects to nodes of a form (saved or not), verifying host keys first; one result per node, unknown host keys listed for the operator.',
  ).returns<DraftNodeTest[]>(),
  'draft.testService': call(
    z.object({ profile: z.unknown(), service: z.enum(['database', 'redis', 'oss']), fromNode: nodeId }).strict(),
    "Logs in to the form's database, Redis or OSS from one of its nodes, as Harbor will.",
  ).returns<DraftServiceTest>(),
  'draft.createHarborAccount': call(
    z.object({ profile: z.unknown(), fromNode: nodeId, confirm: z.literal(true) }).strict(),
    "Creates the form's Harbor PostgreSQL account with its admin account, from one of its nodes (the password sent as a SCRAM verifier). Needs confirm: true.",
  ).returns<null>(),
} as const;
