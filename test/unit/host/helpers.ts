// Shared set-up for host client tests: a real simulator on 127.0.0.1 port 0, a software key
// store and trace state in a fresh temp folder, and a PIN block built the way a PIN pad does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tdesEncryptEcb } from '../../../src-main/crypto/des';
import { pinBlockFormat0 } from '../../../src-main/crypto/pin-block';
import { BankHostClient, type BankHostOptions } from '../../../src-main/host/client';
import { SoftwareKeyStore } from '../../../src-main/host/key-store';
import { FileTerminalState } from '../../../src-main/host/terminal-state';
import {
  startHostSimulator,
  type HostSimulator,
  type HostSimulatorOptions,
} from '../../../src-main/sim/host/server';

export interface Rig {
  sim: HostSimulator;
  client: BankHostClient;
  keys: SoftwareKeyStore;
  dir: string;
  /** Encrypted format 0 PIN block, as the PIN pad would send it. */
  pinBlock(pin: string, pan: string): Buffer;
  stop(): Promise<void>;
}

export async function makeRig(
  simOpts: HostSimulatorOptions = {},
  clientOpts: Partial<BankHostOptions> = {},
): Promise<Rig> {
  const sim = await startHostSimulator(simOpts);
  const dir = mkdtempSync(join(tmpdir(), 'host-client-'));
  const keys = new SoftwareKeyStore(dir);
  keys.setMasterKey(Buffer.from(sim.config.tmk, 'hex'));
  const client = new BankHostClient({
    host: '127.0.0.1',
    port: sim.address.port,
    terminalId: 'T0000001',
    merchantId: '898310048160001',
    keys,
    state: new FileTerminalState(join(dir, 'terminal-state.json')),
    connectTimeoutMs: 2000,
    responseTimeoutMs: 1500,
    ...clientOpts,
  });
  return {
    sim,
    client,
    keys,
    dir,
    pinBlock: (pin, pan) => tdesEncryptEcb(keys.clearKeys().pik, pinBlockFormat0(pin, pan)),
    stop: async () => {
      await client.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CARD = { pan: '6222020200112233446', pin: '123456', expiry: '3012' };
export const track2Of = (pan: string, expiry: string) => `${pan}=${expiry}1010000000000`;
