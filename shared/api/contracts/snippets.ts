/**
 * Snippets for the Terminals page: Harbor operations the core renders from the profile into a command line (never with
 * a secret in it: what needs a password asks for it on the node), and the operator's own command lines, kept per
 * profile. Running one is typing it: the page sends the line with `terminal.input` to one terminal or broadcasts it.
 */
import { z } from 'zod';
import type { Localized } from '../../i18n/localized';
import { call } from '../define';
import { profileId } from './profiles';

export const snippetId = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/);
/** What a parameter of a built-in snippet may be set to: one of the values the core offered. */
const parameterValue = z.string().min(1).max(256);
/** The longest own snippet's command line. */
export const MAX_SNIPPET_COMMAND = 4096;
/** An own snippet's command: one line as the operator wrote it, without control characters (a newline would run it early). */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const NO_CONTROLS = /^[^\x00-\x1f\x7f]*$/;
const ownCommand = z.string().trim().min(1).max(MAX_SNIPPET_COMMAND).regex(NO_CONTROLS);

export interface SnippetParameter {
  readonly name: string;
  readonly label: Localized;
  /** The values the profile allows (e.g. the generation's containers); the first is the default. */
  readonly options: readonly string[];
}

export interface BuiltinSnippet {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  readonly parameters: readonly SnippetParameter[];
  /** It changes the node (restarts a container, rewrites configuration), so the page says so before it is sent. */
  readonly changes: boolean;
}

export interface OwnSnippet {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly command: string;
  readonly updatedAt: string;
}

export interface SnippetLibrary {
  /** The profile's Harbor generation's snippets, with the profile's values as parameter options. */
  readonly builtIn: readonly BuiltinSnippet[];
  readonly own: readonly OwnSnippet[];
}

export const snippetsContract = {
  'snippets.list': call(
    z.object({ profileId }).strict(),
    'The built-in Harbor snippets of the profile’s generation (parameters with the values the profile allows) and the operator’s own snippets of the profile.',
  ).returns<SnippetLibrary>(),
  'snippets.render': call(
    z
      .object({
        profileId,
        id: snippetId,
        parameters: z.record(z.string().max(64), parameterValue).default({}),
      })
      .strict(),
    'The command line of a built-in snippet with the profile’s values, quoted for a POSIX shell; it never holds a secret (redis-cli, psql, mysql and curl ask for the password on the node).',
  ).returns<{ readonly command: string }>(),
  'snippets.save': call(
    z
      .object({
        profileId,
        /** Absent: a new snippet. */
        id: snippetId.optional(),
        name: z.string().trim().min(1).max(80),
        description: z.string().trim().max(500).default(''),
        command: ownCommand,
      })
      .strict(),
    'Adds or changes one of the operator’s own snippets of the profile. Refused when the command holds one of the app’s secrets (it would be kept in a plain file).',
  ).returns<OwnSnippet>(),
  'snippets.delete': call(
    z.object({ profileId, id: snippetId }).strict(),
    'Deletes one of the operator’s own snippets of the profile.',
  ).returns<null>(),
} as const;
