import { quotedName } from '../secrets/redact';
import type { Report, Rule } from '../core/types';
import type { EditTarget } from './edit';
import { DIRECTIVES, DIRECTIVE_BLOCKS, GLOBAL_OPTIONS, GLOBAL_SUBOPTIONS, MATCHERS, RESPONSE_MATCHERS, SUBDIRECTIVES, didYouMean as suggest } from './directives';
import type { Token } from './lexer';
import { resolve, shownPath } from './imports';
import { walk, type CaddyModel, type Directive } from './model';

/** Every name a snippet's top level may hold, wherever it is imported. */
const ANY_KNOWN: ReadonlySet<string> = new Set([...DIRECTIVES, ...MATCHERS, ...Object.values(SUBDIRECTIVES).flatMap((s) => [...s])]);

export const rule: Rule<CaddyModel> = {
  id: 'caddy/unknown-directive',
  format: 'caddy',
  severity: 'error',
  summary: 'A directive, global option, matcher or subdirective Caddy does not know',
  check(model, ctx) {
    const reports: Report[] = [];
    const res = resolve(model, ctx);
    // A file of 100k unknown lines: each name's suggestion is computed once, errors looked up by offset.
    const guesses = new Map<Iterable<string>, Map<string, string | undefined>>();
    const didYouMean = (name: string, known: Iterable<string>): string | undefined => {
      let byName = guesses.get(known);
      if (!byName) guesses.set(known, (byName = new Map()));
      if (!byName.has(name)) byName.set(name, suggest(name, known));
      return byName.get(name);
    };
    const explained = new Set(model.errors.map((e) => e.start));
    checkModel(model, (name, known, what, onlyTypos = false) => {
      // Where the parser already explained the line (a second site without braces), once is enough.
      if (explained.has(name.start)) return;
      const suggestion = didYouMean(name.text, known);
      if (onlyTypos && !suggestion) return;
      reports.push(report(ctx, name, what, suggestion));
    });
    // Imported files nobody lints on their own: Caddy refuses the whole config for a name it does
    // not know there too, so it is shown at the import (the fix edits that file).
    for (const { source, via } of res.reached) {
      checkModel(source.model, (name, known, what, onlyTypos = false) => {
        const suggestion = didYouMean(name.text, known);
        if (onlyTypos && !suggestion) return;
        const at = via.args[0] ?? via.name;
        const r = report(source, name, what, suggestion);
        const where = source.range(name.start, name.end);
        reports.push({
          ...r,
          range: ctx.range(at.start, at.end),
          message: `In ${shownPath(source.file, ctx.file)}:${where.start.line + 1}: ${r.message}`,
          fixes: r.fixes!.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: source.file })) })),
          related: [{ file: source.file, range: where, message: `${quotedName(name.text)} written here` }],
        });
      });
    }
    // An import's block is spliced where its snippet says `{block}` (or `{blocks.name}`): inside a
    // reverse_proxy block its lines are that directive's subdirectives.
    for (const block of model.blocks) {
      walk(block.directives, (d) => {
        if (d.name.text !== 'import' || d.name.quote !== '' || !d.block) return;
        const snippet = res.snippets.get(d.args[0]?.text ?? '');
        if (!snippet) return;
        walk(snippet.block.directives, (s) => {
          const slot = /^\{(block|blocks\.([^}]+))\}$/.exec(s.name.text);
          const subs = slot && s.parent ? SUBDIRECTIVES[s.parent.name.text] : undefined;
          if (!slot || !subs) return;
          const spliced = slot[2] === undefined ? d.block!.directives : d.block!.directives.find((x) => x.name.text === slot[2])?.block?.directives ?? [];
          for (const x of spliced) {
            if (subs.has(x.name.text) || x.name.text.startsWith('@') || x.name.quote !== '' || x.name.text.includes('{')) continue;
            reports.push(report(ctx, x.name, `subdirective of ${s.parent!.name.text} (spliced into snippet "${quotedName(d.args[0].text)}")`, didYouMean(x.name.text, subs)));
          }
        });
      });
    }
    return reports;
  },
};

type Flag = (name: Token, known: ReadonlySet<string>, what: string, onlyTypos?: boolean) => void;

/** Every name of a file checked against what Caddy knows where it stands. */
function checkModel(model: CaddyModel, report: Flag) {
  const flag: Flag = (name, known, what, onlyTypos) => {
    if (name.quote !== '' || name.text.includes('{') || name.text === 'import') return;
    report(name, known, what, onlyTypos);
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
  // `servers { timeouts { … } }`: the options Caddy's own parser of the option accepts.
  const globalOption = (d: Directive, path: string) => {
    const subs = GLOBAL_SUBOPTIONS[path];
    if (!subs) return;
    for (const s of d.block?.directives ?? []) {
      if (s.name.text === 'import') continue;
      if (!subs.has(s.name.text)) flag(s.name, subs, `${path} option`);
      else globalOption(s, `${path} ${s.name.text}`);
    }
  };
  for (const block of model.blocks) {
    if (block.kind === 'global') {
      for (const d of block.directives) {
        if (!GLOBAL_OPTIONS.has(d.name.text)) flag(d.name, GLOBAL_OPTIONS, 'global option');
        else globalOption(d, d.name.text);
      }
    } else if (block.kind === 'site' || block.kind === 'route' || (block.kind === 'fragment' && DIRECTIVES.has(block.directives[0]?.name.text ?? ''))) {
      directives(block.directives);
    } else if (block.kind === 'snippet' || block.kind === 'fragment') {
      // A snippet (or a file of `header_up` lines, `@matcher`s…) may hold directives, subdirectives
      // or whole sites, depending on where it is imported: only near-misses of a known name are reported there.
      for (const d of block.directives) {
        if (DIRECTIVES.has(d.name.text)) inside(d);
        else if (!ANY_KNOWN.has(d.name.text) && !d.name.text.startsWith('@')) flag(d.name, ANY_KNOWN, 'directive', true);
      }
    }
  }
}

// The name comes from the file (maybe one the user never named, through `import`): a word of it
// only, cut, escaped and masked (rules/secrets/redact.ts).
function report(ctx: EditTarget, name: Token, what: string, suggestion: string | undefined): Report {
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : ' If it comes from a plugin, this Caddy build must include that plugin.';
  return {
    range: ctx.range(name.start, name.end),
    message: `Unknown ${what} "${quotedName(name.text)}": Caddy refuses the whole config.${hint}`,
    fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ range: ctx.range(name.start, name.end), newText: suggestion }], preferred: true }] : [],
  };
}
