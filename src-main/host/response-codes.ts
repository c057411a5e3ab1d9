// Response codes (F39) of the UnionPay-style POS dialect with their class and the words a
// cashier reads. Classes drive behaviour: sign-on-again codes re-sign on and retry once.
export type ResponseClass =
  'success' | 'sign-on-again' | 'decline' | 'retry' | 'terminal' | 'timeout';

export interface ResponseCodeInfo {
  code: string;
  class: ResponseClass;
  zh: string;
  en: string;
}

const table: ReadonlyArray<[string, ResponseClass, string, string]> = [
  ['00', 'success', '交易成功', 'Approved'],
  ['01', 'decline', '请持卡人与发卡银行联系', 'Refer to card issuer'],
  ['03', 'terminal', '无效商户', 'Invalid merchant'],
  ['04', 'decline', '此卡被没收', 'Pick up card'],
  ['05', 'decline', '持卡人认证失败', 'Do not honour'],
  ['12', 'decline', '无效交易', 'Invalid transaction'],
  ['13', 'decline', '无效金额', 'Invalid amount'],
  ['14', 'decline', '无效卡号（无此账号）', 'Invalid card number'],
  ['15', 'decline', '此卡无对应发卡方', 'No such issuer'],
  ['22', 'retry', '操作有误，请重试', 'Suspected malfunction, try again'],
  ['25', 'decline', '未能找到原始交易', 'Unable to locate record'],
  ['30', 'retry', '报文格式错误，请重试', 'Format error'],
  ['33', 'decline', '过期的卡，请没收', 'Expired card, pick up'],
  ['34', 'decline', '有作弊嫌疑的卡', 'Suspected fraud'],
  ['40', 'decline', '发卡方不支持的交易', 'Function not supported'],
  ['41', 'decline', '挂失卡', 'Lost card'],
  ['43', 'decline', '被窃卡', 'Stolen card'],
  ['51', 'decline', '余额不足', 'Insufficient funds'],
  ['54', 'decline', '过期的卡', 'Expired card'],
  ['55', 'decline', '密码错误', 'Incorrect PIN'],
  ['57', 'decline', '不允许此卡的交易', 'Transaction not permitted to cardholder'],
  ['58', 'terminal', '终端不允许此交易', 'Transaction not permitted to terminal'],
  ['59', 'decline', '有作弊嫌疑', 'Suspected fraud'],
  ['61', 'decline', '超出金额限制', 'Exceeds amount limit'],
  ['62', 'decline', '受限制的卡', 'Restricted card'],
  ['65', 'decline', '超出次数限制', 'Exceeds frequency limit'],
  ['68', 'timeout', '交易超时，请重试', 'Response received too late'],
  ['75', 'decline', '密码错误次数超限', 'PIN tries exceeded'],
  ['77', 'sign-on-again', '批次号不符，请重新签到', 'Batch mismatch, sign on again'],
  ['90', 'retry', '日切处理中，请稍后重试', 'Cut-off in progress'],
  ['91', 'retry', '发卡方暂不能处理，请稍后重试', 'Issuer inoperative'],
  ['92', 'retry', '银行网络故障，请稍后重试', 'Issuer unreachable'],
  ['94', 'decline', '重复交易', 'Duplicate transmission'],
  ['96', 'decline', '系统故障', 'System malfunction'],
  ['97', 'terminal', '终端未登记', 'Terminal not registered'],
  ['98', 'timeout', '发卡方超时', 'Issuer timeout'],
  ['99', 'sign-on-again', 'PIN格式错，请重新签到', 'PIN format error, sign on again'],
  ['A0', 'sign-on-again', 'MAC校验错，请重新签到', 'MAC error, sign on again'],
];

const byCode = new Map<string, ResponseCodeInfo>(
  table.map(([code, cls, zh, en]) => [code, { code, class: cls, zh, en }]),
);

/** Every known code, for screens and documentation. */
export const responseCodes: readonly ResponseCodeInfo[] = [...byCode.values()];

/** Looks up a response code; an unknown code is a decline with a neutral text. */
export function lookupResponseCode(code: string): ResponseCodeInfo {
  const known = byCode.get(code.toUpperCase());
  if (known) return known;
  return {
    code,
    class: 'decline',
    zh: `交易失败（应答码 ${code}）`,
    en: `Declined (response code ${code})`,
  };
}

export function needsSignOnAgain(code: string): boolean {
  return lookupResponseCode(code).class === 'sign-on-again';
}
