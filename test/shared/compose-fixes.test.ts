/**
 * Every fix of every compose rule, applied to fixtures in the short, long and flow syntaxes, must
 * leave a file that (1) validates against the Compose Specification's JSON schema and (2) is
 * accepted by `docker-compose config -q` (Debian's 1.29), where that old tool knows the feature.
 * Each input is checked the same way first, so a pass proves the fix kept the file valid.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { allRules } from '../../rules';
import { applyFix, lines, lint, only } from '../helpers';

const shared = path.resolve(__dirname, '../../../shared');
const schema = JSON.parse(readFileSync(path.join(shared, 'schemas/compose-spec.json'), 'utf8'));
// The file names its meta-schema by an https URL ajv does not know; it is draft-07, ajv's default.
delete schema.$schema;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** What 1.29 says about long-syntax `host_ip`, which it predates (see schemas/README.md). */
const OLD_TOOL_HOST_IP = /services\.\w+\.ports contains unsupported option: 'host_ip'/;

const work = mkdtempSync(path.join(tmpdir(), 'portcullis-compose-fixes-'));
after(() => rmSync(work, { recursive: true, force: true }));

function schemaErrors(text: string): string[] {
  const doc = parse(text, { merge: true });
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

let n = 0;
function dockerCompose(text: string): { ok: boolean; output: string } {
  const dir = path.join(work, String(n++));
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'docker-compose.yml'), text);
  const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, encoding: 'utf8', env: { ...process.env, COMPOSE_PROJECT_NAME: 'fixcheck' } });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

interface Case {
  name: string;
  rule: string;
  text: string;
  /** Set when the fixed file uses a feature 1.29 does not know: its expected complaint. */
  oldToolRejectsFix?: RegExp;
}

