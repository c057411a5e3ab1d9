// Diagnostics: the bank host link (sign-on, echo test) and the operational log.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs } from '../fields';

export const diagnosticsChannel = channel({
  /** 0800 sign-on: downloads working keys and the batch number. */
  signOn: {
    access: 'operator',
    args: noArgs(),
    result: returns<SignOnView>(),
  },
  /** Host echo test with its latency. */
  hostEcho: {
    access: 'operator',
    args: noArgs(),
    result: returns<{ latencyMs: number; responseCode: string }>(),
  },
  /** The newest lines of the operational log. */
  opsLogTail: {
    access: 'supervisor',
    args: z.object({ lines: z.number().int().min(1).max(200).optional() }).strict(),
    result: returns<{ file: string; lines: OpsLogLineView[] }>(),
  },
});

export interface SignOnView {
  batchNo: string;
  checkValues: { pik: string; mak: string };
  /** Check value of the terminal master key the working keys were checked under. */
  tmkCheckValue: string | null;
}

/** One line of the operational log as Diagnostics shows it. */
export interface OpsLogLineView {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  area: string;
  event: string;
  detail: string;
}
