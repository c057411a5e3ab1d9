import { describe, expect, it } from 'vitest';
import {
  lookupResponseCode,
  needsSignOnAgain,
  responseCodes,
} from '../../../src-main/host/response-codes';

describe('response codes', () => {
  it('classes follow the reference', () => {
    const cls = (c: string) => lookupResponseCode(c).class;
    expect(cls('00')).toBe('success');
    for (const c of ['A0', '99', '77']) expect(cls(c)).toBe('sign-on-again');
    for (const c of ['51', '55', '75', '94', '96']) expect(cls(c)).toBe('decline');
    expect(cls('97')).toBe('terminal');
    expect(cls('98')).toBe('timeout');
    expect(cls('91')).toBe('retry');
    expect(needsSignOnAgain('a0')).toBe(true);
    expect(needsSignOnAgain('55')).toBe(false);
  });

  it('every code has Chinese and English text', () => {
    for (const r of responseCodes) {
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[A-Za-z]/);
    }
    expect(lookupResponseCode('55').zh).toBe('密码错误');
    expect(lookupResponseCode('55').en).toBe('Incorrect PIN');
  });

  it('an unknown code is a decline that names the code', () => {
    const r = lookupResponseCode('Q7');
    expect(r.class).toBe('decline');
    expect(r.zh).toContain('Q7');
    expect(r.en).toContain('Q7');
  });
});
