// Run by index.html before the renderer's bundle, as it is (not bundled, so that it runs while
// the browser is still fetching and compiling the screens): in the browser shell the WebSocket
// to the console handshakes meanwhile, and the first call (getAppState, which the login waits
// for) goes out as soon as the renderer's code runs. transport.ts takes this socket over. The
// Electron window talks over IPC instead (its preload sets cashierBridge first).
if (!window.cashierBridge) {
  window.cashierEarlySocket = new WebSocket(`ws://${location.host}/api`);
}
