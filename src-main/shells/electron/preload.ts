// Preload (sandboxed): exposes one function per API method and one event subscription,
// nothing generic: the page can never name an arbitrary IPC channel. The method names come from
// the contract's channels; the build puts the list itself into this bundle in place of
// contract/method-names.ts (build/scripts/bundle-main.mjs), so no schema library comes along.
import { contextBridge, ipcRenderer } from 'electron';
import { isApiEventName } from '../../contract/events';
import { apiMethodNames } from '../../contract/method-names';

const call = Object.fromEntries(
  apiMethodNames.map((method) => [
    method,
    (args: unknown) => ipcRenderer.invoke(`cashier:${method}`, args),
  ]),
);

contextBridge.exposeInMainWorld('cashierBridge', {
  call,
  onEvent(name: unknown, listener: unknown): void {
    if (!isApiEventName(name) || typeof listener !== 'function') return;
    ipcRenderer.on('cashier:event', (_event, message: { event: string; payload: unknown }) => {
      if (message.event === name) (listener as (payload: unknown) => void)(message.payload);
    });
  },
});
