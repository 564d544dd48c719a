/**
 * Appends `items` to `target` in place. `target.push(...items)` passes every item as an argument
 * and overflows the stack once `items` has ~100k elements (a file of many short lines does that),
 * so every concatenation of input-sized arrays goes through this loop instead.
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
