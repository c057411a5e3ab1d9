// The printer as a network printer (raw TCP, "port 9100"): one connection is served at a time;
// a second client waits (its socket paused) until the first closes. Replies go to the connection
// being served; what the host sent stays in the printer after it disconnects.
import net from 'node:net';
import { PeerEscPosPrinter, type PeerPrinterOptions } from './printer.js';

export interface PeerEscPosTcp {
  readonly printer: PeerEscPosPrinter;
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startPeerEscPosTcp(
  options: PeerPrinterOptions & { port?: number; host?: string } = {},
): Promise<PeerEscPosTcp> {
  const printer = new PeerEscPosPrinter(options);
  const host = options.host ?? '127.0.0.1';
  const waiting: net.Socket[] = [];
  const sockets = new Set<net.Socket>();
  let active: net.Socket | undefined;
  let connections = 0;

  const serve = (socket: net.Socket): void => {
    active = socket;
    printer.setOutput((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    socket.on('data', (chunk) => printer.receive(chunk));
    socket.resume();
  };
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      const i = waiting.indexOf(socket);
      if (i >= 0) waiting.splice(i, 1);
      if (active !== socket) return;
      active = undefined;
      printer.setOutput(undefined);
      const next = waiting.shift();
      if (next) serve(next);
    });
    if (active) waiting.push(socket);
    else serve(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  return {
    printer,
    host,
    port: address.port,
    get connections() {
      return connections;
    },
    close: async () => {
      printer.setOutput(undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
