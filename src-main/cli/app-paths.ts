// Paths of the installed package, found from the bundled CLI at dist/main/cli.cjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}

export function appVersion(): string {
  return process.env.npm_package_version ?? '0.1.0';
}
