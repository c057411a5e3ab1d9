// Handlers of the review channel: the rules run (ReviewService) before flags are read, so the
// supervisor's Home count and the Review screen show today's findings; acknowledging a flag and
// marking a day reviewed are audited by the store; a thresholds change is audited here.
import type { ReviewFlagView, ReviewRule, reviewChannel } from '../../contract';
import type { ReviewFlag, Store } from '../../store';
import { flagText, type ReviewService } from '../review';
import { settingChanges } from '../setting-words';
import type { ChannelHandlers } from './types';

/** Home and the Review screen ask often; findings this recent are shown as they are. */
const FRESH_ENOUGH_MS = 10_000;

export interface ReviewDeps {
  review: Store['review'];
  service: ReviewService;
  audit: Store['audit'];
  operators: Pick<Store['operators'], 'list'>;
}

export function reviewHandlers(deps: ReviewDeps): ChannelHandlers<typeof reviewChannel> {
  const { review, service, audit } = deps;

  async function views(flags: ReviewFlag[]): Promise<ReviewFlagView[]> {
    const byNo = new Map((await deps.operators.list()).map((o) => [o.operatorNo, o.name]));
    return flags.map((f) => ({
      id: f.id,
      rule: f.rule as ReviewRule,
      day: f.day,
      at: new Date(f.at).toISOString(),
      operatorNo: f.operatorNo,
      operatorName: f.operatorNo ? (byNo.get(f.operatorNo) ?? null) : null,
      subject: f.subject,
      transactionIds: f.txIds,
      text: flagText(f),
      acknowledgedAt: f.acknowledgedAt,
      acknowledgedBy: f.acknowledgedBy,
      note: f.note,
    }));
  }

  const actor = (operator: { id: number; operatorNo: string }) => ({
    operatorId: operator.id,
    operatorNo: operator.operatorNo,
  });

  return {
    reviewSummary: async () => {
      await service.refresh(FRESH_ENOUGH_MS);
      return {
        openFlags: await review.openCount(),
        unreviewedDays: await review.days({ unreviewed: true }),
      };
    },

    listReviewFlags: async (args) => {
      await service.refresh(FRESH_ENOUGH_MS);
      return views(
        await review.listFlags({
          ...(args.day ? { day: args.day } : {}),
          ...(args.open !== undefined ? { open: args.open } : {}),
        }),
      );
    },

    acknowledgeReviewFlag: async (args, { operator }) => {
      const flag = await review.acknowledge(args.id, args.note, actor(operator));
      return (await views([flag]))[0]!;
    },

    markDayReviewed: async (args, { operator }) =>
      review.markDayReviewed(args.day, args.note ?? '', actor(operator)),

    getReviewSettings: () => service.settings(),

    saveReviewSettings: async (args, { operator }) => {
      const before = await service.settings();
      const changed = await service.saveSettings(args);
      if (changed.length > 0) {
        await audit.record({
          kind: 'config-change',
          operatorId: operator.id,
          operatorNo: operator.operatorNo,
          detail: {
            fields: changed,
            // The names are review.<rule>.<field>: read from the thresholds under `review`.
            changes: settingChanges({ review: before }, { review: args }, changed),
            source: 'ui',
          },
        });
      }
      return { settings: await service.settings(), changed };
    },
  };
}
