// What a review flag says, in both languages, from its rule and the figures it keeps.
import type { Bilingual, ReviewRule } from '../../contract';
import type { FlagDraft } from '../../store';

type Detail = FlagDraft['detail'];
const num = (d: Detail, k: string): number => Number(d[k] ?? 0);
const str = (d: Detail, k: string): string => String(d[k] ?? '');

function kindWords(d: Detail): { en: string; zh: string } {
  return str(d, 'accountKind') === 'wallet'
    ? { en: 'payment account', zh: '支付账户' }
    : { en: 'card', zh: '银行卡' };
}

const WORDS: Record<ReviewRule, (f: FlagDraft) => Bilingual> = {
  'repeat-account': ({ subject, detail: d }) => {
    const kind = kindWords(d);
    return {
      en: `The same ${kind.en} ${subject} was asked ${num(d, 'asks')} times within ${num(d, 'minutes')} min (limit: ${num(d, 'limit')} in ${num(d, 'window')} min)`,
      zh: `同一${kind.zh} ${subject} 在 ${num(d, 'minutes')} 分钟内查询了 ${num(d, 'asks')} 次（阈值：${num(d, 'window')} 分钟内 ${num(d, 'limit')} 次）`,
    };
  },
  'card-testing': ({ subject, detail: d }) => ({
    en: `Wrong PIN (55) on ${num(d, 'cards')} different cards in a row: possible card testing (${subject})`,
    zh: `连续 ${num(d, 'cards')} 张不同的银行卡密码错误（55）：可能有人在试卡（${subject.split(', ').join('、')}）`,
  }),
  'after-hours': ({ operatorNo, detail: d }) => ({
    en: `${num(d, 'inquiries')} inquiries by operator ${operatorNo ?? ''} outside business hours (${str(d, 'open')}–${str(d, 'close')})`,
    zh: `操作员 ${operatorNo ?? ''} 在营业时间（${str(d, 'open')}–${str(d, 'close')}）以外查询了 ${num(d, 'inquiries')} 笔`,
  }),
  'operator-rate': ({ operatorNo, detail: d }) => ({
    en: `Operator ${operatorNo ?? ''}: ${num(d, 'failedOrCancelled')} of ${num(d, 'inquiries')} inquiries failed or cancelled (${num(d, 'rate')}%, others ${num(d, 'othersRate')}%)`,
    zh: `操作员 ${operatorNo ?? ''} 的 ${num(d, 'inquiries')} 笔查询中有 ${num(d, 'failedOrCancelled')} 笔失败或取消（${num(d, 'rate')}%，其他操作员 ${num(d, 'othersRate')}%）`,
  }),
  'outcome-unknown': ({ subject, txIds }) => ({
    en: `Inquiry ${txIds[0] ?? ''} (${subject}) has no outcome: the console stopped before the bank answered was recorded`,
    zh: `查询 ${txIds[0] ?? ''}（${subject}）结果未知：收银台在记录银行应答之前停止了`,
  }),
  'late-first-print': ({ subject, txIds, detail: d }) => ({
    en: `The slip of inquiry ${txIds[0] ?? ''} (${subject}) was never printed at the counter, but printed from the log ${num(d, 'minutes')} min later`,
    zh: `查询 ${txIds[0] ?? ''}（${subject}）当时未打印凭条，却在 ${num(d, 'minutes')} 分钟后从日志补打`,
  }),
};

export function flagText(flag: FlagDraft): Bilingual {
  const words = WORDS[flag.rule as ReviewRule];
  return words ? words(flag) : { en: flag.rule, zh: flag.rule };
}
