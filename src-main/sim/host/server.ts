// The host simulator's TCP (optionally TLS) server: 2-byte length framing, one SimulatedHost
// shared by every connection, the fault plan applied per request. Shaped like every simulator
// (../simulator.ts): startHostSimulator(options) → { address, faults, close() }.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { LengthPrefixedFramer } from '../../protocols/iso8583/length-framer';
import { withLengthHeader } from '../../protocols/iso8583/frame';
import type { Simulator, TcpAddress } from '../simulator';
import { defaultHostSimConfig, type HostSimConfig } from './config';
import { HostFaultPlan, type HostSimFaults } from './faults';
import { SimulatedHost, type SimStats } from './logic';

export interface HostSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Card table, TMK...; the built-in training config when absent. */
  config?: HostSimConfig;
  /** Serve TLS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  faults?: HostSimFaults;
  /** One line per request, PAN never included. */
  log?: (line: string) => void;
  now?: () => Date;
}

export interface HostSimulator extends Simulator<HostSimFaults, TcpAddress> {
  readonly config: HostSimConfig;
  readonly stats: SimStats;
  /** Moves a terminal to another batch (its next inquiry is answered 77). */
  setBatch(terminalId: string, batch: string): void;
  /** Forgets a terminal's working keys (its next inquiry is answered A0). */
  forgetKeys(terminalId: string): void;
  resetPinTries(): void;
}

export async function startHostSimulator(opts: HostSimulatorOptions = {}): Promise<HostSimulator> {
  const config = opts.config ?? defaultHostSimConfig();
  const sim = new SimulatedHost(config, opts.now);
  const plan = new HostFaultPlan(opts.faults);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new LengthPrefixedFramer();
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const body of bodies) {
        // MTI sits after LEN-less TPDU (5) + header (6).
        const mti = body.length >= 13 ? body.toString('hex', 11, 13) : '';
        const faults = plan.take(mti);
        const answer = sim.handle(body, faults);
        opts.log?.(
          `host-sim ${mti} -> ${'body' in answer ? 'answer' : 'close'}${faults ? ' (faults)' : ''}`,
        );
        if (!('body' in answer)) {
          socket.destroy();
          return;
        }
        if (faults?.drop) continue;
        const frame = withLengthHeader(answer.body);
        const send = (): void => {
          if (socket.destroyed) return;
          if (faults?.closeMidFrame) {
            socket.end(frame.subarray(0, Math.max(3, frame.length >> 1)));
            socket.destroySoon();
            return;
          }
          socket.write(frame);
        };
        if (faults?.delayMs) {
          const t = setTimeout(() => {
            timers.delete(t);
            send();
          }, faults.delayMs);
          timers.add(t);
        } else {
          send();
        }
      }
    });
  };

  const server: Server = opts.tls
    ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, onConnection)
    : createTcpServer(onConnection);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    address: { kind: 'tcp', host, port },
    faults: plan,
    config,
    stats: sim.stats,
    setBatch: (t, b) => sim.setBatch(t, b),
    forgetKeys: (t) => sim.forgetKeys(t),
    resetPinTries: () => sim.resetPinTries(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
