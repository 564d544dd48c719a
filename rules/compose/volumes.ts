import { asBoolean, scalarText, splitOutsideBraces, type RMap, type RNode, type Span } from './model';

/** A service's mount from `volumes:`, short (`./data:/data:ro`) or long (`type: bind` …) syntax. */
export interface Mount {
  node: RNode;
  syntax: 'short' | 'long';
  /** The host path or volume name as written; '' for an anonymous volume. */
  source: string;
  target: string;
  /** A host path (bind), as opposed to a named or anonymous volume. */
  bind: boolean;
  readOnly: boolean;
  /** Where a finding about the source goes: the short item, or the long syntax's `source:` entry. */
  span: Span;
}

/** Compose treats a source that looks like a path as a bind; a bare name is a named volume. */
export function isHostPath(source: string): boolean {
  return /^(\/|\.|~|\$)/.test(source);
}

export function serviceMounts(service: RMap | undefined): Mount[] {
  const volumes = service?.get('volumes')?.value;
  if (volumes?.kind !== 'seq') return [];
  const out: Mount[] = [];
  for (const item of volumes.items) {
    if (item.kind === 'scalar') {
      const parts = splitOutsideBraces(item.text.trim());
      // A Windows drive letter (`C:\data:/data`) is one part of the source.
      if (parts.length > 2 && /^[A-Za-z]$/.test(parts[0]) && /^[\\/]/.test(parts[1])) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
      if (parts.length === 1) {
        out.push({ node: item, syntax: 'short', source: '', target: parts[0], bind: false, readOnly: false, span: item.span });
        continue;
      }
      const [source, target, mode = ''] = parts;
      out.push({ node: item, syntax: 'short', source, target, bind: isHostPath(source), readOnly: mode.split(',').includes('ro'), span: item.span });
    } else if (item.kind === 'map') {
      const sourcePair = item.get('source');
      const source = scalarText(sourcePair?.value) ?? '';
      const type = scalarText(item.get('type')?.value);
      out.push({
        node: item,
        syntax: 'long',
        source,
        target: scalarText(item.get('target')?.value) ?? '',
        bind: type === 'bind' || (type === undefined && isHostPath(source)),
        readOnly: asBoolean(item.get('read_only')?.value) === true,
        span: sourcePair ? [sourcePair.keySpan[0], sourcePair.value?.span[1] ?? sourcePair.keySpan[1]] : item.span,
      });
    }
  }
  return out;
}

/** `//var/run/docker.sock/` → `/var/run/docker.sock`: the path the kernel resolves. */
export function normalizeHostPath(path: string): string {
  const p = path.trim().replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}
