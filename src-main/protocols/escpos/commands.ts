// ESC/POS byte sequences this project sends or answers. Kept in one place so the driver,
// the slip renderer and the emulator agree on the exact bytes.

export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;

/** The four real-time status queries DLE EOT n. */
export type StatusQuery = 1 | 2 | 3 | 4;
export const STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

/** DLE EOT n: answered with one byte in real time, even while offline. */
export function realtimeStatusRequest(n: StatusQuery): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** GS r 1: answered (paper sensor byte) only once everything before it was processed. */
export const TRANSMIT_PAPER_STATUS = Uint8Array.of(GS, 0x72, 0x01);

/**
 * GS r 1 reply: bit pattern 0xx0xx00. Bits 0-1 paper near end, bits 2-3 paper end.
 * Bit 4 is always 0, which tells it apart from a DLE EOT reply (bit 4 always 1).
 */
export function isPaperStatusReply(byte: number): boolean {
  return (byte & 0x90) === 0x00;
}
