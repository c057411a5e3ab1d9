// Handlers of the diagnostics channel: sign-on and the echo test against the bank host (their
// outcome shows in the status bar and the operational log), and the operational log's tail.
import type { diagnosticsChannel } from '../../contract';
import { logFailure, type OpsLog } from '../ops-log';
import type { StatusBoard } from '../status';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

export interface DiagnosticsDeps {
  terminals: Pick<TerminalPort, 'current'>;
  opsLog: OpsLog;
  status: Pick<StatusBoard, 'hostSeen'>;
}

export function diagnosticsHandlers(
  deps: DiagnosticsDeps,
): ChannelHandlers<typeof diagnosticsChannel> {
  const { terminals, opsLog, status } = deps;
  return {
    signOn: async (_args, { operator }) => {
      const { terminal } = terminals.current();
      try {
        const result = await terminal.host.signOn(operator.operatorNo);
        opsLog.info('host', 'sign-on', { operator: operator.operatorNo, batch: result.batchNo });
        status.hostSeen(terminal.host.signedOn, true);
        return {
          batchNo: result.batchNo,
          checkValues: result.checkValues,
          tmkCheckValue: terminal.masterKeyCheckValue(),
        };
      } catch (err) {
        logFailure(opsLog, 'host', 'sign-on-failed', err);
        status.hostSeen(terminal.host.signedOn, false);
        throw err;
      }
    },

    hostEcho: async () => {
      const { terminal } = terminals.current();
      try {
        const result = await terminal.host.networkTest();
        opsLog.info('host', 'echo', { latencyMs: result.latencyMs, code: result.responseCode });
        status.hostSeen(terminal.host.signedOn, true);
        return result;
      } catch (err) {
        logFailure(opsLog, 'host', 'echo-failed', err);
        status.hostSeen(terminal.host.signedOn, false);
        throw err;
      }
    },

    opsLogTail: async (args) => ({
      file: opsLog.file,
      lines: await opsLog.tail(args.lines ?? 20),
    }),
  };
}
