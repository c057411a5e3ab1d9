// Loads the published crypto vectors from the repository's copy (test/fixtures/vectors).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CryptoVectors {
  mac_ecb_des: {
    mak: string;
    mab: string;
    xor_of_blocks: string;
    e1: string;
    t: string;
    e2: string;
    mac_ascii: string;
  };
  working_key_decrypt: { tmk: string; encrypted: string; clear: string };
  signon_response_0810: {
    tmk: string;
    frame: string;
    pik_clear: string;
    pik_check_value: string;
    mak_clear: string;
    mak_check_value: string;
  };
  key_check_value_3des: { key: string; kcv_full_block: string };
  pin_block_iso0: {
    pin: string;
    pan: string;
    clear_block: string;
    key: string;
    encrypted_3des_ecb: string;
  };
  sm4_gbt32907: { key: string; plaintext: string; ciphertext: string };
  f54_balance_examples: [
    {
      field: string;
      account_type: string;
      amount_type: string;
      currency: string;
      sign: string;
      amount_fen: number;
    },
    { field_with_prefix: string; balances: number },
  ];
}

export function loadCryptoVectors(): CryptoVectors {
  const file = resolve(process.cwd(), 'test/fixtures/vectors/cup-pos-crypto.json');
  return JSON.parse(readFileSync(file, 'utf8')) as CryptoVectors;
}

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');
export const toHex = (b: Buffer): string => b.toString('hex').toUpperCase();
