// The browser shell's transport takes over the WebSocket that public/early-socket.js opened
// before the renderer's code ran (so that the login's first call does not wait for a
// handshake), whatever state that socket is in by then: open, still connecting, or closed. A
// real WebSocket server on 127.0.0.1 answers, and counts the connections.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { webSocketTransport } from '../../../src-renderer/api/transport';

// The page's globals, from Node: ws's client has the browser's WebSocket interface (readyState,
// OPEN, addEventListener) that the transport uses.
Object.assign(globalThis, { window: globalThis, WebSocket: NodeWebSocket });

let server: WebSocketServer;
let url = '';
let connections = 0;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  server.on('connection', (ws) => {
    connections++;
    ws.on('message', (data) => {
      const { id, method } = JSON.parse(String(data)) as { id: number; method: string };
      ws.send(JSON.stringify({ id, ok: true, result: `${method} answered` }));
    });
  });
});

afterAll(() => {
  for (const ws of server.clients) ws.terminate();
  server.close();
});

function opened(socket: NodeWebSocket): Promise<void> {
  return new Promise((resolve) => socket.addEventListener('open', () => resolve()));
}

describe('the early socket', () => {
  it('is used when it opened before the transport took it (no second connection)', async () => {
    const before = connections;
    const early = new NodeWebSocket(url);
    await opened(early);
    window.cashierEarlySocket = early as unknown as WebSocket;
    const transport = webSocketTransport(url);
    expect(window.cashierEarlySocket).toBeUndefined();
    expect(await transport.call('getAppState', {})).toMatchObject({
      ok: true,
      result: 'getAppState answered',
    });
    expect(connections - before).toBe(1);
  });

  it('is used while it is still connecting', async () => {
    const before = connections;
    window.cashierEarlySocket = new NodeWebSocket(url) as unknown as WebSocket;
    const transport = webSocketTransport(url);
    expect(await transport.call('ping', {})).toMatchObject({ ok: true, result: 'ping answered' });
    expect(connections - before).toBe(1);
  });

  it('that closed before it was taken: calls fail at once until the transport connects again', async () => {
    const early = new NodeWebSocket(url);
    await opened(early);
    early.close();
    await new Promise((resolve) => early.addEventListener('close', resolve));
    window.cashierEarlySocket = early as unknown as WebSocket;
    const transport = webSocketTransport(url);
    const changes: boolean[] = [];
    transport.onConnectionChange((up) => changes.push(up));
    // Not left waiting for a socket that is gone: the words of a lost connection.
    expect(await transport.call('ping', {})).toMatchObject({
      ok: false,
      error: { messageZh: '与收银台服务的连接已断开，请重试。' },
    });
    // A second later (RECONNECT_DELAY_MS) it is connected again, and calls go through.
    await expect.poll(() => changes, { timeout: 5000 }).toEqual([true]);
    expect(await transport.call('ping', {})).toMatchObject({ ok: true, result: 'ping answered' });
  });
});

describe('connection listeners', () => {
  it('a listener that stopped hears no more drops or reconnects; the others do', async () => {
    const transport = webSocketTransport(url);
    const kept: boolean[] = [];
    const stopped: boolean[] = [];
    transport.onConnectionChange((up) => kept.push(up));
    const stop = transport.onConnectionChange((up) => stopped.push(up));
    await expect.poll(() => kept, { timeout: 5000 }).toEqual([true]);
    stop();
    // The console drops this tab's socket: the transport connects again a second later.
    const before = connections;
    for (const ws of server.clients) ws.terminate();
    await expect.poll(() => kept, { timeout: 5000 }).toEqual([true, false, true]);
    expect(connections - before).toBeGreaterThanOrEqual(1);
    expect(stopped).toEqual([true]);
  });
});
