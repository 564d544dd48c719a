import { parseImage } from '../knowledge/services';
import type { Report, Rule } from '../core/types';
import { hasInterpolation, type ComposeModel } from './model';

/**
 * Tags that name a branch or channel rather than a release. A suffix that is a variant
 * (`main-cuda`, `latest-rocm6`) moves just the same; one that is a date, version or commit
 * (`main-2024-06-01`, `dev-3f9c2ab`) is a pin.
 */
const MOVING = /^(latest|main|master|nightly|dev|develop|edge|stable|unstable|lts|rolling|canary)(?:[-_.](.*))?$/i;
const PIN_SUFFIX = /^(v?\d|[0-9a-f]{7,}$)/i;

export const rule: Rule<ComposeModel> = {
  id: 'compose/unpinned-image',
  format: 'compose',
  severity: 'info',
  summary: 'Image is not pinned to a version (no tag, :latest or another moving tag)',
  check(model, ctx) {
    const reports: Report[] = [];
    for (const service of model.services) {
      const node = service.node;
      const image = node?.get('image')?.value;
      // With build:, image: names what is built here, not something pulled.
      if (!node || node.get('build') || image?.kind !== 'scalar' || typeof image.value !== 'string') continue;
      const text = image.text.trim();
      if (!text || hasInterpolation(text)) continue;
      const why = moving(text);
      if (!why) continue;
      reports.push({
        range: ctx.range(image.span[0], image.span[1]),
        message: `"${service.name}" uses ${text}, ${why}: the next pull can bring a different version, with breaking changes or a new vulnerability, and two hosts can run different code. Pin a version tag or a digest (@sha256:…).`,
      });
    }
    return reports;
  },
};

/** Why the reference moves, or undefined when it is pinned (a digest, or a tag with a version number in it). */
function moving(image: string): string | undefined {
  const ref = parseImage(image);
  if (ref.digest) return undefined;
  if (!ref.tag) return 'which has no tag and so means :latest';
  const m = MOVING.exec(ref.tag);
  if (m && (m[2] === undefined || !PIN_SUFFIX.test(m[2]))) return `whose tag :${ref.tag} follows a branch or channel`;
  if (!/\d/.test(ref.tag)) return `whose tag :${ref.tag} names a variant, not a version`;
  return undefined;
}
