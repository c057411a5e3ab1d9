// Follows the progress events of one inquiry. Events can arrive before the call that started
// the inquiry returns its id, so the latest event of every inquiry is kept until the screen
// knows which one is its own.
import type { InquiryProgress } from '../../src-main/contract';
import { onApiEvent } from './client';

export interface InquiryFollower {
  readonly inquiryId: number;
  follow(inquiryId: number): void;
  stop(): void;
}

export function followInquiry(
  onProgress: (progress: InquiryProgress | null) => void,
): InquiryFollower {
  const latest: Record<number, InquiryProgress> = {};
  let current = 0;
  const stop = onApiEvent('inquiry', (next) => {
    latest[next.inquiryId] = next;
    if (next.inquiryId === current) onProgress(next);
  });
  return {
    get inquiryId() {
      return current;
    },
    follow(inquiryId) {
      current = inquiryId;
      onProgress(latest[inquiryId] ?? null);
    },
    stop,
  };
}
