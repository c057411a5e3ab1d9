// The key store's file key sealed by the operating system through Electron's safeStorage:
// DPAPI on Windows, the Keychain on macOS, the Secret Service keyring on Linux. Where Linux
// has no keyring, safeStorage falls back to a fixed key ('basic_text'): that protects nothing,
// so the console keeps its plain 0600 file key instead and says so in the README.
import { safeStorage } from 'electron';
import type { FileKeyProtection } from './core-bridge';

export function osKeyProtection(): FileKeyProtection | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return undefined;
  }
  return {
    kind: 'os',
    seal: (fileKey) => safeStorage.encryptString(fileKey.toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
