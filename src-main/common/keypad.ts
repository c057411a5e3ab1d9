// The keys of a PIN pad's keypad, as the training panel and the simulator control name them.
export const KEYPAD_KEYS = [
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
] as const;

export type KeypadKey = (typeof KEYPAD_KEYS)[number];
