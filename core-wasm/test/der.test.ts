// The strict DER reader in the core: every violation is a result code, never a trap.
import { expect } from 'chai';
import { parseDer, CoreError } from '../src/index.ts';
import { core, copyIn } from '../src/wasm.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));

function error(s: string | Uint8Array): string {
  try {
    parseDer(typeof s === 'string' ? hex(s) : s);
  } catch (err) {
    expect(err).to.be.instanceOf(CoreError);
    expect((err as CoreError).code).to.equal('MALFORMED');
    return (err as Error).message.replace('DER: ', '');
  }
  return 'ok';
}

function time(tag: number, s: string): number {
  const b = new TextEncoder().encode(s);
  const p = copyIn(b);
  try {
    return core.parseTime(tag, p, b.length);
  } finally {
    core.free(p);
  }
}

describe('DER reader', () => {
  it('tokenizes a nested structure with offsets and sibling links', () => {
    const d = parseDer(hex('30 0a 02 01 05 30 05 04 03 61 62 63'));
    expect(d.count).to.equal(4);
    expect(d.children(0)).to.deep.equal([1, 2]);
    expect(d.children(2)).to.deep.equal([3]);
    expect(Buffer.from(d.content(3)).toString()).to.equal('abc');
    expect(d.raw(2)).to.deep.equal(hex('30 05 04 03 61 62 63'));
  });

  it('accepts long-form lengths only when minimal', () => {
    const body = '04 81 80 ' + '00'.repeat(128);
    expect(error(body)).to.equal('ok');
    expect(error('04 81 05 0102030405')).to.equal('non-minimal length');
    expect(error('04 82 00 81 ' + '00'.repeat(129))).to.equal('non-minimal length');
    expect(error('04 85 00 00 00 00 01 00')).to.equal('non-minimal length');
  });

  it('rejects indefinite lengths, trailing bytes and lengths past the buffer', () => {
    expect(error('30 80 02 01 05 00 00')).to.equal('indefinite length');
    expect(error('30 03 02 01 05 00')).to.equal('trailing bytes');
    expect(error('30 05 02 01 05')).to.equal('truncated');
    expect(error('30 03 02 05 05')).to.equal('truncated');
    expect(error('30')).to.equal('truncated');
    expect(error(new Uint8Array(0))).to.equal('truncated');
    expect(error('04 84 ff ff ff ff 00')).to.equal('truncated');
  });

  it('rejects non-minimal and empty INTEGERs and ENUMERATEDs', () => {
    expect(error('02 02 00 05')).to.equal('non-minimal integer');
    expect(error('02 02 ff 80')).to.equal('non-minimal integer');
    expect(error('02 00')).to.equal('non-minimal integer');
    expect(error('0a 02 00 01')).to.equal('non-minimal integer');
    expect(error('02 02 00 80')).to.equal('ok');
    expect(error('02 02 ff 7f')).to.equal('ok');
  });

  it('enforces DER forms of BOOLEAN, NULL, BIT STRING, OID and tags', () => {
    expect(error('01 01 01')).to.equal('bad primitive value');
    expect(error('01 01 ff')).to.equal('ok');
    expect(error('05 01 00')).to.equal('bad primitive value');
    expect(error('03 02 08 00')).to.equal('bad primitive value');
    expect(error('03 02 01 01')).to.equal('bad primitive value');
    expect(error('03 02 01 02')).to.equal('ok');
    expect(error('06 02 80 01')).to.equal('bad primitive value');
    expect(error('06 02 2a 86')).to.equal('bad primitive value');
    expect(error('1f 01 00')).to.equal('bad tag');
    expect(error('24 03 04 01 00')).to.equal('bad tag');
    expect(error('10 00')).to.equal('bad tag');
    expect(error('00 00')).to.equal('bad tag');
  });

  it('bounds nesting depth and optionally leaves deep elements unexpanded', () => {
    let deep = hex('05 00');
    for (let i = 0; i < 70; i++) deep = new Uint8Array([0x30, ...lengthOf(deep.length), ...deep]);
    expect(error(deep)).to.equal('nested too deeply');
    const lazy = parseDer(hex('30 07 30 05 02 01 05 02 00'), 1);
    expect(lazy.count).to.equal(2);
  });

  it('parses RFC 5280 times strictly', () => {
    expect(time(0x17, '500101000000Z')).to.equal(Date.UTC(1950, 0, 1) / 1000);
    expect(time(0x17, '491231235959Z')).to.equal(Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);
    expect(time(0x18, '20500101000000Z')).to.equal(Date.UTC(2050, 0, 1) / 1000);
    expect(time(0x18, '20240229120000Z')).to.equal(Date.UTC(2024, 1, 29, 12) / 1000);
    for (const [tag, bad] of [[0x18, '20230229120000Z'], [0x18, '20240101000000.5Z'], [0x17, '2401010000Z'], [0x17, '240101000000+0100'],
      [0x17, '241301000000Z'], [0x17, '240101240000Z'], [0x18, '2024010100000aZ'], [0x04, '240101000000Z']] as const) {
      expect(time(tag, bad), bad).to.be.NaN;
    }
  });
});

function lengthOf(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}
