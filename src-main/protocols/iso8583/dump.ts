// A readable one-field-per-line dump for logs: PAN masked to first 6 / last 4, track data,
// PIN block, MAC, keys, chip data and expiry hidden.
import { maskPan } from '../../common';
import type { FieldTable } from './field-spec';
import type { IsoMessage } from './message';

export function dumpMessage(message: IsoMessage, fields: FieldTable): string {
  const lines = [`MTI ${message.mti}`];
  const numbers = [...message.fields.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    const spec = fields[n];
    const value = message.fields.get(n)!;
    const name = spec?.name ?? 'undefined';
    const label = `[${n.toString().padStart(3, '0')}] ${name}`;
    const len = Buffer.isBuffer(value) ? `${value.length} bytes` : `${value.length}`;
    let shown: string;
    switch (spec?.sensitivity ?? 'secret') {
      case 'pan':
        shown = maskPan(String(value));
        break;
      case 'track': {
        // Show only the masked PAN part of the track, never the rest.
        const pan = String(value).split('=')[0] ?? '';
        shown = `${maskPan(pan)}=***`;
        break;
      }
      case 'secret':
        shown = '***';
        break;
      default:
        shown = Buffer.isBuffer(value) ? value.toString('hex').toUpperCase() : `'${value}'`;
    }
    lines.push(`${label} (${len}): ${shown}`);
  }
  return lines.join('\n');
}
