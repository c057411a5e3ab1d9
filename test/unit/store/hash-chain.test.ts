// The one hash chain of both logs. Its form must stay what the databases on disk were written
// with: these tests pin it against the two formulas the logs used before they shared a module.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ChainWalker,
  GENESIS_HASH,
  JsonText,
  entryHash,
  nextLink,
  type ChainLink,
  type ChainValue,
} from '../../../src-main/store/hash-chain';
import { chainHash } from '../../../src-main/store/transactions/chain';

const sha256 = (...parts: (Buffer | string)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

describe('hash chain', () => {
  it('hashes an audit row as sha256(prev ‖ JSON of [id, at, kind, operator id, no, detail])', () => {
    const prev = sha256('previous');
    const row = [7, 1764000000123, 'config-change', 1, '1001', '{"note":"中文 \\"q\\" \\\\"}'];
    const [id, ...values] = row as [number, ...ChainValue[]];
    expect(entryHash(prev, id, values).equals(sha256(prev, JSON.stringify(row)))).toBe(true);
    expect(entryHash(prev, 8, [1, 'login', null, null, null])).toEqual(
      sha256(prev, '[8,1,"login",null,null,null]'),
    );
  });

  it('hashes a transaction entry as sha256(prev ‖ "[seq,tx_id,kind,at," content "]")', () => {
    const content = '[12,1764000000123,1,"1001","card","622202******1234","1234","chip",0]';
    const expected = sha256(GENESIS_HASH, `[3,12,1,1764000000123,${content}]`);
    expect(
      chainHash(GENESIS_HASH, { seq: 3, txId: 12, kind: 1, at: 1764000000123 }, content),
    ).toEqual(expected);
    expect(entryHash(GENESIS_HASH, 3, [12, 1, 1764000000123, new JsonText(content)])).toEqual(
      expected,
    );
    // Pinned values, so a change to both sides at once cannot slip through either.
    expect(expected.toString('hex')).toBe(
      '671c8dd4c9cc9701d98f3ccf6bbc06d371df09d411eb5d7878eae6bb3adc63e6',
    );
    expect(entryHash(GENESIS_HASH, 1, ['a']).toString('hex')).toBe(
      'a5a757075f6d182636b224a7ec602ce57d13c4d807fc1536e85471643d9c1a06',
    );
  });

  it('links entries from 32 zero bytes', () => {
    const first = nextLink(undefined, ['a']);
    expect(first.seq).toBe(1);
    expect(first.hash).toEqual(entryHash(GENESIS_HASH, 1, ['a']));
    const second = nextLink(first, ['b']);
    expect(second).toEqual({ seq: 2, hash: entryHash(first.hash, 2, ['b']) });
  });

  function chain(n: number): { links: ChainLink[]; values: ChainValue[][] } {
    const links: ChainLink[] = [];
    const values: ChainValue[][] = [];
    let head: ChainLink | undefined;
    for (let i = 0; i < n; i++) {
      values.push([i, `entry ${i}`]);
      head = nextLink(head, values[i]!);
      links.push(head);
    }
    return { links, values };
  }

  it('walks a sound chain without a finding, and ends at its head', () => {
    const { links, values } = chain(5);
    const walker = new ChainWalker();
    for (const [i, link] of links.entries()) {
      expect(walker.check(link.seq, link.hash, values[i])).toEqual({
        missing: null,
        edited: false,
      });
    }
    expect(walker.last).toEqual(links[4]);
    expect(walker.endsAt(links[4])).toBe(true);
    expect(walker.endsAt(links[3])).toBe(false);
    expect(new ChainWalker().endsAt(undefined)).toBe(true);
  });

  it('reports an edited entry, and a gap without calling the entry after it edited', () => {
    const { links, values } = chain(6);
    const walker = new ChainWalker();
    const seen = links.map((link, i) => {
      if (i === 1) return null; // deleted
      const v = i === 4 ? [4, 'changed'] : values[i];
      return walker.check(link.seq, link.hash, v);
    });
    expect(seen[2]).toEqual({ missing: { from: 2, to: 2 }, edited: false });
    expect(seen[3]).toEqual({ missing: null, edited: false });
    expect(seen[4]).toEqual({ missing: null, edited: true });
    expect(seen[5]).toEqual({ missing: null, edited: false });
    // Content gone (its row deleted): only its place in the sequence is checked.
    const w2 = new ChainWalker();
    w2.check(1, links[0]!.hash, values[0]);
    expect(w2.check(2, links[1]!.hash, undefined)).toEqual({ missing: null, edited: false });
    expect(w2.check(3, links[2]!.hash, values[2])).toEqual({ missing: null, edited: false });
  });
});
