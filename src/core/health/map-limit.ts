/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results in input order. Bounded so
 * a page of stats or worker tasks keeps the thread pool (or the worker pool) busy without
 * queueing thousands of promises at once.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
  return out
}
