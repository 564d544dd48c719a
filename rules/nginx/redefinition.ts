import type { RuleContext, TextEdit } from '../core/types';
import { isReference, isSecretName, looksLikeSecret, mask } from '../secrets/detect';
import { insertBefore } from './edit';
import type { Directive, NginxModel } from './model';

/**
 * Array directives (add_header, proxy_set_header) are inherited only by levels that set none of
 * their own: one line in a nested level drops every outer one. This finds the levels that drop some.
 */
export interface Dropped {
  /** The nested level's first directive of the kind. */
  first: Directive;
  /** The outer directives it drops (their names not set again here). */
  dropped: Directive[];
}

export function droppedByRedefinition(model: NginxModel, name: string, inheritSwitch?: string): Dropped[] {
  const out: Dropped[] = [];
  const levels: { owner?: Directive; children: readonly Directive[] }[] = [
    { children: model.root },
    ...model.all.filter((d) => d.block && !d.block.opaque && d.childCtx !== 0).map((d) => ({ owner: d, children: d.block!.children })),
  ];
  // Each level's own lines, once: sibling locations all look at the same outer levels.
  const ownOf = new Map<Directive | undefined, Directive[]>();
  const linesOf = (d: Directive | undefined) => {
    let list = ownOf.get(d);
    if (!list) ownOf.set(d, (list = (d ? d.block?.children ?? [] : model.root).filter((c) => c.name === name && c.args[0])));
    return list;
  };
  for (const { owner, children } of levels) {
    const own = linesOf(owner);
    if (!own.length || !owner) continue;
    // nginx 1.29.3: add_header_inherit on/merge keeps the outer headers.
    if (inheritSwitch && children.some((c) => c.name === inheritSwitch && c.args[0]?.value !== 'off')) continue;
    let outer: Directive[] = [];
    for (let p = owner.parent; ; p = p.parent) {
      outer = linesOf(p);
      if (outer.length || !p) break;
    }
    const names = new Set(own.map((c) => c.args[0].value.toLowerCase()));
    const dropped = outer.filter((c) => !names.has(c.args[0].value.toLowerCase()));
    if (dropped.length) out.push({ first: own[0], dropped });
  }
  return out;
}

/** Copies the dropped outer lines into the nested level, before its own first one. */
export function copyDropped(ctx: RuleContext, d: Dropped): TextEdit {
  const edit = insertBefore(ctx, d.first, d.dropped.map((x) => ctx.text.slice(x.start, x.end)));
  // A copied `X-Api-Key <key>` carries the key: outputs show this form (the adapters' redactor
  // masks the run's secrets too; this holds even with the secrets rule turned off).
  const shown = insertBefore(ctx, d.first, d.dropped.map((x) => maskedLine(ctx, x)));
  return shown.newText === edit.newText ? edit : { ...edit, redacted: shown.newText };
}

/** The directive's text with a secret-named header's literal value masked. */
function maskedLine(ctx: RuleContext, x: Directive): string {
  const value = x.args[1];
  const text = ctx.text.slice(x.start, x.end);
  if (!value || !isSecretName(x.args[0].value) || isReference(value.value) || !looksLikeSecret(value.value)) return text;
  const from = value.start - x.start + (value.quote ? 1 : 0);
  const to = value.end - x.start - (value.quote ? 1 : 0);
  return text.slice(0, from) + mask(text.slice(from, to)) + text.slice(to);
}
