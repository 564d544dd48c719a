/**
 * The server in a second real LSP client: Debian's headless Neovim (0.7) starts `server.js --stdio`
 * with `vim.lsp.start_client`, opens a compose file, waits for the diagnostics, asks for the code
 * actions, applies the preferred one and waits for the finding to go. The Lua script writes what
 * Neovim saw as JSON; this test asserts on it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lines, lint, rangeOf } from '../helpers';
import { buildServer, withTimeout, type BuiltServer } from './harness';

const PORT_RULE = 'compose/port-exposed-all-interfaces';
const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

const SCRIPT = String.raw`
local server, file, out = os.getenv('PORTCULLIS_SERVER'), os.getenv('PORTCULLIS_FILE'), os.getenv('PORTCULLIS_OUT')
local result = { steps = {} }
local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end
local function step(name) table.insert(result.steps, name) end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'portcullis',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    settings = { portcullis = { rules = {} } },
  })
  assert(client_id, 'the client started')
  vim.lsp.buf_attach_client(bufnr, client_id)
  step('attached')

  local function port_diagnostics()
    return vim.tbl_filter(function(d) return d.code == '${PORT_RULE}' end, vim.diagnostic.get(bufnr))
  end
  assert(vim.wait(15000, function() return #port_diagnostics() > 0 end, 20), 'diagnostics arrived')
  step('diagnostics')
  result.diagnostics = vim.tbl_map(function(d)
    return { code = d.code, source = d.source, severity = d.severity, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
             href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href }
  end, vim.diagnostic.get(bufnr))

  -- What :lua vim.lsp.buf.code_action() sends: the diagnostics of the line, converted back to LSP.
  local port = port_diagnostics()[1]
  local client = vim.lsp.get_client_by_id(client_id)
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = port.lnum, character = port.col }, ['end'] = { line = port.end_lnum, character = port.end_col } }
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, port.lnum) }
  local response = client.request_sync('textDocument/codeAction', params, 10000, bufnr)
  assert(response and response.result, 'code actions answered: ' .. vim.inspect(response))
  result.actions = vim.tbl_map(function(a) return { title = a.title, kind = a.kind, preferred = a.isPreferred == true } end, response.result)
  step('code actions')

  local preferred
  for _, a in ipairs(response.result) do if a.isPreferred then preferred = a end end
  assert(preferred, 'a preferred quick fix')
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  step('applied')
  assert(vim.wait(15000, function() return #port_diagnostics() == 0 end, 20), 'the port diagnostic went away')
  step('fixed')
  result.text = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  result.remaining = vim.tbl_map(function(d) return d.code end, vim.diagnostic.get(bufnr))
  vim.lsp.stop_client(client_id)
end)
if not ok then result.error = tostring(err) end
finish()
`;

describe('the server in Neovim', { skip: hasNvim ? false : 'nvim is not on PATH (.ci/run installs Debian\'s neovim)' }, () => {
  let built: BuiltServer;
  let dir: string;

  before(async () => {
    built = await buildServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-nvim-'));
  });

  after(() => {
    built?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the diagnostics, offers the code actions and applies the preferred fix', async () => {
    const text = lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"');
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, text);
    const script = path.join(dir, 'portcullis.lua');
    fs.writeFileSync(script, SCRIPT);
    const out = path.join(dir, 'result.json');

    const nvim = spawn('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], {
      cwd: dir,
      env: { ...process.env, PORTCULLIS_SERVER: built.serverJs, PORTCULLIS_FILE: file, PORTCULLIS_OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    nvim.stdout.on('data', (d) => (output += d));
    nvim.stderr.on('data', (d) => (output += d));
    try {
      await withTimeout(new Promise((resolve) => nvim.on('exit', resolve)), 60_000, 'Neovim did not finish');
    } finally {
      // Neovim and, through it, the server: stopped even when the test fails.
      if (nvim.exitCode === null) nvim.kill('SIGKILL');
    }
    assert.ok(fs.existsSync(out), `Neovim wrote no result:\n${output}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(result.error, undefined, `${result.error}\nsteps: ${result.steps.join(', ')}\n${output}`);

    // vim.diagnostic positions are 0-based lines and byte columns (all ASCII here, so equal to UTF-16).
    const expected = lint(text, { file });
    const toVim = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => ({ lnum: r.start.line, col: r.start.character, end_lnum: r.end.line, end_col: r.end.character });
    assert.deepEqual(
      result.diagnostics.map((d: any) => ({ code: d.code, source: d.source, lnum: d.lnum, col: d.col, end_lnum: d.end_lnum, end_col: d.end_col })).sort(byPosition),
      expected.map((f) => ({ code: f.rule, source: 'portcullis', ...toVim(f.range) })).sort(byPosition),
    );
    const port = result.diagnostics.find((d: any) => d.code === PORT_RULE);
    assert.deepEqual({ lnum: port.lnum, col: port.col, end_lnum: port.end_lnum, end_col: port.end_col }, toVim(rangeOf(text, '"11434:11434"')));
    assert.equal(port.severity, 1, 'vim.diagnostic.severity.ERROR');
    assert.match(port.href, /^file:\/\/.*\/docs\/rules\/compose\/port-exposed-all-interfaces\.md$/);

    const quickFixes = result.actions.filter((a: any) => a.kind === 'quickfix');
    assert.deepEqual(quickFixes[0], { title: 'Bind to 127.0.0.1 (reachable from this host only)', kind: 'quickfix', preferred: true });
    assert.equal(result.text.join('\n') + '\n', text.replace('"11434:11434"', '"127.0.0.1:11434:11434"'));
    assert.ok(!result.remaining.includes(PORT_RULE));
  });
});

function byPosition(a: any, b: any): number {
  return a.lnum - b.lnum || a.col - b.col || String(a.code).localeCompare(String(b.code));
}
