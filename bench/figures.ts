// Figures a bench reports for `npm run bench`'s summary table: each one a JSON line appended to
// the file named by BENCH_FIGURES (build/scripts/run-benches.mjs sets it), with its goal and,
// where there is one, the peer measured in the same run (a raw SQLite insert, the npm iso_8583
// codec, a one-input page in Chromium). Run alone, a bench just prints its own lines.
import { appendFileSync } from 'node:fs';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The goal as text, e.g. '<= 5' (compared by the runner), or '' for a plain figure. */
  goal: string;
  peer?: { name: string; value: number };
}

export function recordFigure(
  name: string,
  value: number,
  unit: string,
  goal = '',
  peer?: { name: string; value: number },
): void {
  const file = process.env.BENCH_FIGURES;
  if (!file) return;
  const figure: Figure = { name, value, unit, goal, ...(peer ? { peer } : {}) };
  appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

/** The p-th percentile of ascending samples (nearest rank). */
export function percentile(sortedSamples: number[], p: number): number {
  if (sortedSamples.length === 0) return NaN;
  const i = Math.min(sortedSamples.length - 1, Math.floor((p / 100) * sortedSamples.length));
  return sortedSamples[i]!;
}
