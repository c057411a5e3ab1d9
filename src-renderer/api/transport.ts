// How calls leave the renderer: Electron IPC through the preload bridge, or the browser
// shell's WebSocket. Chosen once at start-up; the rest of the renderer never knows which.
import type { ApiCallOutcome } from '../../src-main/contract';

export type CallOutcome = ApiCallOutcome;

export interface Transport {
  call(method: string, args: unknown): Promise<CallOutcome>;
  onEvent(name: string, listener: (payload: unknown) => void): void;
  /** Called with false when the link to the core drops, true when it is back; returns the
   * function that stops it. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

interface ElectronBridge {
  call: Record<string, (args: unknown) => Promise<CallOutcome>>;
  onEvent(name: string, listener: (payload: unknown) => void): void;
  /** Electron's IPC never drops; a bridge whose link can (the component tests' fake console)
   * says so here. */
  onConnectionChange?(listener: (connected: boolean) => void): () => void;
}

declare global {
  interface Window {
    cashierBridge?: ElectronBridge;
    /** The socket public/early-socket.js opened at start-up, for the transport to take over. */
    cashierEarlySocket?: WebSocket;
  }
}

export function ipcTransport(bridge: ElectronBridge): Transport {
  return {
    call(method, args) {
      const fn = bridge.call[method];
      if (!fn) return Promise.reject(new Error(`No such method: ${method}`));
      return fn(args);
    },
    onEvent: (name, listener) => bridge.onEvent(name, listener),
    onConnectionChange: (listener) => bridge.onConnectionChange?.(listener) ?? (() => {}),
  };
}

const RECONNECT_DELAY_MS = 1000;
/** After this many failed reconnects in a row, ask whether the console refuses this tab. */
const RELOAD_CHECK_EVERY = 5;

export function webSocketTransport(url: string): Transport {
  const pending = new Map<number, (outcome: CallOutcome) => void>();
  const eventListeners = new Map<string, Array<(payload: unknown) => void>>();
  const connectionListeners: Array<(connected: boolean) => void> = [];
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<void>;

  const lostOutcome = (): CallOutcome => ({
    ok: false,
    error: {
      name: 'ApiError',
      code: 'INTERNAL',
      message: 'Lost the connection to the console service. Try again.',
      messageZh: '与收银台服务的连接已断开，请重试。',
    },
  });

  function connect(): void {
    socket = window.cashierEarlySocket ?? new WebSocket(url);
    delete window.cashierEarlySocket;
    // Settled when this socket opens or closes: a call waiting on it then goes out, or fails.
    let settle!: () => void;
    opened = new Promise((resolve) => (settle = resolve));
    const onOpen = () => {
      failures = 0;
      settle();
      connectionListeners.forEach((l) => l(true));
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as {
        id?: number;
        event?: string;
        payload?: unknown;
      } & CallOutcome;
      if (typeof data.id === 'number') {
        pending.get(data.id)?.(data);
        pending.delete(data.id);
      } else if (typeof data.event === 'string') {
        eventListeners.get(data.event)?.forEach((l) => l(data.payload));
      }
    });
    const onClose = () => {
      settle();
      for (const resolve of pending.values()) resolve(lostOutcome());
      pending.clear();
      connectionListeners.forEach((l) => l(false));
      failures++;
      if (failures % RELOAD_CHECK_EVERY === 0) void reloadIfRefused();
      setTimeout(connect, RECONNECT_DELAY_MS);
    };
    socket.addEventListener('close', onClose);
    // The early socket may have opened, or closed, before it was taken over: its event is gone.
    if (socket.readyState === WebSocket.OPEN) onOpen();
    else if (socket.readyState === WebSocket.CLOSED) onClose();
  }

  // A console that restarted on this port lets this tab back in with the cookie it holds. One
  // that no longer knows the cookie (a new data folder) never will: show its own page then,
  // which says how to open the console, instead of "reconnecting" for ever.
  let failures = 0;
  async function reloadIfRefused(): Promise<void> {
    const res = await fetch('/', { cache: 'no-store' }).catch(() => null);
    if (res?.status === 401) location.reload();
  }
  connect();

  return {
    async call(method, args) {
      await opened;
      // Closed (before or after it opened): the call fails as one cut off would, at once.
      if (socket.readyState !== WebSocket.OPEN) return lostOutcome();
      const id = nextId++;
      return new Promise<CallOutcome>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, args }));
      });
    },
    onEvent(name, listener) {
      eventListeners.set(name, [...(eventListeners.get(name) ?? []), listener]);
    },
    onConnectionChange(listener) {
      connectionListeners.push(listener);
      return () => {
        const at = connectionListeners.indexOf(listener);
        if (at >= 0) connectionListeners.splice(at, 1);
      };
    },
  };
}

export function chooseTransport(): Transport {
  if (window.cashierBridge) return ipcTransport(window.cashierBridge);
  // The address public/early-socket.js opens too: the page's own host (the shell checks Origin).
  return webSocketTransport(`ws://${location.host}/api`);
}
