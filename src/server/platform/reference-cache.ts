// An in-memory copy of reference data (code lists, programme settings: never personal data), valid for one
// value of the database's reference version. Each request brings the version it read with its session; a
// copy made under an older version is loaded anew, so a change made through any instance is seen by the
// very next request everywhere. Without a version (a caller outside a request) nothing is cached.

interface Entry<V> {
  version: number;
  value: V;
}

export class VersionedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries = 1_000) {}

  async get(key: string, version: number | undefined, load: () => Promise<V>): Promise<V> {
    if (version === undefined) return load();
    const hit = this.entries.get(key);
    // A copy made under a newer version than the caller read is at least as fresh as the caller needs.
    if (hit && hit.version >= version) return hit.value;
    const value = await load();
    if (!hit && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { version, value });
    return value;
  }

  /** How many keys are held (for tests). */
  get size(): number {
    return this.entries.size;
  }
}
