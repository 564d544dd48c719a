/**
 * How deep blocks may nest before a parser stops descending. Real configurations nest a handful of
 * levels; a crafted file with thousands would overflow the stack of any recursive walk, so parsers
 * report a syntax error where this is reached and skip what is inside (the rest is still read).
 */
export const MAX_NESTING = 256;

export const tooDeep = (what: string) => `${what} nested more than ${MAX_NESTING} levels deep: not read further (no real configuration nests this deep)`;
