// A fake console behind the renderer's own transport: it stands where the Electron preload
// bridge stands (window.cashierBridge), so the screens run their real client code. Handlers
// and events are typed from the contract: a handler answers exactly its method's result type.
import type {
  ApiArgs,
  ApiErrorCode,
  ApiErrorData,
  ApiEventName,
  ApiEvents,
  ApiMethod,
  ApiResults,
} from '../../../src-main/contract';

export type FakeHandlers = {
  [M in ApiMethod]?: (args: ApiArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;
};

/** Thrown by a handler: the screen gets this refusal as the console would send it. */
export class FakeRefusal extends Error {
  readonly data: ApiErrorData;
  constructor(code: ApiErrorCode, message: string, messageZh: string) {
    super(message);
    this.data = { name: 'ApiError', code, message, messageZh };
  }
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };

export class FakeConsole {
  private handlers: FakeHandlers = {};
  private readonly listeners = new Map<string, Array<(payload: unknown) => void>>();
  /** Every call the screens made, in order. */
  readonly calls: Array<{ method: string; args: unknown }> = [];

  /** The bridge the renderer's transport picks up at start-up. */
  readonly bridge = {
    call: new Proxy({} as Record<string, (args: unknown) => Promise<Outcome>>, {
      get: (_target, method) => (args: unknown) => this.answer(String(method), args),
    }),
    onEvent: (name: string, listener: (payload: unknown) => void) => {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    },
    onConnectionChange: (listener: (connected: boolean) => void) => {
      this.connectionListeners.add(listener);
      return () => void this.connectionListeners.delete(listener);
    },
  };
  private readonly connectionListeners = new Set<(connected: boolean) => void>();

  /** The link to the console drops (false) or is back (true), as the browser shell's socket. */
  connection(up: boolean): void {
    for (const listener of [...this.connectionListeners]) listener(up);
  }

  /** How many listen for the link now (a component that stopped listening is gone). */
  get connectionListenerCount(): number {
    return this.connectionListeners.size;
  }

  /** Replaces the handlers (each test says what its console answers). */
  reset(handlers: FakeHandlers): void {
    this.handlers = handlers;
    this.calls.length = 0;
  }

  /** The console pushes an event to this window. */
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  callsOf<M extends ApiMethod>(method: M): ApiArgs<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as ApiArgs<M>);
  }

  private async answer(method: string, args: unknown): Promise<Outcome> {
    this.calls.push({ method, args });
    const handler = (this.handlers as Record<string, ((args: unknown) => unknown) | undefined>)[
      method
    ];
    if (!handler) {
      return {
        ok: false,
        error: {
          name: 'ApiError',
          code: 'INTERNAL',
          message: `the fake console has no ${method}`,
          messageZh: `测试控制台未实现 ${method}`,
        },
      };
    }
    try {
      return { ok: true, result: await handler(args) };
    } catch (err) {
      if (err instanceof FakeRefusal) return { ok: false, error: err.data };
      throw err;
    }
  }
}

declare global {
  var fakeConsole: FakeConsole;
}

/** The one fake console of this test file (installed by setup.ts before any screen loads). */
export function fakeConsole(): FakeConsole {
  return globalThis.fakeConsole;
}
