// The one typed API between the renderer and the core: the channels, joined. Method names, the
// dispatch's checks, the preload's functions and the renderer's `CashierApi` all come from here.
import type { ArgsOf, ChannelSpec, MethodSpec, ResultOf } from './channel';
import { adminChannel } from './channels/admin';
import { hardwareChannel } from './channels/hardware';
import { diagnosticsChannel } from './channels/diagnostics';
import { inquiryChannel } from './channels/inquiry';
import { logChannel } from './channels/log';
import { sessionChannel } from './channels/session';
import { setupChannel } from './channels/setup';
import { trainingChannel } from './channels/training';
import { reviewChannel } from './channels/review';
import { auditChannel } from './channels/audit';

export type { Role } from './views';

/** Every channel, by name. A method name is unique across all of them. */
export const apiChannels = {
  session: sessionChannel,
  setup: setupChannel,
  inquiry: inquiryChannel,
  log: logChannel,
  admin: adminChannel,
  hardware: hardwareChannel,
  diagnostics: diagnosticsChannel,
  training: trainingChannel,
  review: reviewChannel,
  audit: auditChannel,
} as const;

type Channels = typeof apiChannels;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;
type Joined = UnionToIntersection<Channels[keyof Channels]>;

/** Every method's definition, by method name. */
export type ApiSpecs = { [M in keyof Joined]: Joined[M] };

function join(channels: Record<string, ChannelSpec>): Record<string, MethodSpec> {
  const methods: Record<string, MethodSpec> = {};
  for (const [channelName, methodsOfChannel] of Object.entries(channels)) {
    for (const [name, spec] of Object.entries(methodsOfChannel)) {
      if (Object.hasOwn(methods, name)) {
        throw new Error(`API method ${name} is defined twice (again in ${channelName})`);
      }
      methods[name] = spec;
    }
  }
  return methods;
}

export const apiSpecs = join(apiChannels) as ApiSpecs;

export type ApiMethod = keyof ApiSpecs & string;
export type ApiArgs<M extends ApiMethod> = ArgsOf<ApiSpecs[M]>;
/** Result type of every method, keyed by name. */
export type ApiResults = { [M in ApiMethod]: ResultOf<ApiSpecs[M]> };

/** The API as the renderer sees it: one async function per method. */
export type CashierApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]>;
};

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiSpecs, name);
}
