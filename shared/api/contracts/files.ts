/**
 * Local files and TLS material for the profile form. Paths name files on the machine running the core (the desktop
 * app's, or serve mode's host); secrets read from them stay in the core, staged for the next save.
 */
import { z } from 'zod';
import { call } from '../define';
import type { GeneratedTlsView, PathCompletion } from '../types';

const localPath = z.string().trim().min(1).max(4096);
const purposes = ['installer', 'sshKey', 'certificate', 'privateKey'] as const;
/** What a file is chosen for: the desktop's dialog offers matching file types first. */
export type FilePurpose = (typeof purposes)[number];

export const filesContract = {
  'files.complete': call(
    z.object({ prefix: z.string().max(4096) }).strict(),
    'Paths starting with the given text (folders end with "/"), for typing a path in serve mode.',
  ).returns<PathCompletion>(),
  'files.choose': call(
    z.object({ purpose: z.enum(purposes) }).strict(),
    "The desktop's file dialog; the chosen path, or null when cancelled (desktop app only).",
  ).returns<{ path: string | null }>(),
  'files.readCertificate': call(
    z.object({ path: localPath }).strict(),
    'The PEM certificates a file holds (refused when it holds anything else, such as a key).',
  ).returns<{ certificate: string }>(),
  'files.stagePrivateKey': call(
    z.object({ path: localPath }).strict(),
    'Reads an unencrypted PEM private key from a file into the core; the form gets a token for the next save, never the key.',
  ).returns<{ staged: string }>(),
  'tls.generate': call(
    z
      .object({
        domain: z.string().trim().min(1).max(260),
        kind: z.enum(['self-signed', 'csr']),
        /** Validity of a self-signed certificate. */
        days: z.number().int().min(1).max(3650).default(365),
      })
      .strict(),
    'A new ECDSA P-256 key with a self-signed certificate or a CSR for the domain; the key stays in the core (staged).',
  ).returns<GeneratedTlsView>(),
} as const;