const CASES: Case[] = [
  // compose/port-exposed-all-interfaces
  { name: 'port: short quoted, bind to 127.0.0.1', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - "11434:11434"') },
  { name: 'port: short plain 0.0.0.0 replaced', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    ports:', '      - 0.0.0.0:8080:80') },
  { name: 'port: container-only gets a random loopback port', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  redis:', '    image: redis:7', '    ports:', '      - 6379') },
  { name: 'port: flow list with [::]', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    ports: ["[::]:8443:443", "127.0.0.1:8080:80"]') },
  { name: 'port: udp range', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  dns:', '    image: coredns/coredns:1.11.1', '    ports:', '      - "5300-5301:5300-5301/udp"') },
  {
    name: 'port: long syntax gets host_ip (docker-compose 1.29 cannot judge: it predates long-syntax host_ip)',
    rule: 'compose/port-exposed-all-interfaces',
    text: lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    ports:', '      - target: 11434', '        published: 11434', '        protocol: tcp'),
    oldToolRejectsFix: OLD_TOOL_HOST_IP,
  },
  {
    name: 'port: bind, or remove the publication a client reaches over the network (single item, and one of two)',
    rule: 'compose/port-exposed-all-interfaces',
    text: lines(
      'services:',
      '  ollama:',
      '    image: ollama/ollama:0.5.7',
      '    ports:',
      '      - "11434:11434"',
      '  redis:',
      '    image: redis:7',
      '    ports:',
      '      - "6379:6379"',
      '      - "127.0.0.1:6380:6379"',
      '  open-webui:',
      '    image: ghcr.io/open-webui/open-webui:v0.6.5',
      '    depends_on: [redis]',
      '    environment:',
      '      - OLLAMA_BASE_URL=http://ollama:11434',
    ),
  },
  { name: 'port: flow list, remove the publication', rule: 'compose/port-exposed-all-interfaces', text: lines('services:', '  redis:', '    image: redis:7', '    ports: ["6379:6379", "127.0.0.1:6380:6379"]', '  app:', '    image: app:1.0', '    links: [redis]') },
  // compose/openwebui-auth-disabled
  { name: 'webui: list form, plain', rule: 'compose/openwebui-auth-disabled', text: lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', '    environment:', '      - WEBUI_AUTH=False') },
  { name: 'webui: list form, quoted, empty value', rule: 'compose/openwebui-auth-disabled', text: lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', '    environment:', '      - "WEBUI_AUTH="') },
  { name: 'webui: map form, string', rule: 'compose/openwebui-auth-disabled', text: lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', '    environment:', "      WEBUI_AUTH: 'false'") },
  { name: 'webui: flow map form', rule: 'compose/openwebui-auth-disabled', text: lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', '    environment: {WEBUI_AUTH: "0", PORT: "8080"}') },
  { name: 'webui: CRLF file', rule: 'compose/openwebui-auth-disabled', text: lines('services:', '  open-webui:', '    image: ghcr.io/open-webui/open-webui:v0.6.5', '    environment:', '      - WEBUI_AUTH=no').replace(/\n/g, '\r\n') },
  // compose/no-new-privileges-missing
  { name: 'nnp: inserted into a block service', rule: 'compose/no-new-privileges-missing', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    volumes:', '      - ./html:/usr/share/nginx/html:ro', 'volumes: {}') },
  { name: 'nnp: appended to a block list', rule: 'compose/no-new-privileges-missing', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    security_opt:', '      - label:disable', '    restart: always') },
  { name: 'nnp: appended to a flow list', rule: 'compose/no-new-privileges-missing', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    security_opt: [label:disable]') },
  { name: 'nnp: flow-mapping service', rule: 'compose/no-new-privileges-missing', text: lines('services:', '  web: {image: "nginxdemos/hello:0.4", restart: always}') },
  { name: 'nnp: service built from an anchor, 4-space indent', rule: 'compose/no-new-privileges-missing', text: lines('x-base: &base', '    restart: always', 'services:', '    web:', '        <<: *base', '        image: nginxdemos/hello:0.4') },
  // compose/no-resource-limits
  { name: 'limits: inserted whole', rule: 'compose/no-resource-limits', text: lines('services:', '  ollama:', '    image: ollama/ollama:0.5.7', '    volumes:', '      - ollama:/root/.ollama', 'volumes:', '  ollama: {}') },
  { name: 'limits: into an existing deploy:', rule: 'compose/no-resource-limits', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    deploy:', '      restart_policy:', '        condition: on-failure') },
  { name: 'limits: into an existing resources:', rule: 'compose/no-resource-limits', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    deploy:', '      resources:', '        reservations:', '          memory: 256m') },
  { name: 'limits: flow deploy and empty limits', rule: 'compose/no-resource-limits', text: lines('services:', '  web:', '    image: nginxdemos/hello:0.4', '    deploy: {replicas: 1}', '  api:', '    image: nginxdemos/hello:0.4', '    deploy: {resources: {limits: {}}}') },
  // compose/backend-not-isolated
  {
    name: 'backend: declared, service moved, clients with no, list and map networks attached',
    rule: 'compose/backend-not-isolated',
    text: lines(
      'services:',
      '  ollama:',
      '    image: ollama/ollama:0.5.7',
      '  open-webui:',
      '    image: ghcr.io/open-webui/open-webui:v0.6.5',
      '    environment:',
      '      - OLLAMA_BASE_URL=http://ollama:11434',
      '  n8n:',
      '    image: n8nio/n8n:1.80.0',
      '    depends_on: [ollama]',
      '    networks: [front]',
      '  flowise:',
      '    image: flowiseai/flowise:2.2.5',
      '    command: ["--ollama", "http://ollama:11434"]',
      '    networks:',
      '      front:',
      '        aliases: [flow]',
      'networks:',
      '  front: {}',
    ),
  },
  { name: 'backend: an existing internal network reused', rule: 'compose/backend-not-isolated', text: lines('services:', '  redis:', '    image: redis:7', '  app:', '    image: app:1.0', '    depends_on:', '      - redis', 'networks:', '  private:', '    internal: true') },
  { name: 'backend: flow services, CRLF', rule: 'compose/backend-not-isolated', text: lines('services:', '  redis: {image: "redis:7"}', '  app: {image: "app:1.0", links: [redis]}').replace(/\n/g, '\r\n') },
];

describe('compose fixes keep the file valid (schema + docker-compose 1.29)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(schemaErrors(c.text), [], 'the input is valid for the schema');
      const before = dockerCompose(c.text);
      assert.ok(before.ok, `docker-compose accepts the input: ${before.output}`);
      const findings = only(lint(c.text), c.rule);
      assert.ok(findings.length > 0, `${c.rule} reports on the input`);
      const applied = findings.flatMap((finding) => finding.fixes.map((fix) => ({ finding, fix })));
      assert.ok(applied.length > 0, `${c.rule} offers a fix`);
      // Each fix of each finding, applied on its own to the input.
      for (const { finding, fix } of applied) {
        const fixed = applyFix(c.text, fix);
        assert.notEqual(fixed, c.text);
        const gone = only(lint(fixed), c.rule).every((f) => JSON.stringify(f.range) !== JSON.stringify(finding.range) || f.message !== finding.message);
        assert.ok(gone, `"${fix.title}" removes its finding`);
        assert.deepEqual(schemaErrors(fixed), [], `"${fix.title}" keeps the file valid for the schema:\n${fixed}`);
        const verdict = dockerCompose(fixed);
        if (c.oldToolRejectsFix) {
          // Known limitation of 1.29, asserted so that any other complaint still fails.
          assert.equal(verdict.ok, false);
          assert.match(verdict.output, c.oldToolRejectsFix);
        } else {
          assert.ok(verdict.ok, `docker-compose accepts the file after "${fix.title}": ${verdict.output}\n${fixed}`);
        }
      }
    });
  }

  it('covers every compose rule that offers a fix', () => {
    const withFixes = new Set<string>();
    for (const c of CASES) for (const f of lint(c.text)) if (f.fixes.length) withFixes.add(f.rule);
    const covered = new Set(CASES.map((c) => c.rule));
    for (const rule of withFixes) assert.ok(covered.has(rule), `${rule} offers fixes but has no fixture here`);
    const compose = new Set(allRules().filter((r) => r.format === 'compose').map((r) => r.id));
    assert.deepEqual([...covered].filter((r) => !compose.has(r)), []);
    assert.deepEqual([...covered].sort(), ['compose/backend-not-isolated', 'compose/no-new-privileges-missing', 'compose/no-resource-limits', 'compose/openwebui-auth-disabled', 'compose/port-exposed-all-interfaces']);
  });
});
