// Clean-room bank host (server side) for the UnionPay-style POS ISO 8583 link.
// Written only from shared/reference/cup-pos-8583.md; every choice the reference leaves open is
// listed in README.md ("Choices").
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import {
  FrameReader,
  IsoCodecError,
  decodeBody,
  encodeBody,
  encodeFrame,
  formatBalance,
  fromHex,
  hex,
  splitFrame,
  swapTpdu,
  type FieldMap,
  type FieldValue,
} from './codec.js';
import {
  buildF62,
  desDecrypt,
  randomWorkingKeys,
  readPinBlock,
  unionPayEcbMac,
  type KeyScheme,
  type WorkingKeys,
} from './crypto.js';

export interface PeerHostCard {
  pan: string;
  pin: string;
  ledgerFen: number;
  availableFen: number;
  /** ISO 4217 numeric, default '156' (CNY). */
  currency?: string;
  /** YYMM; informational only (the host does not check expiry). */
  expiry?: string;
}

export interface PeerBankHostOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve TLS instead of plain TCP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Terminal master key, 32 hex (double-length 3DES). */
  tmk: string;
  /** F62 layout the host answers with (default: the one the terminal asks for in 60.3). */
  keyScheme?: KeyScheme;
  /** If set, any other terminal / merchant gets 97. */
  terminalId?: string;
  merchantId?: string;
  cards: PeerHostCard[];
}

export interface PeerExchangeMessage {
  mti: string;
  fields: Record<number, string | Buffer>;
}

export interface PeerExchange {
  request: PeerExchangeMessage;
  response: PeerExchangeMessage | null;
  /** 0200 only: whether F64 was present and verified with the session MAK. */
  macValid?: boolean;
  /** The request frame as received (LEN included). */
  requestFrame: Buffer;
  /** The response frame as sent (LEN included). */
  responseFrame?: Buffer;
  /** Set when the request could not be decoded. */
  error?: string;
}

export interface PeerBankHost {
  readonly port: number;
  /** Every request, decoded, in order, and the response sent. */
  readonly exchanges: ReadonlyArray<PeerExchange>;
  /** The clear working keys of the last sign-on (hex), for test assertions. */
  readonly workingKeys: { pik: string; mak: string; tdk?: string } | undefined;
  /** Next balance inquiry answered with this code (e.g. '96'), once. */
  forceNextResponseCode(code: string): void;
  /** Stop answering (a silent host) until set back to false. */
  setSilent(silent: boolean): void;
  close(): Promise<void>;
}

/** F32 sent by this host: 11 digits on purpose, so the odd-length LLVAR n padding is exercised. */
export const HOST_ACQUIRER_ID = '01020001000';
/** F44 sent with approvals: issuer ans11 + acquirer ans11 (made-up institution codes). */
export const HOST_F44 = '01020000   03010000   ';
/** Header processing requirement "3: sign on again". */
const SIGN_ON_AGAIN = 3;
const SIGN_ON_AGAIN_CODES = new Set(['A0', '99', '77']);

interface Session {
  scheme: KeyScheme;
  keys: WorkingKeys;
  batch: string;
}

interface Reply {
  mti: string;
  fields: FieldMap;
  /** Append F64 computed with this MAK. */
  macKey?: Buffer;
  processingRequirement: number;
}

