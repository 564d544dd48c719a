/**
 * Known key formats through secretlint (`@secretlint/core` with the recommended preset, MIT): an
 * ESM-only, asynchronous library, loaded lazily by `import()` (esbuild bundles it into our CommonJS
 * programs). It only matches text: no file access, no network. Its own messages print the secret
 * (or a row of asterisks as long as it); we never use them, only its rule ids and ranges.
 */

export interface LibraryHit {
  /** `openai`, `github`, `database-connection-string`… */
  detector: string;
  messageId: string;
  start: number;
  end: number;
}

const RULE_PREFIX = '@secretlint/secretlint-rule-';

export async function scanWithSecretlint(text: string, file: string): Promise<LibraryHit[]> {
  const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/profiler'),
  ]);
  silence(secretLintProfiler);
  const result = await lintSource({
    source: { filePath: file, content: text, contentType: 'text' },
    options: { maskSecrets: true, noPhysicFilePath: true, config: { rules: [{ id: `${RULE_PREFIX}preset-recommend`, rule: creator }] } },
  });
  return result.messages
    .filter((m) => m.type === 'message' && Array.isArray(m.range))
    .map((m) => exactRange(text, { detector: m.ruleId.replace(RULE_PREFIX, ''), messageId: m.messageId, start: m.range[0], end: m.range[1] }));
}

/**
 * secretlint's core always profiles: every scan leaves timing marks in the process's performance
 * timeline and in the profiler's arrays, never freed, which a server that lints for hours cannot
 * afford. Marking is turned off on the very instance core uses (`@secretlint/profiler` is a direct
 * dependency at core's version so that there is one copy).
 */
function silence(profiler: { mark: (marker: never) => void }): void {
  profiler.mark = () => {};
}

/**
 * secretlint 13.0.7 reports an AWS secret access key from the start of `AWS_SECRET_ACCESS_KEY=`
 * (the match's index with the key's length): the range is moved onto the 40-character key itself.
 */
function exactRange(text: string, hit: LibraryHit): LibraryHit {
  if (hit.detector !== 'aws' || hit.messageId !== 'AWSSecretAccessKey') return hit;
  const m = /^[^\n]{0,80}?(?::|=>|=)\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/.exec(text.slice(hit.start, hit.start + 160));
  if (!m) return hit;
  const start = hit.start + m[0].length - m[1].length;
  return { ...hit, start, end: start + 40 };
}

const NAMES: Record<string, string> = {
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  huggingface: 'Hugging Face token',
  groq: 'Groq API key',
  github: 'GitHub token',
  gitlab: 'GitLab token',
  aws: 'AWS credential',
  gcp: 'Google Cloud credential',
  slack: 'Slack token',
  stripe: 'Stripe key',
  npm: 'npm token',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  privatekey: 'private key',
  basicauth: 'password in a URL',
  'database-connection-string': 'database connection string with a password',
  '1password': '1Password token',
  cloudflare: 'Cloudflare token',
  databricks: 'Databricks token',
  docker: 'Docker Hub token',
  figma: 'Figma token',
  grafana: 'Grafana token',
  'hashicorp-vault': 'HashiCorp Vault token',
  linear: 'Linear API key',
  notion: 'Notion token',
  tailscale: 'Tailscale key',
  vercel: 'Vercel token',
};

export function describeHit(hit: LibraryHit): string {
  return NAMES[hit.detector] ?? `${hit.detector} secret`;
}
