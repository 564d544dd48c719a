import type { Report, Rule, RuleContext } from '../core/types';
import { DIRECTIVES, DIRECTIVE_BLOCKS, GLOBAL_OPTIONS, MATCHERS, RESPONSE_MATCHERS, SUBDIRECTIVES, didYouMean } from './directives';
import type { Token } from './lexer';
import type { CaddyModel, Directive } from './model';

/** Every name a snippet's top level may hold, wherever it is imported. */
const ANY_KNOWN: ReadonlySet<string> = new Set([...DIRECTIVES, ...MATCHERS, ...Object.values(SUBDIRECTIVES).flatMap((s) => [...s])]);

export const rule: Rule<CaddyModel> = {
  id: 'caddy/unknown-directive',
  format: 'caddy',
  severity: 'error',
  summary: 'A directive, global option, matcher or subdirective Caddy does not know',
  check(model, ctx) {
    const reports: Report[] = [];
    const flag = (name: Token, known: Iterable<string>, what: string, onlyTypos = false) => {
      if (name.quote !== '' || name.text.includes('{') || name.text === 'import') return;
      // Where the parser already explained the line (a second site without braces), once is enough.
      if (model.errors.some((e) => e.start === name.start)) return;
      const suggestion = didYouMean(name.text, known);
      if (onlyTypos && !suggestion) return;
      reports.push(report(ctx, name, what, suggestion));
    };
    const directives = (ds: readonly Directive[]) => {
      for (const d of ds) {
        const name = d.name.text;
        if (name.startsWith('@')) matcherDefinition(d);
        else if (!DIRECTIVES.has(name)) flag(d.name, DIRECTIVES, 'directive');
        else inside(d);
      }
    };
    const matcherDefinition = (d: Directive, known: ReadonlySet<string> = MATCHERS) => {
      // `@name matcher args [{ options }]` on one line, or `@name { matcher args … }`.
      const names = d.args.length ? d.args.slice(0, 1) : (d.block?.directives ?? []).map((m) => m.name);
      // `@name /path` and a quoted CEL expression are shorthands, not matcher names.
      for (const n of names) if (!known.has(n.text) && !n.text.startsWith('/') && !n.text.startsWith('*')) flag(n, known, known === MATCHERS ? 'request matcher' : 'response matcher');
    };
    const inside = (d: Directive) => {
      const body = d.block?.directives ?? [];
      if (DIRECTIVE_BLOCKS.has(d.name.text)) return directives(body);
      const subs = SUBDIRECTIVES[d.name.text];
      if (!subs) return;
      for (const s of body) {
        if (s.name.text === 'handle_response') directives(s.block?.directives ?? []);
        else if (s.name.text.startsWith('@')) matcherDefinition(s, RESPONSE_MATCHERS);
        else if (!subs.has(s.name.text)) flag(s.name, subs, `subdirective of ${d.name.text}`);
      }
    };
    for (const block of model.blocks) {
      if (block.kind === 'global') {
        for (const d of block.directives) if (!GLOBAL_OPTIONS.has(d.name.text)) flag(d.name, GLOBAL_OPTIONS, 'global option');
      } else if (block.kind === 'site' || block.kind === 'route' || block.kind === 'fragment') {
        directives(block.directives);
      } else if (block.kind === 'snippet') {
        // A snippet may hold directives, subdirectives or whole sites, depending on where it is
        // imported: only near-misses of a known name are reported there.
        for (const d of block.directives) {
          if (DIRECTIVES.has(d.name.text)) inside(d);
          else if (!ANY_KNOWN.has(d.name.text) && !d.name.text.startsWith('@')) flag(d.name, ANY_KNOWN, 'directive', true);
        }
      }
    }
    return reports;
  },
};

function report(ctx: RuleContext, name: Token, what: string, suggestion: string | undefined): Report {
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : ' If it comes from a plugin, this Caddy build must include that plugin.';
  return {
    range: ctx.range(name.start, name.end),
    message: `Unknown ${what} "${name.text}": Caddy refuses the whole config.${hint}`,
    fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ range: ctx.range(name.start, name.end), newText: suggestion }], preferred: true }] : [],
  };
}
