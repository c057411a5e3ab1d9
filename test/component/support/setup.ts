// Runs before each component test file: the fake console takes the preload bridge's place, so
// the renderer's client (src-renderer/api) chooses it as its transport when a screen loads.
import { FakeConsole } from './fake-api';

globalThis.fakeConsole = new FakeConsole();
window.cashierBridge = globalThis.fakeConsole.bridge;
// Chinese first, as a new till starts.
localStorage.clear();
