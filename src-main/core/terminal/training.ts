// Composition root of training mode: the same wiring as live, against built-in simulators
// started here in-process (host and wallet simulators and the printer emulator on loopback TCP,
// the PIN pad emulator at the far end of an in-memory serial cable). Training has its own data:
// keys, trace and batch numbers live in `training/` under the data folder, so a training day can
// never touch the live terminal master key or trace number.
import path from 'node:path';
import { FileTerminalState, SoftwareKeyStore } from '../../host';
import { startHostSimulator } from '../../sim/host';
import {
  startTrainingPinpad,
  TRAINING_MASTER_KEY_HEX,
  TRAINING_MASTER_KEY_INDEX,
} from '../../sim/pinpad';
import { startPrinterEmulator } from '../../sim/printer';
import {
  startTrainingWalletSimulator,
  trainingWalletClientOptions,
} from '../../sim/wallet/training';
import type { SentSmsCode } from '../../sim/wallet';
import type { CashierConfig } from '../config';
import { assembleTerminal } from './assemble';
import type { TerminalOpenOptions } from './live';
import type { Terminal } from './types';

/** Training mode's own data folder. */
export function trainingDataDir(dataDir: string): string {
  return path.join(dataDir, 'training');
}

export async function openTrainingTerminal(
  config: CashierConfig,
  dataDir: string,
  options: TerminalOpenOptions = {},
): Promise<Terminal> {
  const dir = trainingDataDir(dataDir);
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const hostSim = await startHostSimulator({ port: 0 });
    closers.push(() => hostSim.close());
    // The training TMK is public (the simulators' README); it goes into training's own store.
    const keyStore = new SoftwareKeyStore(path.join(dir, 'keys'));
    keyStore.setMasterKey(Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex'));

    const smsCodes: SentSmsCode[] = [];
    const walletSim = await startTrainingWalletSimulator({
      port: 0,
      onCodeSent: (sent) => smsCodes.unshift(sent),
    });
    closers.push(() => walletSim.close());

    const printerSim = await startPrinterEmulator({
      tcpPort: 0,
      paper: config.printer.paperWidthMm,
    });
    closers.push(() => printerSim.close());

    const trainingPad = await startTrainingPinpad({ protocol: config.pinpad.protocol });
    closers.push(() => trainingPad.close());

    return assembleTerminal({
      mode: 'training',
      config,
      keyStore,
      state: new FileTerminalState(path.join(dir, 'terminal-state.json')),
      host: { host: '127.0.0.1', port: hostSim.address.port },
      pinpadPath: trainingPad.address.hostPath,
      // The emulated pads hold the training master key in this slot, for the bank and the wallet.
      masterKeyIndex: TRAINING_MASTER_KEY_INDEX,
      walletMasterKeyIndex: TRAINING_MASTER_KEY_INDEX,
      wallet: trainingWalletClientOptions(walletSim.address),
      printer:
        config.printer.target === 'none'
          ? null
          : { kind: 'tcp', host: '127.0.0.1', port: printerSim.address.port },
      training: {
        host: hostSim,
        wallet: walletSim,
        printer: printerSim,
        pinpad: trainingPad,
        smsCodes,
      },
      closers,
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
}
