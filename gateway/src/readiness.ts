/** Ready only when every subgraph's /ready answers 200. */
export async function allSubgraphsReady(urls: readonly string[], timeoutMs = 2000): Promise<boolean> {
  const results = await Promise.all(
    urls.map(async (url) => {
      const ready = new URL('/ready', url).toString();
      try {
        const res = await fetch(ready, { signal: AbortSignal.timeout(timeoutMs) });
        return res.ok;
      } catch {
        return false;
      }
    }),
  );
  return results.every(Boolean);
}
