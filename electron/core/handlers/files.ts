import type { FilePurpose } from '../../../shared/api/contracts/files';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { CallsOf } from '../api/dispatcher';
import { completePath, readCertificateFile, readPrivateKeyFile } from '../files/local';
import type { SecretStaging } from '../profiles/staging';
import { certificateRequest, selfSignedCertificate } from '../profiles/tls-generate';

/** The desktop's open-file dialog (Electron); absent in serve mode. */
export type ChooseFile = (purpose: FilePurpose) => Promise<string | null>;

export function filesHandlers(staging: SecretStaging, chooseFile: ChooseFile | undefined): CallsOf<'files' | 'tls'> {
  return {
    'files.complete': ({ prefix }) => completePath(prefix),
    'files.choose': async ({ purpose }) => {
      if (!chooseFile) {
        throw new ApiError({
          code: 'conflict',
          reason: 'no_desktop',
          message: L('Only the desktop app has a file dialog; type the path instead.', '只有桌面应用有文件对话框；请直接输入路径。'),
        });
      }
      return { path: await chooseFile(purpose) };
    },
    'files.readCertificate': ({ path }) => ({ certificate: readCertificateFile(path) }),
    'files.stagePrivateKey': ({ path }) => staging.stage(readPrivateKeyFile(path)),
    'tls.generate': async ({ domain, kind, days }) => {
      const made = kind === 'csr' ? await certificateRequest(domain) : await selfSignedCertificate(domain, days);
      return {
        ...(made.certificate ? { certificate: made.certificate } : {}),
        ...(made.csr ? { csr: made.csr } : {}),
        privateKey: staging.stage(made.privateKey),
      };
    },
  };
}
