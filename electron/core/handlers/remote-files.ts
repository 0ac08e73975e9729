import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { RemoteFilesService } from '../files/remote-service';

export function remoteFilesHandlers(files: RemoteFilesService): { calls: CallsOf<'remoteFiles'>; streams: StreamsOf<'remoteFiles'> } {
  return {
    calls: {
      'remoteFiles.list': ({ profileId, nodeId, path }) => files.list(profileId, nodeId, path),
      'remoteFiles.mkdir': ({ profileId, nodeId, path }) => files.mkdir(profileId, nodeId, path),
      'remoteFiles.rename': ({ profileId, nodeId, from, to }) => files.rename(profileId, nodeId, from, to),
      'remoteFiles.remove': ({ profileId, nodeId, path, recursiveConfirm }) => files.remove(profileId, nodeId, path, recursiveConfirm),
      'remoteFiles.chmod': ({ profileId, nodeId, path, mode }) => files.chmod(profileId, nodeId, path, mode),
      'remoteFiles.readText': ({ profileId, nodeId, path }) => files.readText(profileId, nodeId, path),
      'remoteFiles.writeText': ({ profileId, nodeId, path, content, baseSha256 }) =>
        files.writeText(profileId, nodeId, path, content, baseSha256),
      'remoteFiles.download': (request) => files.download(request),
      'remoteFiles.upload': (request) => files.upload(request),
      'remoteFiles.cancel': ({ jobId }) => ({ cancelled: files.cancel(jobId) }),
    },
    streams: {
      'remoteFiles.progress': ({ jobId }, sink) => {
        let ended = false;
        const stop = files.subscribe(jobId, (state) => {
          if (ended) return;
          sink.next(state);
          if (state.status !== 'running') {
            ended = true;
            queueMicrotask(() => sink.end());
          }
        });
        if (stop) return stop;
        sink.fail(
          new ApiError({
            code: 'not_found',
            message: L(
              `No download or upload "${jobId}" is known (it may have ended more than 10 minutes ago).`,
              `找不到下载或上传“${jobId}”（可能已结束超过 10 分钟）。`,
            ),
          }),
        );
        return () => undefined;
      },
    },
  };
}
