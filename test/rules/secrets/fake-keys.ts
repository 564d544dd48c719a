/**
 * Fake keys in every supported format, generated at run time from the formats' shapes (a seeded
 * generator, so failures reproduce). Nothing realistic is committed: push protection and secret
 * scanners see only this generator.
 */

export interface FakeKey {
  provider: string;
  /** true: found by secretlint in the asynchronous pass; false: by our own synchronous detectors. */
  library: boolean;
  value: string;
  /** The setting name the detector needs beside the key (AWS's secret key is only found by its name). */
  name?: string;
}

function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function fakeKeys(seed = 7): FakeKey[] {
  const r = generator(seed);
  // The OpenAI marker is "OpenAI" in base64; built from parts so no scanner sees a key shape here.
  const openaiMarker = ['T3Bl', 'bkFJ'].join('');
  return [
    { provider: 'OpenRouter', library: false, value: 'sk-or-v1-' + r(HEX, 64) },
    { provider: 'xAI', library: false, value: 'xai-' + r(ALNUM, 80) },
    { provider: 'Replicate', library: false, value: 'r8_' + r(ALNUM, 37) },
    { provider: 'LangSmith', library: false, value: 'lsv2_pt_' + r(HEX, 32) + '_' + r(HEX, 10) },
    { provider: 'DeepSeek', library: false, value: 'sk-' + r(HEX, 32) },
    { provider: 'Perplexity', library: false, value: 'pplx-' + r(ALNUM, 48) },
    { provider: 'OpenAI', library: true, value: 'sk-proj-' + r(ALNUM, 74) + openaiMarker + r(ALNUM, 74) },
    { provider: 'Anthropic', library: true, value: 'sk-ant-api03-' + r(ALNUM, 93) + 'AA' },
    { provider: 'Hugging Face', library: true, value: 'hf_' + r(LETTERS, 34) },
    { provider: 'Groq', library: true, value: 'gsk_' + r(ALNUM, 52) },
    { provider: 'GitHub', library: true, value: 'ghp_' + r(ALNUM, 36) },
    { provider: 'GitLab', library: true, value: 'glpat-' + r(ALNUM, 20) },
    { provider: 'AWS', library: true, value: r(ALNUM + '/+', 40), name: 'AWS_SECRET_ACCESS_KEY' },
    { provider: 'Stripe', library: true, value: ['sk', 'live', r(ALNUM, 24)].join('_') },
    { provider: 'npm', library: true, value: 'npm_' + r(ALNUM, 36) },
  ];
}
