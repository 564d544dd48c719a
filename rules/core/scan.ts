/**
 * Hand scanners for what a RegExp would find in a value in quadratic time: an unanchored
 * `[a-z][a-z0-9+.-]*:\/\/…` tried at every position of `aaaa…a://` rescans the run each time (the
 * issue's 190 KB value took 10 s). These find each `://` once and read around it, so a whole value
 * costs one pass.
 */

/** `[^/@\s]` in a URL's authority: what ends it is a `/`, an `@` or white space. */
const endsAuthority = (ch: string) => ch === '/' || ch === '@' || /\s/.test(ch);
const isSchemeChar = (ch: string) => /[A-Za-z0-9+.-]/.test(ch);
const isLetter = (ch: string) => /[A-Za-z]/.test(ch);

export interface Authority {
  /** Index of the `://`. */
  sep: number;
  /** Where the scheme starts: its leftmost letter (what `[a-z][a-z0-9+.-]*` would match); -1 when it has none. */
  scheme: number;
  /** The authority: from after `://` to the first `/`, `@` or white space (`end`, maybe the length). */
  start: number;
  end: number;
}

/**
 * Every `://` in `value`, in order, with its scheme and the authority that follows. Scheme runs and
 * authorities of different `://` do not overlap (`:` and `/` end both), so the scan is linear.
 */
export function* authorities(value: string): Generator<Authority> {
  let runStart = 0;
  for (let sep = value.indexOf('://'); sep >= 0; sep = value.indexOf('://', sep + 1)) {
    // The scheme run: scheme characters just before the `://`, not reaching back past the previous one.
    let r = sep;
    while (r > runStart && isSchemeChar(value[r - 1])) r--;
    let scheme = -1;
    for (let k = r; k < sep; k++) {
      if (isLetter(value[k])) {
        scheme = k;
        break;
      }
    }
    const start = sep + 3;
    let end = start;
    while (end < value.length && !endsAuthority(value[end])) end++;
    yield { sep, scheme, start, end };
    runStart = sep + 1;
  }
}

/**
 * The password of the first `scheme://user:password@` in `value` (as
 * `/[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i` finds it): its offsets, or undefined.
 */
export function urlPasswordSpan(value: string): { start: number; end: number } | undefined {
  for (const a of authorities(value)) {
    if (a.scheme < 0 || value[a.end] !== '@') continue;
    // The user part holds no `:`: the first one starts the password, which runs to the `@`.
    const colon = value.indexOf(':', a.start);
    if (colon < 0 || colon >= a.end - 1) continue;
    return { start: colon + 1, end: a.end };
  }
  return undefined;
}

/**
 * Whether some `://` is followed by `user:password@` (`/:\/\/[^/@\s]{u,}:[^/@\s]+@/`): the part
 * before `@` has a `:` with at least `minUser` characters before it and one after it.
 */
export function hasUrlCredentials(value: string, minUser = 1, from?: Authority): boolean {
  const check = (a: Authority) => {
    if (value[a.end] !== '@') return false;
    const colon = value.indexOf(':', a.start + minUser);
    return colon >= 0 && colon <= a.end - 2;
  };
  if (from) return check(from);
  for (const a of authorities(value)) if (check(a)) return true;
  return false;
}
