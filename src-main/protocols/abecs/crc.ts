// CRC-16/XMODEM (poly 1021h, init 0000h, no reflection, no final xor): the ABECS frame check.

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[i] = crc;
  }
  return table;
}

/** Continues `crc` over `data`, so a frame's CRC can be computed in pieces (PKTDATA, then ETB). */
export function crc16Xmodem(data: Uint8Array, crc = 0): number {
  let value = crc & 0xffff;
  for (const byte of data) {
    value = ((value << 8) & 0xffff) ^ TABLE[((value >> 8) ^ byte) & 0xff]!;
  }
  return value;
}
