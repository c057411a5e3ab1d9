// The browser shell's fuzzers (test/fuzz/web-shell-fuzz.ts), a small seeded run against the
// built `cashier serve` in a child process: no crash, no unanswered valid call, no finding.
// `npm run fuzz` runs the same fuzzers at full size (100,000 frames and request lines).
import { expect, it } from 'vitest';
import { formatReport, runWebShellFuzz } from '../../../fuzz/web-shell-fuzz';

it('survives a few thousand mutated HTTP requests and WebSocket frames', async () => {
  const report = await runWebShellFuzz({ seed: 1, frames: 2_500, requests: 1_500, batch: 250 });
  console.log(formatReport(report));
  expect(report.http.requests).toBeGreaterThanOrEqual(1_500);
  expect(report.ws.mutatedFrames).toBeGreaterThanOrEqual(2_500);
  expect(report.problems).toEqual([]);
  expect(report.http.crashes + report.ws.crashes).toBe(0);
  expect(report.http.unanswered + report.ws.unanswered).toBe(0);
  expect(report.http.findings + report.ws.findings).toBe(0);
  expect(report.validCalls).toBe(report.http.batches + report.ws.batches);
}, 180_000);
