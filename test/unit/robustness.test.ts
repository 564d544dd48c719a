import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectFormat, FORMATS, lintText, type Format } from '../../rules';

/**
 * Bad input never throws: truncations and seeded random mutations of every example and fixture,
 * binary junk, invalid UTF-8 and a huge file, in every format. A rule or parser that throws fails.
 */
const root = join(__dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (statSync(p).size < 200_000) out.push(p);
  }
  return out;
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const JUNK = ['{', '}', ';', '"', "'", '`', '\\', '\n', '\r\n', '\t', '#', ':', '- ', '[', ']', '<<', '*a', '&a ', '${', '{$', '%', '=', '\u0000', '\uFFFD', '😀', 'é', ' '];

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    const op = random();
    if (op < 0.4) chars.splice(at, 0, JUNK[Math.floor(random() * JUNK.length)]);
    else if (op < 0.7) chars.splice(at, 1 + Math.floor(random() * 8));
    else chars.splice(at, 0, ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)));
  }
  return chars.join('');
}

function check(file: string, text: string, format: Format) {
  lintText(file, text, {
    format,
    onRuleError: ({ rule, error }) => assert.fail(`${rule} threw on a variant of ${file}: ${(error as Error)?.stack ?? error}\n--- input ---\n${text.slice(0, 2000)}`),
  });
}

describe('robustness', () => {
  const seeds = [...files(join(root, 'examples')), ...files(join(root, 'test', 'fixtures'))]
    .map((p) => ({ p, text: readFileSync(p, 'utf8') }))
    .map((s) => ({ ...s, format: detectFormat(s.p, s.text) }))
    .filter((s): s is { p: string; text: string; format: Format } => !!s.format);

  it('has seeds for the compose format at least', () => {
    assert.ok(seeds.some((s) => s.format === 'compose'));
  });

  for (const seed of seeds) {
    it(`survives truncations and mutations of ${seed.p.slice(root.length + 1)}`, () => {
      const step = Math.max(1, Math.floor(seed.text.length / 150));
      for (let cut = 0; cut <= seed.text.length; cut += step) check(seed.p, seed.text.slice(0, cut), seed.format);
      const random = rng(seed.text.length);
      for (let i = 0; i < 300; i++) check(seed.p, mutate(seed.text, random), seed.format);
    });
  }

  for (const format of FORMATS) {
    it(`survives binary junk, invalid UTF-8 and a huge file as ${format}`, () => {
      const random = rng(42);
      const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
      check(`/p/junk-${format}`, bytes.toString('utf8'), format);
      check(`/p/latin1-${format}`, bytes.toString('latin1'), format);
      check(`/p/empty-${format}`, '', format);
      check(`/p/deep-${format}`, '{'.repeat(5000) + '['.repeat(5000), format);
      check(`/p/huge-${format}`, 'a: b\n'.repeat(100_000), format);
    });
  }
});
