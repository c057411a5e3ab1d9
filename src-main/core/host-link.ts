// The bank host link as the console keeps it: the terminal signs on when an operator logs in (as
// a POS does at the start of a shift) and after the settings were applied; a failure only shows in
// the status bar and the operational log (the first inquiry tries again).
import type { OpsLog } from './ops-log';
import { logFailure } from './ops-log';
import type { StatusBoard } from './status';
import type { TerminalPort } from './terminal/service';

export class HostLink {
  constructor(
    private readonly terminals: TerminalPort,
    private readonly status: Pick<StatusBoard, 'hostSeen'>,
    private readonly opsLog: OpsLog,
  ) {}

  signOnInBackground(operatorNo: string): void {
    let open;
    try {
      open = this.terminals.current();
    } catch {
      return; // Closed or being reopened: nothing to sign on with.
    }
    const { terminal, inquiries } = open;
    if (terminal.host.signedOn || inquiries.busy) return;
    terminal.host.signOn(operatorNo).then(
      (result) => {
        this.opsLog.info('host', 'sign-on', { operator: operatorNo, batch: result.batchNo });
        this.status.hostSeen(terminal.host.signedOn, true);
      },
      (err: unknown) => {
        logFailure(this.opsLog, 'host', 'sign-on-failed', err);
        this.status.hostSeen(terminal.host.signedOn, false);
      },
    );
  }
}
