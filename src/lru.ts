// A bounded cache, shared by the stages that keep per-text or per-token work between questions
// (retrieve/retriever.ts, embed/transformers.ts, embed/token-vectors.ts).

/** A Map that forgets the least recently used entry beyond `limit` (Maps iterate in insertion order). */
export function createLruCache<K, V>(limit: number) {
  const map = new Map<K, V>();
  return {
    get(key: K): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: K, value: V): void {
      map.delete(key);
      map.set(key, value);
      if (map.size > limit) map.delete(map.keys().next().value as K);
    },
  };
}

/** `compute` remembering its results for the last `limit` keys used. */
export function memoize<K, V>(compute: (key: K) => V, limit: number): (key: K) => V {
  const cache = createLruCache<K, V>(limit);
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}
