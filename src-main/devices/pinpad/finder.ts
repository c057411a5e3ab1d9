// For the installing engineer: watch the serial ports and say which ones answer as a PIN pad,
// so a freshly plugged pad shows up in a pick list with its protocol.
import { EventEmitter } from 'node:events';
import { detectPinpadProtocol, type DetectedProtocol } from '../serial/detect';
import { SerialDiscovery, type DiscoveryOptions, type PortDescriptor } from '../serial/discovery';

export interface FoundPinpad {
  port: PortDescriptor;
  /** undefined: the port exists but no PIN pad protocol answered (or it is in use). */
  protocol: DetectedProtocol | undefined;
}

interface FinderEvents {
  found: [FoundPinpad];
  lost: [PortDescriptor];
  error: [Error];
}

export interface PinpadFinderOptions extends DiscoveryOptions {
  detectTimeoutMs?: number;
}

export class PinpadFinder extends EventEmitter<FinderEvents> {
  private readonly discovery: SerialDiscovery;
  private readonly known = new Map<string, FoundPinpad>();
  private readonly detectTimeoutMs: number;

  constructor(options: PinpadFinderOptions = {}) {
    super();
    this.discovery = new SerialDiscovery(options);
    this.detectTimeoutMs = options.detectTimeoutMs ?? 1500;
    this.discovery.on('added', (port) => void this.probe(port));
    this.discovery.on('removed', (port) => {
      this.known.delete(port.path);
      this.emit('lost', port);
    });
    this.discovery.on('error', (e) => this.emit('error', e));
  }

  /** Everything found so far. */
  get pinpads(): FoundPinpad[] {
    return [...this.known.values()];
  }

  async start(): Promise<void> {
    await this.discovery.start();
  }

  stop(): void {
    this.discovery.stop();
  }

  private async probe(port: PortDescriptor): Promise<void> {
    // A port held by a running driver cannot be probed; it is listed without a protocol.
    const protocol = await detectPinpadProtocol(port.path, {
      timeoutMs: this.detectTimeoutMs,
    }).catch(() => undefined);
    if (!this.discovery.ports.some((p) => p.path === port.path)) return; // gone meanwhile
    const found = { port, protocol };
    this.known.set(port.path, found);
    this.emit('found', found);
  }
}
