// Typed serial errors with the words a cashier understands.

export type SerialErrorCode = 'PORT_MISSING' | 'OPEN_FAILED' | 'NOT_OPEN' | 'WRITE_FAILED' | 'LOST';

const zh: Record<SerialErrorCode, string> = {
  PORT_MISSING: '找不到串口，请检查连接线',
  OPEN_FAILED: '串口无法打开，可能被其他程序占用',
  NOT_OPEN: '设备未连接，请检查连接线',
  WRITE_FAILED: '向设备发送数据失败，请检查连接线',
  LOST: '设备连接已断开，请检查连接线',
};

export class SerialError extends Error {
  override readonly name = 'SerialError';
  readonly messageZh: string;
  constructor(
    readonly code: SerialErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.messageZh = zh[code];
  }
}
