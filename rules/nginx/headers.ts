import type { RuleContext, TextEdit } from '../core/types';
import { holder, type HeaderSetting, type ProxyTarget } from './analysis';
import { insertAfter, replaceArgs } from './edit';

/** How a header value is written back: quoted when it has a space or a special character. */
export function headerValue(v: string): string {
  return /^[^\s;{}"'#\\]+$/.test(v) ? v : `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Edits that make `headers` set in the proxying location. A location that sets any
 * `proxy_set_header` loses every inherited one, so the inherited ones are copied in with it.
 * Undefined when a header to change is set at the location's level by an included file (editing
 * the shared snippet would change every place that includes it).
 */
export function setHeadersEdits(ctx: RuleContext, target: ProxyTarget, current: HeaderSetting, headers: { name: string; value: string }[]): TextEdit[] | undefined {
  const { anchor } = holder(target);
  const line = (name: string, value: string) => `proxy_set_header ${name} ${headerValue(value)};`;
  if (current.foreignHere) {
    // The location's own level already holds headers (some from an include): add to it, copy nothing.
    const edits: TextEdit[] = [];
    const added: string[] = [];
    for (const h of headers) {
      const existing = current.get(h.name);
      if (existing && !current.own(existing)) return undefined;
      if (existing) edits.push(replaceArgs(ctx, existing, `${existing.args[0].value} ${headerValue(h.value)}`));
      else added.push(line(h.name, h.value));
    }
    const lastOwn = [...current.all].reverse().find((d) => current.own(d));
    if (added.length) edits.push(insertAfter(ctx, lastOwn ?? anchor, added));
    return edits;
  }
  if (current.local) {
    const edits: TextEdit[] = [];
    const added: string[] = [];
    for (const h of headers) {
      const existing = current.get(h.name);
      if (existing) edits.push(replaceArgs(ctx, existing, `${existing.args[0].value} ${headerValue(h.value)}`));
      else added.push(line(h.name, h.value));
    }
    if (added.length) edits.push(insertAfter(ctx, current.all[current.all.length - 1], added));
    return edits;
  }
  const lines: string[] = [];
  const names = new Set(headers.map((h) => h.name.toLowerCase()));
  for (const inherited of current.all) {
    const name = inherited.args[0]?.value ?? '';
    if (names.has(name.toLowerCase())) continue;
    lines.push(current.text(inherited));
  }
  for (const h of headers) lines.push(line(h.name, h.value));
  return [insertAfter(ctx, anchor, lines)];
}
