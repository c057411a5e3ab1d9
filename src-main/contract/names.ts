// Method and event names as plain data, free of any schema library, so the Electron preload
// can expose one function per method without bundling the validators.
export const apiMethodNames = [
  'getAppState',
  'createFirstSupervisor',
  'login',
  'logout',
  'signOn',
  'startCardInquiry',
  'cancelInquiry',
  'requestWalletCode',
  'startWalletInquiry',
  'printSlip',
  'slipPreview',
  'searchLog',
  'verifyLog',
  'dailySummary',
  'hostEcho',
  'opsLogTail',
  'trainingPinpad',
  'trainingFault',
  'applyChanges',
  'trainingInfo',
  // Operators, settings, first run, log export
  'listOperators',
  'createOperator',
  'resetOperatorPassword',
  'unlockOperator',
  'changeOwnPassword',
  'getSettings',
  'saveSettings',
  'getFirstRunDefaults',
  'completeFirstRun',
  'exportLog',
  // Devices screen and device self-tests
  'listDevices',
  'detectPinpad',
  'testPinpad',
  'printTestPage',
  'assignDevice',
] as const;
export type ApiMethod = (typeof apiMethodNames)[number];

export const apiEventNames = ['status', 'inquiry', 'session'] as const;
export type ApiEventName = (typeof apiEventNames)[number];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (apiMethodNames as readonly string[]).includes(name);
}

export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && (apiEventNames as readonly string[]).includes(name);
}
