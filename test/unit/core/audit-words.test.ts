// What the Audit screen says of an entry: words, not the detail's field names.
import { describe, expect, it } from 'vitest';
import { AUDIT_KIND_WORDS, auditText } from '../../../src-main/core/audit-words';
import { AUDIT_KINDS } from '../../../src-main/store';

const identity = (serialNumber: string) => ({
  maker: 'ACME',
  model: 'P10',
  serialNumber,
  firmware: '1.2',
});

describe('auditText', () => {
  it('every kind of entry has words in both languages (the list, the CSV and the kind filter)', () => {
    for (const kind of AUDIT_KINDS) {
      const words = AUDIT_KIND_WORDS[kind];
      expect(words?.en, kind).toMatch(/^[A-Z][a-z]/);
      expect(words?.zh, kind).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('tells a PIN pad approval with both identities in words, in both languages', () => {
    const text = auditText({
      kind: 'device-approved',
      detail: {
        device: 'pinpad',
        training: false,
        how: 'approval',
        before: identity('SN-OLD'),
        after: { ...identity('SN-NEW'), keyCheckValue: 'A1B2C3' },
      },
    });
    expect(text.zh).toBe(
      '设备认可：密码键盘，主管确认，原设备：ACME P10，序列号 SN-OLD，固件 1.2，新设备：ACME P10，序列号 SN-NEW，固件 1.2，校验值 A1B2C3',
    );
    expect(text.en).toBe(
      'Device approved: PIN pad, approved by a supervisor, was: ACME P10, serial SN-OLD, firmware 1.2, now: ACME P10, serial SN-NEW, firmware 1.2, KCV A1B2C3',
    );
    for (const raw of ['device:', 'how:', 'serialNumber', 'first-use']) {
      expect(text.en).not.toContain(raw);
      expect(text.zh).not.toContain(raw);
    }
  });

  it('tells a refusal in training mode, trusted and seen', () => {
    const text = auditText({
      kind: 'device-refused',
      detail: {
        device: 'pinpad',
        training: true,
        trusted: identity('A'),
        seen: identity('B'),
      },
    });
    expect(text.zh).toBe(
      '设备拒绝：密码键盘，培训模式，已认可：ACME P10，序列号 A，固件 1.2，检测到：ACME P10，序列号 B，固件 1.2',
    );
  });
});
