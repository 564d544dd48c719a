/**
 * What the Exposure view shows, as plain strings: labels, protection marks, icons, tooltips and the
 * place a click opens. No `vscode` here, so `npm test` checks it; `exposure-view.ts` turns it into
 * tree items.
 */
import type { Severity } from '../rules/core/types';
import type { Place } from '../rules/deployment/facts';
import { redactor } from '../rules/secrets/redact';
import type { EntryPoint, Exposure, Hop, Protections, WorstFinding } from '../rules/deployment/exposure-types';

/** A ThemeIcon id: the worst finding's severity, or `pass` when there is none. */
export type IconId = 'error' | 'warning' | 'info' | 'pass';

/** One row of the view, everything but the vscode objects. */
export interface Row {
  /** Stable across refreshes (keeps the expansion state), unique in the tree. */
  id: string;
  label: string;
  description: string;
  icon: IconId;
  /** Markdown. */
  tooltip: string;
  /** The entry point's or hop's own place. */
  place: Place;
  /** What a click opens: the worst finding's place, else the row's own. */
  open: Place;
  worst?: WorstFinding;
  children: Row[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** `TLS ✓ · auth ✗ · rate limit ✗`; `auth ?` when nothing says whether the service checks. */
export function marks(p: Protections): string {
  const mark = (v: boolean | 'unknown') => (v === 'unknown' ? '?' : v ? '✓' : '✗');
  return `TLS ${mark(p.tls)} · auth ${mark(p.auth)} · rate limit ${mark(p.rateLimit)}`;
}

/** `0.0.0.0:443  nginx ollama.example.com`; a service listening itself is named: `compose service ollama (Ollama)`. */
export function entryLabel(e: EntryPoint): string {
  const service = e.service && !e.name.includes(e.service) ? ` (${e.service})` : '';
  return `${e.address}  ${e.name}${service}`;
}

/** `/api/ → http://127.0.0.1:11434 → compose service ollama (Ollama)`; an unresolved target is not repeated. */
export function hopLabel(h: Hop): string {
  return h.reaches && h.reaches !== h.target ? `${h.path} → ${h.target} → ${h.reaches}` : `${h.path} → ${h.target}`;
}

export function iconOf(worst: WorstFinding | undefined): IconId {
  if (!worst) return 'pass';
  return worst.severity === 'error' ? 'error' : worst.severity === 'warning' ? 'warning' : 'info';
}

/** The more severe of two findings; the first on a tie. */
export function worse(a: WorstFinding | undefined, b: WorstFinding | undefined): WorstFinding | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[b.severity] > RANK[a.severity] ? b : a;
}

/** An entry point is as bad as the worst of itself and what sits behind it. */
export function entryWorst(e: EntryPoint): WorstFinding | undefined {
  return e.hops.reduce((w, h) => worse(w, h.worst), e.worst);
}

/** Markdown text shown as is: everything Markdown could read as syntax is escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`);
}

/** `caddy/proxy-without-auth (warning): message`, then the protections, then where it is. */
export function tooltip(title: string, p: Protections, worst: WorstFinding | undefined, place: Place, relative: (file: string) => string): string {
  const lines = [`**${escapeMarkdown(title)}**`, '', escapeMarkdown(marks(p))];
  if (worst) {
    lines.push('', `$(${iconOf(worst)}) \`${worst.rule}\` (${worst.severity}): ${escapeMarkdown(worst.message)}`);
    lines.push('', escapeMarkdown(`${relative(worst.place.file)}:${worst.place.range.start.line + 1}`));
  } else {
    lines.push('', 'No finding.', '', escapeMarkdown(`${relative(place.file)}:${place.range.start.line + 1}`));
  }
  return lines.join('\n');
}

/** The rows of the view, in the order the server gives the entry points. */
export function rows(given: Exposure, relative: (file: string) => string = (f) => f): Row[] {
  // The server masks the overview already; labels and tooltips are masked again here in case a
  // server of another version did not (secret-shaped spans: `proxy_pass https://user:PASSWORD@…`).
  const exposure = redactor().exposure(given);
  const seen = new Set<string>();
  const unique = (id: string) => {
    let out = id;
    for (let n = 2; seen.has(out); n++) out = `${id}#${n}`;
    seen.add(out);
    return out;
  };
  return exposure.entries.map((e) => {
    const id = unique(`${e.kind}|${e.address}|${e.name}|${placeKey(e.place)}`);
    const label = entryLabel(e);
    const worst = entryWorst(e);
    const children = e.hops.map((h): Row => {
      const hopLabelText = hopLabel(h);
      return {
        id: unique(`${id}>${h.path}|${h.target}|${placeKey(h.place)}`),
        label: hopLabelText,
        description: marks(h.protections),
        icon: iconOf(h.worst),
        tooltip: tooltip(hopLabelText, h.protections, h.worst, h.place, relative),
        place: h.place,
        open: (h.worst ?? h).place,
        worst: h.worst,
        children: [],
      };
    });
    return {
      id,
      label,
      description: marks(e.protections),
      icon: iconOf(worst),
      tooltip: tooltip(label, e.protections, worst, e.place, relative),
      place: e.place,
      open: (worst ?? e).place,
      worst,
      children,
    };
  });
}

function placeKey(p: Place): string {
  return `${p.file}:${p.range.start.line}:${p.range.start.character}`;
}
