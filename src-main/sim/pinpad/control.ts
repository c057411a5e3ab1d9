// Text commands that drive a running emulator: used by `cashier pinpad-sim` on stdin, handy
// for an engineer at a terminal. The training UI calls the emulator methods directly.
import type { EmulatorFaults, EmulatorKey } from './base';
import type { PinpadEmulator } from './index';

export const PINPAD_CONTROL_HELP = [
  'key 0-9|enter|clear|cancel     press one key',
  'type DIGITS                    type digits then ENTER',
  'swipe|insert|tap CARD_ID       present a card; remove: take the chip card out',
  'cards                          list card ids',
  'fault corrupt N | noack N | noresponse N | slow MS | unplug-on CMD | cancel | timeout [MS] | clear',
  'unplug | replug                pull / restore the cable',
].join('\n');

const KEYS = new Set([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  'enter',
  'clear',
  'cancel',
]);

/** Applies one control line; returns the reply to print, or undefined for an unknown command. */
export async function applyPinpadControl(
  emulator: PinpadEmulator,
  line: string,
  faults: EmulatorFaults,
): Promise<string | undefined> {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest[0];
  try {
    switch (word) {
      case 'help':
        return PINPAD_CONTROL_HELP;
      case 'key':
        if (!arg || !KEYS.has(arg)) return 'key 0-9|enter|clear|cancel';
        emulator.pressKey(arg as EmulatorKey);
        return `ok: ${arg === 'enter' || arg === 'clear' || arg === 'cancel' ? arg : 'digit'}`;
      case 'type':
        if (!arg || !/^\d+$/.test(arg)) return 'type DIGITS';
        for (const d of arg) emulator.pressKey(d as EmulatorKey);
        emulator.pressKey('enter');
        return `ok: ${arg.length} digits + enter`;
      case 'swipe':
      case 'insert':
      case 'tap':
        if (!arg) return `${word} CARD_ID`;
        emulator.presentCard(arg, word);
        return `ok: ${word} ${arg}`;
      case 'remove':
        emulator.removeCard();
        return 'ok: card removed';
      case 'cards':
        return emulator.cardList
          .map((c) => `${c.id} (${c.kinds.join(', ')}) ${c.maskedPan}`)
          .join('\n');
      case 'unplug':
        await emulator.unplug();
        return 'ok: unplugged';
      case 'replug':
        await emulator.replug();
        return 'ok: plugged in';
      case 'fault': {
        const value = rest[1];
        switch (arg) {
          case 'corrupt':
            faults.corruptCheck = Number(value ?? 1);
            break;
          case 'noack':
            faults.noAck = Number(value ?? 1);
            break;
          case 'noresponse':
            faults.noResponse = Number(value ?? 1);
            break;
          case 'slow':
            faults.slowBytesMs = Number(value ?? 5);
            break;
          case 'unplug-on':
            if (!value) return 'fault unplug-on CMD';
            faults.unplugOn = value.toUpperCase();
            break;
          case 'cancel':
            faults.cardholderCancel = true;
            break;
          case 'timeout':
            faults.timeout = true;
            faults.promptTimeoutMs = Number(value ?? 60_000);
            break;
          case 'clear':
            for (const k of Object.keys(faults)) delete faults[k as keyof EmulatorFaults];
            break;
          default:
            return 'fault corrupt N | noack N | noresponse N | slow MS | unplug-on CMD | cancel | timeout [MS] | clear';
        }
        emulator.setFaults(faults);
        return `ok: faults ${JSON.stringify(faults)}`;
      }
      default:
        return undefined;
    }
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}
