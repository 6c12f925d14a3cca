/** `task(i)` for i in [0, count), at most `limit` at once, results in order of i. */
export async function mapLimited<T>(
  count: number,
  limit: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), count) }, worker));
  return results;
}
