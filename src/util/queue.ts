// Queues read from a moving head (an array and the index of the first item not yet taken).

/**
 * What a queue should hold once its head has moved: null while the taken front is short enough
 * to keep, else the items not yet taken (none when all are). Taken items must not stay reachable
 * for long: held up to a few hundred per decky, a fleet's worth of them was a seventh of the
 * planner's live heap.
 */
export function untaken<T>(items: T[], head: number): T[] | null {
  if (head === items.length) return head === 0 ? null : [];
  return head > 32 ? items.slice(head) : null;
}
