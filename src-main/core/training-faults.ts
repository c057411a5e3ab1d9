// Which training faults are armed now, read from the simulators' own plans (so a fault that
// fired and changed, like the roll that ran out mid-slip, shows as what it is now).
import type { TrainingFaultName } from '../contract';
import type { TrainingPeers } from './terminal/types';

export function armedTrainingFaults(
  peers: Pick<TrainingPeers, 'host' | 'printer'>,
): TrainingFaultName[] {
  const host = peers.host.faults.current();
  const printer = peers.printer.faults.current();
  const armed: TrainingFaultName[] = [];
  if (host.drop) armed.push('host-timeout');
  if (host.badMac) armed.push('host-bad-mac');
  if (printer.paperEndAfterBytes !== undefined) armed.push('printer-paper-out-mid-slip');
  if (printer.paperEnd) armed.push('printer-paper-out');
  if (printer.coverOpen) armed.push('printer-cover-open');
  if (printer.offline) armed.push('printer-offline');
  return armed;
}
