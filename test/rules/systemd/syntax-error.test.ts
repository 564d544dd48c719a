import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { literalSpan, parseSystemd, wordOffset } from '../../../rules/systemd/model';
import { assertFixWorks, lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'systemd/syntax-error';
const FILE = '/work/project/ollama.service';
const check = (text: string, file = FILE) => only(lint(text, { file }), RULE);

describe('systemd parser', () => {
  it('reads sections, keys and values with exact offsets; blanks around = are stripped', () => {
    const text = lines('[Unit]', 'Description = Ollama — local LLMs ', '[Service]', '\tExecStart=/usr/bin/ollama serve');
    const m = parseSystemd(text, FILE);
    assert.deepEqual(m.sections.map((s) => [s.name, text.slice(s.start, s.end)]), [['Unit', '[Unit]'], ['Service', '[Service]']]);
    const [d, e] = m.assignments;
    assert.equal(text.slice(d.keyStart, d.keyEnd), 'Description');
    assert.equal(d.value, 'Ollama — local LLMs');
    assert.equal(text.slice(d.valueStart, d.valueEnd), 'Ollama — local LLMs');
    assert.equal(e.section?.name, 'Service');
    assert.equal(text.slice(e.keyStart, e.keyEnd), 'ExecStart');
    assert.deepEqual(e.words.map((w) => w.value), ['/usr/bin/ollama', 'serve']);
  });

  it('joins continuation lines, skips comment lines inside them, and reports at the last line as systemd does', () => {
    const text = lines('[Service]', 'ExecStart=/usr/bin/llama-server \\', '  # the model', '  --model m.gguf \\', '  --host 0.0.0.0');
    const [a] = parseSystemd(text, FILE).assignments;
    assert.equal(a.value, '/usr/bin/llama-server    --model m.gguf    --host 0.0.0.0');
    assert.deepEqual([a.line, a.reportLine], [1, 4]);
    const host = a.words[a.words.length - 1];
    assert.equal(text.slice(host.start, host.end), '0.0.0.0');
    assert.equal(text.slice(a.lineStart, a.lineEnd), text.slice(text.indexOf('ExecStart'), text.lastIndexOf('\n')));
  });

  it('handles CRLF, CR-only line breaks, a BOM and a continuation at the end of the file', () => {
    const crlf = '\ufeff[Service]\r\nExecStart=/bin/true\r\nUser=nobody\r\n';
    const m = parseSystemd(crlf, FILE);
    assert.equal(m.eol, '\r\n');
    assert.deepEqual(m.assignments.map((a) => [a.key, a.value, a.line]), [['ExecStart', '/bin/true', 1], ['User', 'nobody', 2]]);
    assert.equal(m.sections[0].name, 'Service');
    const cr = parseSystemd('[Service]\rUser=a\rGroup=b', FILE);
    assert.deepEqual(cr.assignments.map((a) => [a.key, a.line]), [['User', 1], ['Group', 2]]);
    const tail = parseSystemd('[Service]\nUser=a \\', FILE);
    assert.deepEqual(tail.assignments.map((a) => [a.value, a.reportLine]), [['a', 2]]);
  });

  it('splits Environment= words with quotes and C escapes, keeping each character\'s offset', () => {
    const text = lines('[Service]', 'Environment="A=1 2" B=x\\x41y C=\'q\\\'s\'');
    const [a] = parseSystemd(text, FILE).assignments;
    assert.deepEqual(a.words.map((w) => w.value), ['A=1 2', 'B=xAy', "C=q's"]);
    assert.deepEqual(a.words.map((w) => text.slice(w.start, w.end)), ['"A=1 2"', 'B=x\\x41y', "C='q\\'s'"]);
    assert.equal(wordOffset(a.words[0], 0), text.indexOf('A=1'));
    assert.equal(wordOffset(a.words[1], 3), text.indexOf('\\x41'));
    assert.equal(wordOffset(a.words[1], 4), text.indexOf('y C='));
    assert.deepEqual(literalSpan(a.words[1], 0, 3), [text.indexOf('B=x'), text.indexOf('B=x') + 3]);
    assert.equal(literalSpan(a.words[1], 2, 4), undefined);
    assert.equal(literalSpan(a.words[0], 0, 5)?.join(), [text.indexOf('A=1 2'), text.indexOf('A=1 2') + 5].join());
  });

  it('tells units and drop-ins apart by path', () => {
    assert.deepEqual(pick(parseSystemd('', '/etc/systemd/system/ollama.service.d/override.conf')), ['ollama.service', 'service', true]);
    assert.deepEqual(pick(parseSystemd('', '/etc/systemd/system/ollama.service')), ['ollama.service', 'service', false]);
    assert.deepEqual(pick(parseSystemd('', '/tmp/override.conf')), [undefined, undefined, true]);
    assert.deepEqual(pick(parseSystemd('', '/srv/app.socket')), ['app.socket', 'socket', false]);
  });

  it('never throws on garbage', () => {
    for (const text of ['', '\\', '[', ']', '=', '[]', '\u0000\u0001', '"\\', 'A="', '[Service]\nEnvironment=\\', '[Service]\nEnvironment="\\u12"', '\r\r\n\n']) {
      assert.doesNotThrow(() => lint(text, { file: FILE }));
    }
  });
});

function pick(m: ReturnType<typeof parseSystemd>) {
  return [m.unitName, m.unitType, m.dropIn];
}

describe(RULE, () => {
  it('reports a broken section header, which makes systemd refuse the unit', () => {
    const text = lines('[Unit]', 'Description=x', '[Service', 'ExecStart=/bin/true');
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, '[Service'));
    assert.match(f.message, /Invalid section header/);
  });

  it("reports lines with no '=' and with no key, inside a section", () => {
    const text = lines('[Service]', 'ExecStart=/bin/true', 'just some words', '=orphan value');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'just some words'), rangeOf(text, '=orphan value')]);
  });

  it('reports Environment= words systemd rejects: unterminated quotes, no =, invalid names', () => {
    const text = lines('[Service]', 'ExecStart=/bin/true', 'Environment="A=1', 'Environment=OK=1 NOEQ 1BAD=2 my-var=3');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, '"A=1'), rangeOf(text, 'NOEQ'), rangeOf(text, '1BAD=2'), rangeOf(text, 'my-var=3')]);
  });

  it('does not report comments, blank lines, X- keys, values with quotes elsewhere, or lines in ignored sections', () => {
    const text = lines('# comment', '; comment', '', '[Unit]', 'Description=Don\'t "panic"', 'X-Thing=1', '[X-Vendor]', 'no equals here', '[Service]', 'ExecStart=/bin/sh -c "echo \'hi\'"', 'Environment=PATH=/usr/bin:/bin "EMPTY="');
    assert.deepEqual(check(text), []);
  });

  it('reports % specifiers systemd does not know in Environment=, Exec*=, Description= and WorkingDirectory=', () => {
    const text = lines('[Unit]', 'Description=%n: 100%% sure, %z', '[Service]', 'ExecStart=/usr/bin/date +%%Y-%k', 'ExecStartPre=/bin/echo %i %I %h', 'Environment="LOG=%L/app" BAD=%e OK=50%', 'WorkingDirectory=%h', 'User=%k');
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), [rangeOf(text, '%z'), rangeOf(text, '%k'), rangeOf(text, '%e')]);
    assert.match(found[1].message, /Unknown specifier %k in ExecStart=: systemd refuses to start the unit/);
  });

  it('fixes an unclosed header', () => {
    const text = lines('[Service', 'ExecStart=/bin/true');
    assertFixWorks(text, RULE, undefined, lines('[Service]', 'ExecStart=/bin/true'), { file: FILE });
  });

  it('fixes a header followed by a comment by moving the comment to its own line', () => {
    const text = lines('[Unit]', '[Service] # main', 'ExecStart=/bin/true');
    assertFixWorks(text, RULE, undefined, lines('[Unit]', '# main', '[Service]', 'ExecStart=/bin/true'), { file: FILE });
  });
});
