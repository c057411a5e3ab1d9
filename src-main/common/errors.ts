// The one error model. Every error a layer throws on purpose is a CashierError: a stable `code`
// that says its layer (HOST_TIMEOUT, SERIAL_PORT_MISSING, CRYPTO_PIN_BLOCK_INVALID ...; see
// README.md for the codes kept as they were because they cross the wire), typed parameters, and
// an English `message` and a Chinese `messageZh` made from that layer's one catalogue of
// messages. The core recognises them by `instanceof CashierError`, never by their shape.
// Runtime-neutral: no Node, no DOM.

/** A message's text in one language: fixed, or made from the error's typed parameters. */
export type Words<P> = string | ((params: P) => string);

/**
 * One message of a catalogue: its words in both languages and the code it is thrown with (the
 * message's key unless `code` says otherwise: several messages may share one code).
 */
export interface ErrorMessage<P = never> {
  readonly code?: string;
  readonly en: Words<P>;
  readonly zh: Words<P>;
}

/** One layer's messages, by key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each message has its own params
export type ErrorCatalogue = { readonly [key: string]: ErrorMessage<any> };

/** The parameters a message's words take (`undefined` when they take none). */
export type ParamsOf<M> = M extends { readonly en: (params: infer P) => string }
  ? P
  : M extends { readonly zh: (params: infer P) => string }
    ? P
    : undefined;

/** The codes a catalogue's messages are thrown with. */
export type CodeOf<T extends ErrorCatalogue> = {
  [K in keyof T & string]: T[K] extends { readonly code: infer C extends string } ? C : K;
}[keyof T & string];

/**
 * A lower layer's error told again under this layer's code, in its own words (which came from
 * its own catalogue): an OS failure as a StoreError, any layer's error as an ApiError.
 */
export interface Retold<C extends string> {
  readonly code: C;
  readonly from: CashierError;
}

/**
 * What a layer's constructor takes: a message key with its parameters (when its words take
 * any) and the options `O` (or just the English `detail`), or a lower layer's error retold
 * under one of the codes `C` (by default the catalogue's).
 */
export type ErrorArgs<
  T extends ErrorCatalogue,
  O = CashierErrorOptions,
  C extends string = CodeOf<T>,
> =
  | {
      [K in keyof T & string]: ParamsOf<T[K]> extends undefined
        ? [key: K, options?: O | string]
        : [key: K, params: ParamsOf<T[K]>, options?: O | string];
    }[keyof T & string]
  | [retold: Retold<C>, options?: O];

/** Declares a layer's catalogue (test/unit/common/error-catalogues.test.ts walks every one). */
export function errorCatalogue<const T extends ErrorCatalogue>(messages: T): T {
  return messages;
}

export interface CashierErrorOptions {
  /** An English diagnostic for logs and support, added to `message` in brackets; never the
   *  cashier's text (that comes from the catalogue, in both languages). */
  readonly detail?: string;
  /** The error this one stands for: a codec's, the serial binding's, the operating system's. */
  readonly cause?: unknown;
  /** Data for the caller or the log (never key, PIN or full card number material). */
  readonly details?: Record<string, unknown>;
}

/** Text in both languages. */
export interface ErrorText {
  readonly en: string;
  readonly zh: string;
}

function say<P>(words: Words<P>, params: P): string {
  return typeof words === 'function' ? words(params) : words;
}

function takesParams(message: ErrorMessage<unknown>): boolean {
  return typeof message.en === 'function' || typeof message.zh === 'function';
}

/** The code and words of `key`, with its parameters. */
export function messageOf<T extends ErrorCatalogue, K extends keyof T & string>(
  catalogue: T,
  key: K,
  params: ParamsOf<T[K]>,
): { code: CodeOf<T>; text: ErrorText } {
  const message = catalogue[key]!;
  return {
    code: (message.code ?? key) as CodeOf<T>,
    text: { en: say(message.en, params), zh: say(message.zh, params) },
  };
}

/** Reads what a layer's constructor was given (ErrorArgs) as its code, text and options. */
export function readErrorArgs<
  T extends ErrorCatalogue,
  O extends CashierErrorOptions,
  C extends string = CodeOf<T>,
>(
  catalogue: T,
  args: ErrorArgs<T, O, C>,
): { code: CodeOf<T> | C; text: ErrorText; options: O | undefined } {
  const [first, ...rest] = args as unknown as [(keyof T & string) | Retold<C>, ...unknown[]];
  if (typeof first === 'object') {
    const options = rest[0] as O | undefined;
    return {
      code: first.code,
      text: first.from.text,
      options: { cause: first.from, ...options } as O,
    };
  }
  const message = catalogue[first]!;
  const params = takesParams(message) ? rest[0] : undefined;
  const given = (takesParams(message) ? rest[1] : rest[0]) as O | string | undefined;
  const options = typeof given === 'string' ? ({ detail: given } as O) : given;
  return { ...messageOf(catalogue, first, params as ParamsOf<T[typeof first]>), options };
}

/**
 * The base of every layer's typed error. Subclasses set `name` (tests and logs rely on it) and
 * build `text` from their catalogue; nothing else writes cashier-facing error text.
 */
export class CashierError<C extends string = string> extends Error {
  override readonly name: string = 'CashierError';
  readonly code: C;
  readonly messageZh: string;
  readonly details?: Record<string, unknown>;

  /** The catalogue's English words, without the detail (what a cashier reads). */
  readonly #words: string;

  constructor(code: C, text: ErrorText, options: CashierErrorOptions = {}) {
    super(
      options.detail ? `${text.en} (${options.detail})` : text.en,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.messageZh = text.zh;
    this.#words = text.en;
    if (options.details) this.details = options.details;
  }

  /** The error's text in both languages, as a screen or a log row shows it: the catalogue's
   *  words only; the English detail (a field number, a frame) stays in `message`, for the log. */
  get text(): ErrorText {
    return { en: this.#words, zh: this.messageZh };
  }
}

/**
 * The base of a layer's error class: a CashierError whose constructor takes ErrorArgs of
 * `catalogue` (a key and its parameters, or a retold error). A layer adds only its `name`:
 * `export class SlipError extends errorClass(SLIP_ERRORS) { override readonly name = 'SlipError'; }`
 */
export function errorClass<
  T extends ErrorCatalogue,
  O extends CashierErrorOptions = CashierErrorOptions,
  C extends string = CodeOf<T>,
>(catalogue: T) {
  return class extends CashierError<CodeOf<T> | C> {
    /** The options it was made with, for a layer's own fields (not enumerable: never logged). */
    declare protected readonly options: O | undefined;
    constructor(...args: ErrorArgs<T, O, C>) {
      const { code, text, options } = readErrorArgs(catalogue, args);
      super(code, text, options);
      Object.defineProperty(this, 'options', { value: options, enumerable: false });
    }
  };
}
