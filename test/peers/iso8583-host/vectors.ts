// Loads the repository copy of the public vectors (never /work/shared: CI does not have it).
import { readFileSync } from 'node:fs';

export interface CupPosVectors {
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

export const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/cup-pos-crypto.json', import.meta.url), 'utf8'),
) as CupPosVectors;
