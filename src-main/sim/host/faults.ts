// Fault knobs of the host simulator, for tests and for training the "what if" screens
// (all simulators' knobs: ../README.md).
import { FaultPlan } from '../simulator';

export interface HostSimFaults {
  /** Wait this long before answering. */
  delayMs?: number;
  /** Read the request and never answer. */
  drop?: boolean;
  /** Send the first half of the answer frame, then close the connection. */
  closeMidFrame?: boolean;
  /** Answer with a different trace number (F11) than the request had. */
  wrongStan?: boolean;
  /** Answer with a corrupted MAC (F64). */
  badMac?: boolean;
  /** Set the answer header's processing requirement to 3 (sign on again). */
  requireSignOn?: boolean;
  /** Answer every request with this response code (F39). */
  forceResponseCode?: string;
  /** Apply only to requests with these MTIs (e.g. ['0200']); all when absent. */
  mti?: string[];
  /** Apply to the next N matching requests only, then clear; forever when absent. */
  times?: number;
}

/** The host's plan: decides, request by request, whether the faults apply, and counts `times`. */
export class HostFaultPlan extends FaultPlan<HostSimFaults> {
  /** The faults for a request of this MTI (using up one of `times`), or none. */
  take(mti: string): HostSimFaults | undefined {
    const f = this.active;
    if (!this.any) return undefined;
    if (f.times !== undefined && f.times <= 0) return undefined;
    if (f.mti && !f.mti.includes(mti)) return undefined;
    const taken = this.current();
    if (f.times !== undefined) {
      if (f.times <= 1) this.set();
      else this.record({ times: f.times - 1 });
    }
    return taken;
  }
}
