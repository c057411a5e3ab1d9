// The one shape of every simulator (bank host, wallet host, receipt printer, PIN pads):
//
//   const sim = await startX(options);   // listening / on its port when this resolves
//   sim.address                          // where it is: TCP, HTTPS or a serial path
//   sim.faults.set({ ... })              // a declarative fault plan, the same four verbs
//   await sim.close();
//
// A fault plan is a plain object of knobs (README.md beside this file lists them all); a knob
// that is absent is off. Counting knobs (`times`, `corruptCheck`...) count down as the simulator
// uses them, and `current()` shows what is left.

export interface TcpAddress {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface HttpsAddress {
  kind: 'https';
  host: string;
  port: number;
  /** `https://<host>:<port>` */
  url: string;
}

export interface SerialAddress {
  kind: 'serial';
  /** The end the simulated device sits on. */
  path: string;
  /** The end the cashier software opens, when the simulator knows its cable (training). */
  hostPath?: string;
}

export type SimAddress = TcpAddress | HttpsAddress | SerialAddress;

export interface FaultControl<Plan extends object> {
  /** This plan from now on, replacing the one in force; `{}` (or nothing) clears it. */
  set(plan?: Plan): void;
  /** Changes the knobs given and keeps the others; a knob given as undefined or false goes. */
  update(patch: Plan): void;
  /** No faults. */
  clear(): void;
  /** A copy of the plan in force, counters as far as they are used up. */
  current(): Plan;
}

export interface Simulator<Plan extends object, Address extends SimAddress = SimAddress> {
  readonly address: Address;
  readonly faults: FaultControl<Plan>;
  /** Stops serving and frees the port; the simulator cannot be started again. */
  close(): Promise<void>;
}

/** Off knobs (undefined, false) are left out, so a plan shows only what is on. */
function tidy<Plan extends object>(plan: Plan): Plan {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if (value === undefined || value === false) continue;
    out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return out as Plan;
}

/**
 * The fault plan of one simulator. The simulator reads `active` on every request and records
 * what it used up with `record()`; `onChange` runs after a change from outside (the printer
 * resumes printing when its cover is closed).
 */
export class FaultPlan<Plan extends object> implements FaultControl<Plan> {
  private plan: Plan;

  constructor(
    initial?: Plan,
    private readonly onChange?: () => void,
  ) {
    this.plan = tidy(initial ?? ({} as Plan));
  }

  /** The plan in force, for the simulator itself (not a copy: do not change it). */
  get active(): Readonly<Plan> {
    return this.plan;
  }

  /** Whether any knob is on. */
  get any(): boolean {
    return Object.keys(this.plan).length > 0;
  }

  set(plan?: Plan): void {
    this.plan = tidy(plan ?? ({} as Plan));
    this.onChange?.();
  }

  update(patch: Plan): void {
    this.plan = tidy({ ...this.plan, ...patch });
    this.onChange?.();
  }

  clear(): void {
    this.set();
  }

  current(): Plan {
    return tidy(this.plan);
  }

  /** For the simulator: a fault used up (a counter down, a one-shot knob gone). */
  record(patch: Plan): void {
    this.plan = tidy({ ...this.plan, ...patch });
  }
}
