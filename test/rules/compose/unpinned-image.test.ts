import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lint, only, rangeOf } from '../../helpers';

const RULE = 'compose/unpinned-image';
const check = (text: string) => only(lint(text), RULE);
const withImages = (...images: string[]) => lines('services:', ...images.flatMap((img, i) => [`  s${i}:`, `    image: ${img}`]));

/** The range of an image value, found with its key and line end, as some images are prefixes of others. */
function valueRange(text: string, image: string) {
  const r = rangeOf(text, `image: ${image}\n`);
  return { start: { line: r.start.line, character: r.start.character + 7 }, end: { line: r.start.line, character: r.start.character + 7 + image.length } };
}

describe(RULE, () => {
  it('flags no tag, :latest, branch and channel tags and digitless variants, at the image', () => {
    const images = ['ollama/ollama', 'redis:latest', 'ghcr.io/open-webui/open-webui:main', '"nginx:stable-alpine"', 'ghcr.io/berriai/litellm:main-stable', 'ollama/ollama:rocm', 'vaultwarden/server:latest-alpine', 'localhost:5000/app', 'mariadb:lts', 'app:latest-cuda12'];
    const text = withImages(...images);
    const found = check(text);
    assert.deepEqual(found.map((f) => f.range), images.map((i) => valueRange(text, i)));
    assert.ok(found.every((f) => f.severity === 'info' && f.fixes.length === 0));
    assert.match(found[0].message, /"s0" uses ollama\/ollama, which has no tag and so means :latest/);
    assert.match(found[2].message, /whose tag :main follows a branch or channel/);
    assert.match(found[5].message, /whose tag :rocm names a variant, not a version/);
  });

  it('accepts versions, dated or commit branch builds, digests, interpolation and built images', () => {
    const text = lines(
      'services:',
      '  a:',
      '    image: ollama/ollama:0.5.7',
      '  b:',
      '    image: redis:7-alpine',
      '  c:',
      '    image: ghcr.io/open-webui/open-webui:v0.6.5-cuda',
      '  d:',
      '    image: ollama/ollama@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '  e:',
      '    image: ollama/ollama:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '  f:',
      '    image: ollama/ollama:${OLLAMA_TAG:-latest}',
      '  g:',
      '    image: myapp',
      '    build: .',
      '  h:',
      '    image: app:main-2024-06-01',
      '  i:',
      '    image: app:dev-3f9c2ab',
      '  j:',
      '    build: .',
    );
    assert.deepEqual(check(text), []);
  });

  it('reports an image shared through an anchor once, at the anchor', () => {
    const text = lines('x-o: &o', '  image: ollama/ollama', 'services:', '  a:', '    <<: *o', '  b:', '    <<: *o');
    assert.deepEqual(check(text).map((f) => f.range), [rangeOf(text, 'ollama/ollama')]);
  });
});
