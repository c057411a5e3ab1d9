// The pieces `cashier host-sim --wallet-port N` wires: the training simulator with its public
// certificate, reached by the real client pinned to the documented fingerprint, and the typed
// fault commands.
import { afterEach, expect, test } from 'vitest';
import { WalletClient, WalletError } from '../../../../src-main/host/wallet';
import {
  TRAINING_WALLET_TERMINAL,
  TRAINING_WALLET_TLS,
  WALLET_CONTROL_HELP,
  applyWalletControl,
  startWalletHostSim,
  trainingWalletClientOptions,
  type WalletSimulator,
} from '../../../../src-main/sim/wallet';

let sim: WalletSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function trainingClient(url: string): WalletClient {
  const options = trainingWalletClientOptions({ url });
  expect(options).toMatchObject({
    terminalId: TRAINING_WALLET_TERMINAL.terminalId,
    tls: { pinnedSha256: TRAINING_WALLET_TLS.sha256Fingerprint },
  });
  return new WalletClient({ ...options, responseTimeoutMs: 1000 });
}

test('training wiring: banner, a code printed as "sent", balance with it', async () => {
  const lines: string[] = [];
  sim = await startWalletHostSim({ port: 0, log: (l) => lines.push(l) });
  expect(lines[0]).toContain(`https://127.0.0.1:${sim.address.port}`);
  expect(lines[0]).toContain(TRAINING_WALLET_TLS.sha256Fingerprint);
  const client = trainingClient(sim.address.url);
  await client.requestSmsCode('13900000002');
  const code = sim.lastCodeFor('13900000002')!;
  expect(lines[1]).toBe(`短信验证码 / SMS code to 139****0002 (account 13900000002): ${code}`);
  await expect(client.balanceWithSmsCode('13900000002', code)).resolves.toMatchObject({
    holderMasked: '*小红',
    availableFen: 8888,
  });
});

test('typed fault commands change what the client sees', async () => {
  sim = await startWalletHostSim({ port: 0, log: () => {} });
  const client = trainingClient(sim.address.url);
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (e instanceof WalletError ? e.code : String(e)),
    );

  expect(applyWalletControl(sim, 'printer status')).toBeUndefined();
  expect(applyWalletControl(sim, 'wallet help')).toBe(WALLET_CONTROL_HELP);
  expect(applyWalletControl(sim, 'wallet error NOPE')?.en).toContain('unknown error code');

  applyWalletControl(sim, 'wallet error SYSTEM_ERROR');
  expect(await codeOf(client.requestSmsCode('13812345678'))).toBe('SYSTEM_ERROR');
  applyWalletControl(sim, 'wallet error off');
  applyWalletControl(sim, 'wallet badsig on');
  expect(await codeOf(client.requestSmsCode('13812345678'))).toBe('BAD_RESPONSE_SIGNATURE');
  applyWalletControl(sim, 'wallet badsig off');
  applyWalletControl(sim, 'wallet drop on');
  expect(await codeOf(client.requestSmsCode('13700001111'))).toBe('CONNECTION_LOST');
  applyWalletControl(sim, 'wallet drop off');
  applyWalletControl(sim, 'wallet delay 1500');
  expect(sim.faults.current()).toEqual({ delayMs: 1500 });
  expect(await codeOf(client.requestSmsCode('13700001111'))).toBe('RESPONSE_TIMEOUT');
  expect(applyWalletControl(sim, 'wallet clear')?.en).toContain('cleared');
  expect(sim.faults.current()).toEqual({});
  expect(await codeOf(client.requestSmsCode('8800000000000002'))).toBe('ok');
  expect(applyWalletControl(sim, 'wallet codes')?.en).toContain('139****0002');
});
