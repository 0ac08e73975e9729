import type { CallsOf, StreamsOf } from '../api/dispatcher';
import { ApiError } from '../../../shared/errors';
import type { TransferService } from '../transfer/service';

function unknownTransfer(transferId: string): ApiError {
  return new ApiError({
    code: 'not_found',
    message: {
      en: `No transfer "${transferId}" is known (it may have finished more than 10 minutes ago).`,
      'zh-CN': `找不到传输“${transferId}”（可能已结束超过 10 分钟）。`,
    },
  });
}

export function transferHandlers(transfers: TransferService): { calls: CallsOf<'transfer'>; streams: StreamsOf<'transfer'> } {
  return {
    calls: {
      'transfer.upload': (input) => transfers.start(input),
      'transfer.cancel': ({ transferId }) => ({ cancelled: transfers.cancel(transferId) }),
    },
    streams: {
      'transfer.progress': ({ transferId }, sink) => {
        let ended = false;
        const stop = transfers.subscribe(transferId, (event) => {
          if (ended) return;
          sink.next(event);
          if (event.kind === 'finished') {
            ended = true;
            queueMicrotask(() => sink.end());
          }
        });
        if (!stop) {
          sink.fail(unknownTransfer(transferId));
          return () => undefined;
        }
        return stop;
      },
    },
  };
}
