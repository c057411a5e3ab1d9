// ABECS status codes and TLV identifiers used by this application (spec 2.12 names).

/** RSP_STAT values (spec 2.12 §3.1.1); the spec's own name is in each comment. */
export const AbecsStatus = {
  /** ST_OK */
  OK: 0,
  /** ST_NOSEC */
  NO_SECURE_CHANNEL: 3,
  /** ST_F1 .. ST_F4 */
  F1: 4,
  F2: 5,
  F3: 6,
  F4: 7,
  /** ST_BACKSP */
  BACKSPACE: 8,
  /** ST_ERRPKTSEC */
  SECURE_PACKET_ERROR: 9,
  /** ST_INVCALL */
  INVALID_CALL: 10,
  /** ST_INVPARM */
  INVALID_PARAMETER: 11,
  /** ST_TIMEOUT */
  TIMEOUT: 12,
  /** ST_CANCEL */
  CANCELLED: 13,
  /** ST_MANDAT */
  MISSING_PARAMETER: 19,
  /** ST_TABVERDIF: the EMV tables' version differs from the one expected. */
  TABLE_VERSION_DIFFERS: 20,
  /** ST_TABERR: the EMV tables could not be written. */
  TABLE_ERROR: 21,
  /** ST_INTERR */
  INTERNAL_ERROR: 40,
  /** ST_MCDATAERR */
  MAGSTRIPE_ERROR: 41,
  /** ST_ERRKEY */
  KEY_MISSING: 42,
  /** ST_NOCARD */
  NO_CARD: 43,
  /** ST_PINBUSY */
  PIN_BUSY: 44,
  /** ST_RSPOVRFL */
  RESPONSE_OVERFLOW: 45,
  /** ST_ERRCRYPT */
  CRYPTO_ERROR: 46,
  /** ST_NOSAM */
  NO_SAM: 51,
  /** ST_DUMBCARD: first of the card statuses (060-087). */
  DUMB_CARD: 60,
  /** ST_CARDAPPNAV: no chip application available (also what a pad without EMV tables answers). */
  CARD_APP_NOT_AVAILABLE: 70,
  /** ST_CTLSIFCHG: last of the card statuses. */
  CTLS_INTERFACE_CHANGE: 87,
} as const;

export const Spe = {
  MTHDPIN: 0x0002,
  MTHDDAT: 0x0003,
  TAGLIST: 0x0004,
  EMVDATA: 0x0005,
  CEXOPT: 0x0006,
  TRACKS: 0x0007,
  KEYIDX: 0x0009,
  WKENC: 0x000a,
  TIMEOUT: 0x000c,
  ACQREF: 0x0010,
  APPTYPE: 0x0011,
  AMOUNT: 0x0013,
  TRNDATE: 0x0015,
  TRNTIME: 0x0016,
  GCXOPT: 0x0017,
  GOXOPT: 0x0018,
  FCXOPT: 0x0019,
  DSPMSG: 0x001b,
  ARC: 0x001c,
  TRNTYPE: 0x0021,
  TRNCURR: 0x0022,
  PANMASK: 0x0023,
} as const;

export const Pp = {
  SERNUM: 0x8001,
  EVENT: 0x8040,
  TRK1INC: 0x8041,
  TRK2INC: 0x8042,
  TRK3INC: 0x8043,
  TRACK1: 0x8044,
  TRACK2: 0x8045,
  TRACK3: 0x8046,
  ENCPAN: 0x804a,
  KSN: 0x804c,
  CARDTYPE: 0x804f,
  ICCSTAT: 0x8050,
  AIDTABINFO: 0x8051,
  PAN: 0x8052,
  PANSEQNO: 0x8053,
  EMVDATA: 0x8054,
  CHNAME: 0x8055,
  GOXRES: 0x8056,
  PINBLK: 0x8057,
  FCXRES: 0x8058,
  ISRESULTS: 0x8059,
  LABEL: 0x805b,
  ISSCNTRY: 0x805c,
  CARDEXP: 0x805d,
} as const;

/** PP_EVENT values reported by CEX. */
export const CexEvent = {
  ENTER: '00',
  CLEAR: '08',
  CANCEL: '13',
  SWIPED: '90',
  ICC_REMOVED: '91',
  ICC_INSERTED: '92',
  CTLS_TIMEOUT: '93',
  CTLS_DETECTED: '94',
} as const;

/** PP_CARDTYPE values reported by GCX. */
export const CardType = {
  MAGNETIC: '00',
  ICC_EMV: '03',
  CTLS_MAGSTRIPE: '05',
  CTLS_EMV: '06',
} as const;

/** Commands the cardholder may keep waiting; the host does not apply the 10 s response limit. */
export const BLOCKING_COMMANDS: ReadonlySet<string> = new Set([
  'CEX',
  'CKE',
  'GKY',
  'GPN',
  'GCD',
  'MNU',
  'RMC',
  'GCR',
  'GOC',
  'GCX',
  'GOX',
]);

/**
 * SPE_TRNTYPE for a balance inquiry. ABECS names 30h ("consulta de saldo", a Brazilian use) and
 * allows any ISO 8583:1987 value; the pad puts it in the cryptogram's 9C. The UnionPay host asks
 * for processing code 31 (balance inquiry) and 9C = 31 (cup-pos-8583.md), so 31h it is.
 */
export const TRNTYPE_BALANCE_INQUIRY = 0x31;
