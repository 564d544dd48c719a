import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFix, assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/setting-outside-section';
const DROPIN = '/etc/systemd/system/ollama.service.d/override.conf';
const check = (text: string, file = DROPIN) => only(lint(text, { file }), RULE);

describe(RULE, () => {
  it('reports the setting a drop-in has before any section header, as systemd does', () => {
    const text = lines('Environment="OLLAMA_HOST=127.0.0.1"', '[Service]', 'ExecStart=');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'Environment="OLLAMA_HOST=127.0.0.1"'));
    assert.match(f.message, /Environment= is outside of any section/);
  });

  it('reports every stray line, with or without =, and nothing after a header', () => {
    const text = lines('#!/bin/bash', 'HOSTNAME=127.0.0.1 flox activate', 'echo done', '[Unit]', 'Description=x');
    assert.deepEqual(check(text, '/srv/x.service').map((f) => f.range), [rangeOf(text, 'HOSTNAME=127.0.0.1 flox activate'), rangeOf(text, 'echo done')]);
  });

  it('stays quiet for comments and blank lines before the first header, and after an unknown section', () => {
    const text = lines('# Editing override.conf', '', '; note', '[Bogus]', 'Key=1', '[Service]', 'User=ollama');
    assert.deepEqual(check(text), []);
  });

  it('inserts the section the setting belongs to: [Service] for Environment=, [Unit] for Description=', () => {
    assertFixWorks(lines('Environment=A=1', '[Unit]', 'Description=x'), RULE, undefined, lines('[Service]', 'Environment=A=1', '[Unit]', 'Description=x'), { file: DROPIN });
    assertFixWorks(lines('Description=x', '[Service]', 'ExecStart=/bin/true'), RULE, undefined, lines('[Unit]', 'Description=x', '[Service]', 'ExecStart=/bin/true'), { file: '/srv/a.service' });
  });

  it('one header fixes every stray setting; applied once through fix-all, applied twice it changes nothing', () => {
    const text = lines('Environment=A=1', 'User=ollama', '[Install]', 'WantedBy=multi-user.target');
    const found = check(text);
    assert.equal(found.length, 2);
    assert.deepEqual(found[0].fixes[0].edits, found[1].fixes[0].edits);
    const fixed = applyFix(text, found[0].fixes[0], DROPIN);
    assert.equal(fixed, lines('[Service]', 'Environment=A=1', 'User=ollama', '[Install]', 'WantedBy=multi-user.target'));
    assert.deepEqual(check(fixed), []);
  });

  it('keeps CRLF and offers no fix for a key no section knows', () => {
    assertFixWorks('User=x\r\n[Unit]\r\n', RULE, undefined, '[Service]\r\nUser=x\r\n[Unit]\r\n', { file: DROPIN });
    assert.deepEqual(check(lines('Nonsense=1', '[Service]'))[0].fixes, []);
  });
});
