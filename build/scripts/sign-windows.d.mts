// Types for sign-windows.mjs, so the tests in TypeScript can call it.
export interface SigningSettings {
  pfx?: string;
  password?: string;
  sha1?: string;
  machineStore: boolean;
  timestampUrl: string;
  signtool: string;
}

export interface SignTask {
  path: string;
  hash?: string;
  name?: string;
}

export interface SignDeps {
  env?: Record<string, string | undefined>;
  platform?: string;
  run?: (file: string, args: string[], options: { windowsHide: boolean }) => Promise<unknown>;
}

export function signingSettings(env?: Record<string, string | undefined>): SigningSettings | null;
export function signtoolArgs(
  file: string,
  settings: SigningSettings,
  options?: { hash?: string; description?: string },
): string[];
export function sign(
  configuration: SignTask,
  packager?: unknown,
  deps?: SignDeps,
): Promise<boolean>;
export default sign;
