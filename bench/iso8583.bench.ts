// ISO 8583 codec throughput: pack + unpack of a 0200 balance inquiry per second, beside the npm
// `iso_8583` package on the comparable ASCII message (it has no BCD dialect), with the ratio.
import { createRequire } from 'node:module';
import { cupPosPackager, isoMessage } from '../src-main/protocols/iso8583';
import { recordFigure } from './figures';

interface Iso8583Lib {
  new (
    data?: Record<string, string>,
    formats?: Record<string, unknown>,
  ): {
    getBufferMessage(): Buffer;
    getIsoJSON(buf: Buffer, config: Record<string, unknown>): Record<string, string>;
  };
}
const Iso8583 = createRequire(import.meta.url)('iso_8583') as Iso8583Lib;

const PAN = '6222020200112233446';
const TRACK2 = `${PAN}=30121010000000000`;

function measure(label: string, fn: () => void, seconds = 3): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(58)} ${Math.round(perSec).toLocaleString('en-US').padStart(10)} /s`);
  return perSec;
}

// Ours: the dialect's BCD/binary 0200 with the fields a swipe inquiry carries.
const ours = isoMessage('0200', {
  2: PAN,
  3: '310000',
  11: '000123',
  14: '3012',
  22: '021',
  25: '00',
  26: '12',
  35: TRACK2,
  41: 'T0000001',
  42: '898310048160001',
  49: '156',
  52: Buffer.from('1122334455667788', 'hex'),
  53: '2600000000000000',
  60: '0100000100060',
  64: Buffer.from('8A9E91B8'),
});
const oursPacked = cupPosPackager.pack(ours);

// iso_8583: the same fields, ASCII encoding (its only mode).
const theirData: Record<string, string> = {
  0: '0200',
  2: PAN,
  3: '310000',
  11: '000123',
  14: '3012',
  22: '021',
  25: '00',
  26: '12',
  35: TRACK2.replace('=', 'D'),
  41: 'T0000001',
  42: '898310048160001',
  49: '156',
  52: '1122334455667788',
  53: '2600000000000000',
  60: '0100000100060',
  64: '8A9E91B8',
};
const theirFormats = { 53: { ContentType: 'n', Label: 'sec', LenType: 'fixed', MaxLen: 16 } };
const theirPacked = new Iso8583(theirData, theirFormats).getBufferMessage();
const check = new Iso8583(undefined, theirFormats).getIsoJSON(theirPacked, {});
if (check['35'] !== theirData[35]) throw new Error('iso_8583 did not round-trip the message');

console.log(
  `message sizes: ours ${oursPacked.length} bytes (BCD), iso_8583 ${theirPacked.length} bytes (ASCII)`,
);
const a = measure('cup-pos codec: pack + unpack 0200', () => {
  cupPosPackager.unpack(cupPosPackager.pack(ours));
});
const b = measure('iso_8583 npm: pack + unpack comparable 0200 (ASCII)', () => {
  new Iso8583(undefined, theirFormats).getIsoJSON(
    new Iso8583(theirData, theirFormats).getBufferMessage(),
    {},
  );
});
measure('cup-pos codec: pack only', () => cupPosPackager.pack(ours), 1);
measure('cup-pos codec: unpack only', () => cupPosPackager.unpack(oursPacked), 1);
console.log(`ratio ours / iso_8583 (pack + unpack): ${(a / b).toFixed(2)}x`);
recordFigure('ISO 8583 pack + unpack 0200', a, '/s', '', { name: 'npm iso_8583', value: b });