function str(v: FieldValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function pick(fields: FieldMap, nos: number[]): FieldMap {
  const out: FieldMap = {};
  for (const n of nos) if (fields[n] !== undefined) out[n] = fields[n]!;
  return out;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

export async function startPeerBankHost(options: PeerBankHostOptions): Promise<PeerBankHost> {
  const tmk = fromHex(options.tmk);
  if (tmk.length !== 16) throw new Error('tmk must be 32 hex digits (double-length key)');
  for (const c of options.cards) {
    if (!/^\d{12,19}$/.test(c.pan)) throw new Error(`bad card PAN ${c.pan}`);
  }

  const exchanges: PeerExchange[] = [];
  const sessions = new Map<string, Session>();
  const sockets = new Set<net.Socket>();
  let workingKeys: { pik: string; mak: string; tdk?: string } | undefined;
  let forced: string | undefined;
  let silent = false;
  let rrnCounter = 0;

  const sessionKey = (f: FieldMap): string =>
    `${(str(f[41]) ?? '').trimEnd()}\u0000${(str(f[42]) ?? '').trimEnd()}`;

  const terminalKnown = (f: FieldMap): boolean => {
    const tid = str(f[41]);
    const mid = str(f[42]);
    if (tid === undefined || mid === undefined) return false;
    if (options.terminalId !== undefined && tid.trimEnd() !== options.terminalId) return false;
    if (options.merchantId !== undefined && mid.trimEnd() !== options.merchantId) return false;
    return true;
  };

  const clock = (): FieldMap => {
    const d = new Date();
    return {
      12: `${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`,
      13: `${two(d.getMonth() + 1)}${two(d.getDate())}`,
    };
  };

  const nextRrn = (): string => {
    rrnCounter = (rrnCounter % 999_999) + 1;
    const d = new Date();
    return `${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}${String(rrnCounter).padStart(6, '0')}`;
  };

  const responseMti = (mti: string): string => `${mti.slice(0, 2)}${Number(mti[2]) + 1}${mti[3]}`;

  // ---- 0800 sign-on -------------------------------------------------------------------------
  const signOn = (f: FieldMap): Reply => {
    const base: FieldMap = { ...pick(f, [11]), ...clock(), 32: HOST_ACQUIRER_ID, 37: nextRrn() };
    const echo = pick(f, [41, 42, 60]);
    const answer = (code: string, extra: FieldMap = {}): Reply => ({
      mti: '0810',
      fields: { ...base, ...echo, 39: code, ...extra },
      processingRequirement: SIGN_ON_AGAIN_CODES.has(code) ? SIGN_ON_AGAIN : 0,
    });
    if (!terminalKnown(f)) return answer('97');
    const f60 = str(f[60]);
    if (f60 === undefined || f60.length < 11) return answer('30');
    const requested = f60.slice(8, 11);
    const scheme =
      options.keyScheme ??
      (['001', '003', '004'].includes(requested) ? (requested as KeyScheme) : undefined);
    if (scheme === undefined) return answer('40');
    const keys = randomWorkingKeys(scheme);
    sessions.set(sessionKey(f), { scheme, keys, batch: f60.slice(2, 8) });
    workingKeys = { pik: hex(keys.pik), mak: hex(keys.mak) };
    if (keys.tdk) workingKeys.tdk = hex(keys.tdk);
    return answer('00', { 62: buildF62(scheme, keys, tmk) });
  };

  // ---- 0200 financial (balance inquiry) -----------------------------------------------------
  const financial = (
    f: FieldMap,
    body: Buffer,
    macOffset: number | undefined,
    exchange: PeerExchange,
  ): Reply => {
    const echo = pick(f, [2, 3, 11, 14, 22, 23, 25, 26, 41, 42, 49, 53, 60]);
    const base: FieldMap = { ...echo, ...clock(), 32: HOST_ACQUIRER_ID, 37: nextRrn() };
    const answer = (code: string, macKey?: Buffer, extra: FieldMap = {}): Reply => ({
      mti: '0210',
      fields: { ...base, 39: code, ...extra },
      macKey,
      processingRequirement: SIGN_ON_AGAIN_CODES.has(code) ? SIGN_ON_AGAIN : 0,
    });

    exchange.macValid = false;
    if (!terminalKnown(f)) return answer('97');
    const session = sessions.get(sessionKey(f));
    // Not signed on: no MAK to check with, so the MAC is by definition unverifiable -> A0.
    if (!session) return answer('A0');
    const mac = f[64];
    if (!Buffer.isBuffer(mac) || macOffset === undefined) return answer('A0');
    const expected = unionPayEcbMac(session.keys.mak, body.subarray(0, macOffset));
    if (!expected.equals(mac)) return answer('A0');
    exchange.macValid = true;
    const mak = session.keys.mak;

    const f3 = str(f[3]);
    if (f3 === undefined || !f3.startsWith('31')) return answer('40', mak);
    const f60 = str(f[60]);
    if (f60 === undefined || f60.length < 8) return answer('30', mak);
    if (f60.slice(2, 8) !== session.batch) return answer('77', mak);

    if (forced !== undefined) {
      const code = forced;
      forced = undefined;
      return answer(code, mak);
    }

    const track2 = str(f[35]);
    const pan = str(f[2]) ?? (track2 !== undefined ? track2.split('=')[0] : undefined);
    const card = pan !== undefined ? options.cards.find((c) => c.pan === pan) : undefined;
    if (pan === undefined || card === undefined) return answer('14', mak);

    const f52 = f[52];
    if (!Buffer.isBuffer(f52)) return answer('55', mak); // a balance inquiry needs a PIN
    const f53 = str(f[53]);
    const withPan = f53 === undefined || f53[0] !== '1';
    const block = readPinBlock(desDecrypt(session.keys.pik, f52), withPan ? pan : undefined);
    if (!block.ok) return answer('99', mak);
    if (block.pin !== card.pin) return answer('55', mak);

    const currency = card.currency ?? '156';
    const accountType = f3.slice(2, 4) === '00' ? '10' : f3.slice(2, 4);
    const f54 =
      formatBalance({ accountType, amountType: '01', currency, signedFen: card.ledgerFen }) +
      formatBalance({ accountType, amountType: '02', currency, signedFen: card.availableFen });
    const extra: FieldMap = { 44: HOST_F44, 54: f54 };
    if (Buffer.isBuffer(f[55])) {
      // Issuer authentication data, tag 91: 8 bytes ARPC (random here) + ARC "00".
      extra[55] = Buffer.concat([Buffer.from([0x91, 0x0a]), randomBytes(8), Buffer.from('00')]);
    }
    return answer('00', mak, extra);
  };

  // ---- 0820 network management ---------------------------------------------------------------
  const network = (f: FieldMap): Reply => {
    const fields: FieldMap = { ...pick(f, [11]), ...clock(), ...pick(f, [41, 42, 60]) };
    const answer = (code: string): Reply => ({
      mti: '0830',
      fields: { ...fields, 39: code },
      processingRequirement: 0,
    });
    if (!terminalKnown(f)) return answer('97');
    const f60 = str(f[60]);
    const code = f60 !== undefined && f60.length >= 11 ? f60.slice(8, 11) : undefined;
    if (code === undefined || code === '301') return answer('00'); // echo test
    if (code === '002') {
      sessions.delete(sessionKey(f)); // sign-off
      return answer('00');
    }
    return answer('40');
  };

  // ---- dispatch -------------------------------------------------------------------------------
  const send = (socket: net.Socket, reqTpdu: Buffer, reqHeader: Buffer, reply: Reply): Buffer => {
    let body: Buffer;
    if (reply.macKey) {
      const withPlaceholder = encodeBody({
        mti: reply.mti,
        fields: { ...reply.fields, 64: Buffer.alloc(8) },
      });
      const macStart = withPlaceholder.length - 8;
      unionPayEcbMac(reply.macKey, withPlaceholder.subarray(0, macStart)).copy(
        withPlaceholder,
        macStart,
      );
      body = withPlaceholder;
    } else {
      body = encodeBody({ mti: reply.mti, fields: reply.fields });
    }
    const header = Buffer.from(reqHeader);
    header[2] = (header[2]! & 0xf0) | reply.processingRequirement;
    const frame = encodeFrame({ tpdu: swapTpdu(reqTpdu), header, body });
    socket.write(frame);
    return frame;
  };

  const handleFrame = (socket: net.Socket, frame: Buffer): void => {
    const exchange: PeerExchange = {
      request: { mti: '', fields: {} },
      response: null,
      requestFrame: frame,
    };
    exchanges.push(exchange);
    let reply: Reply | null;
    let tpdu: Buffer;
    let header: Buffer;
    try {
      const parts = splitFrame(frame);
      tpdu = parts.tpdu;
      header = parts.header;
      const decoded = decodeBody(parts.body);
      exchange.request = { mti: decoded.mti, fields: decoded.fields };
      const f = decoded.fields;
      const mti = decoded.mti;
      if (mti === '0800') reply = signOn(f);
      else if (mti === '0200') reply = financial(f, parts.body, decoded.offsets[64], exchange);
      else if (mti === '0820') reply = network(f);
      else if (Number(mti[2]) % 2 === 0) {
        reply = {
          mti: responseMti(mti),
          fields: { ...pick(f, [3, 11]), ...clock(), ...pick(f, [41, 42]), 39: '40' },
          processingRequirement: 0,
        };
      } else reply = null; // a response sent to the host: nothing to answer
    } catch (e) {
      const err = e as Error;
      exchange.error = err.message;
      const partial = err instanceof IsoCodecError ? err.partial : undefined;
      if (partial) exchange.request = { mti: partial.mti ?? '', fields: partial.fields };
      if (silent) return;
      if (!partial?.mti || Number(partial.mti[2]) % 2 !== 0 || frame.length < 13) {
        socket.destroy(); // no MTI to answer (or a broken response): drop the link
        return;
      }
      tpdu = frame.subarray(2, 7);
      header = frame.subarray(7, 13);
      reply = {
        mti: responseMti(partial.mti),
        fields: { ...pick(partial.fields, [11, 41, 42]), 39: '30' },
        processingRequirement: 0,
      };
    }
    if (silent || reply === null) return;
    const sent = send(socket, tpdu, header, reply);
    exchange.responseFrame = sent;
    const decodedResponse = decodeBody(splitFrame(sent).body);
    exchange.response = { mti: decodedResponse.mti, fields: decodedResponse.fields };
  };

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (socket.destroyed) return;
        handleFrame(socket, frame);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };

  const server: net.Server = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onConnection)
    : net.createServer(onConnection);
  if (options.tls) {
    server.on('tlsClientError', (_err: Error, s: tls.TLSSocket) => s.destroy());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    exchanges,
    get workingKeys() {
      return workingKeys;
    },
    forceNextResponseCode(code: string) {
      if (!/^[0-9A-Z]{2}$/.test(code)) throw new Error(`bad response code ${code}`);
      forced = code;
    },
    setSilent(value: boolean) {
      silent = value;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
