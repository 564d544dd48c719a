import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryLabel, entryWorst, escapeMarkdown, hopLabel, iconOf, marks, rows, tooltip, worse } from '../../client/exposure-format';
import type { Place } from '../../rules/deployment/facts';
import type { EntryPoint, Exposure, WorstFinding } from '../../rules/deployment/exposure-types';

/** The Exposure view's text, from an `Exposure` as the server's `portcullis/exposure` answers it. */

const place = (file: string, line: number, character = 0, length = 4): Place => ({
  file,
  range: { start: { line, character }, end: { line, character: character + length } },
});

const bypass: WorstFinding = {
  rule: 'deployment/proxy-bypass',
  severity: 'error',
  message: 'Ollama is behind basic_auth in Caddyfile:2, yet "11434:11434" publishes it on every interface',
  place: place('/w/compose.yaml', 5, 8, 13),
};
const noRateLimit: WorstFinding = { rule: 'caddy/no-rate-limit', severity: 'info', message: 'No rate limit', place: place('/w/Caddyfile', 0) };

const caddy: EntryPoint = {
  address: '0.0.0.0:443',
  port: 443,
  kind: 'caddy',
  name: 'caddy ollama.example.com',
  protections: { tls: true, auth: true, rateLimit: false },
  place: place('/w/Caddyfile', 0, 0, 18),
  hops: [
    {
      path: '/api/*',
      target: '127.0.0.1:11434',
      reaches: 'compose service ollama (Ollama)',
      service: 'Ollama',
      protections: { tls: true, auth: true, rateLimit: false },
      place: place('/w/Caddyfile', 3, 2, 13),
      worst: noRateLimit,
    },
    {
      path: '*',
      target: 'http://10.0.0.9:9000',
      reaches: 'http://10.0.0.9:9000',
      protections: { tls: true, auth: true, rateLimit: false },
      place: place('/w/Caddyfile', 4, 2, 13),
    },
  ],
};

const compose: EntryPoint = {
  address: '0.0.0.0:11434',
  port: 11434,
  kind: 'compose',
  name: 'compose service ollama',
  service: 'Ollama',
  protections: { tls: false, auth: false, rateLimit: false },
  place: place('/w/compose.yaml', 5, 8, 13),
  hops: [],
  worst: bypass,
};

const exposure: Exposure = { entries: [caddy, compose] };

describe('exposure view text', () => {
  it('marks each protection, with ? for an unknown auth', () => {
    assert.equal(marks({ tls: true, auth: false, rateLimit: false }), 'TLS ✓ · auth ✗ · rate limit ✗');
    assert.equal(marks({ tls: false, auth: 'unknown', rateLimit: true }), 'TLS ✗ · auth ? · rate limit ✓');
  });

  it('labels an entry point by address and name, naming the service a port is', () => {
    assert.equal(entryLabel(caddy), '0.0.0.0:443  caddy ollama.example.com');
    assert.equal(entryLabel(compose), '0.0.0.0:11434  compose service ollama (Ollama)');
    assert.equal(entryLabel({ ...compose, kind: 'systemd', name: 'ollama.service (Ollama)' }), '0.0.0.0:11434  ollama.service (Ollama)', 'a name that says it already');
  });

  it('labels a hop path → target → what it reaches, without repeating an unresolved target', () => {
    assert.equal(hopLabel(caddy.hops[0]), '/api/* → 127.0.0.1:11434 → compose service ollama (Ollama)');
    assert.equal(hopLabel(caddy.hops[1]), '* → http://10.0.0.9:9000');
  });

  it('picks the icon by the worst severity, pass when there is no finding', () => {
    assert.equal(iconOf(undefined), 'pass');
    assert.equal(iconOf(bypass), 'error');
    assert.equal(iconOf({ ...bypass, severity: 'warning' }), 'warning');
    assert.equal(iconOf(noRateLimit), 'info');
    assert.equal(iconOf({ ...noRateLimit, severity: 'hint' }), 'info');
  });

  it('an entry point is as bad as the worst of itself and its hops; the first wins a tie', () => {
    assert.equal(entryWorst(caddy), noRateLimit);
    assert.equal(entryWorst({ ...caddy, worst: bypass }), bypass);
    assert.equal(entryWorst({ ...caddy, hops: [] }), undefined);
    const other = { ...bypass, message: 'other' };
    assert.equal(worse(bypass, other), bypass);
    assert.equal(worse(noRateLimit, other), other);
  });

  it('escapes Markdown in tooltips: a message cannot inject links, HTML or icons', () => {
    assert.equal(escapeMarkdown('[x](command:rm) <b>$(zap)</b>'), '\\[x\\]\\(command:rm\\) \\<b\\>\\$\\(zap\\)\\</b\\>');
    const text = tooltip('0.0.0.0:11434  compose service ollama (Ollama)', compose.protections, bypass, compose.place, (f) => f.slice(3));
    assert.equal(
      text,
      [
        '**0\\.0\\.0\\.0:11434  compose service ollama \\(Ollama\\)**',
        '',
        'TLS ✗ · auth ✗ · rate limit ✗',
        '',
        '$(error) `deployment/proxy-bypass` (error): Ollama is behind basic\\_auth in Caddyfile:2, yet "11434:11434" publishes it on every interface',
        '',
        'compose\\.yaml:6',
      ].join('\n'),
    );
    assert.match(tooltip('x', caddy.protections, undefined, caddy.place, (f) => f), /No finding\.\n\n\/w\/Caddyfile:1$/);
  });

  it('makes one row per entry point and one child per hop, each opening its worst finding or itself', () => {
    const [top, direct] = rows(exposure, (f) => f);
    assert.deepEqual(
      { label: top.label, description: top.description, icon: top.icon, open: top.open },
      { label: '0.0.0.0:443  caddy ollama.example.com', description: 'TLS ✓ · auth ✓ · rate limit ✗', icon: 'info', open: noRateLimit.place },
    );
    assert.deepEqual(
      top.children.map((c) => [c.label, c.description, c.icon, c.open, c.children.length]),
      [
        ['/api/* → 127.0.0.1:11434 → compose service ollama (Ollama)', 'TLS ✓ · auth ✓ · rate limit ✗', 'info', noRateLimit.place, 0],
        ['* → http://10.0.0.9:9000', 'TLS ✓ · auth ✓ · rate limit ✗', 'pass', caddy.hops[1].place, 0],
      ],
    );
    assert.deepEqual(
      { label: direct.label, description: direct.description, icon: direct.icon, open: direct.open, children: direct.children },
      { label: '0.0.0.0:11434  compose service ollama (Ollama)', description: 'TLS ✗ · auth ✗ · rate limit ✗', icon: 'error', open: bypass.place, children: [] },
    );
  });

  it('masks a password in a target in labels and tooltips, even when the server did not', () => {
    const target = 'https://bob:s3cr3tPassw0rd@db.internal';
    const leaky: Exposure = { entries: [{ ...caddy, hops: [{ ...caddy.hops[1], target, reaches: target }] }] };
    const [hop] = rows(leaky, (f) => f)[0].children;
    assert.equal(hop.label, '* → https://bob:s3cr…0rd@db.internal');
    assert.doesNotMatch(hop.tooltip, /s3cr3tPassw0rd/);
  });

  it('gives every row an id unique in the tree and stable across refreshes', () => {
    const twice: Exposure = { entries: [caddy, caddy, compose] };
    const ids = rows(twice).flatMap((r) => [r.id, ...r.children.map((c) => c.id)]);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, rows(twice).flatMap((r) => [r.id, ...r.children.map((c) => c.id)]));
    assert.deepEqual(rows({ entries: [] }), []);
  });
});
