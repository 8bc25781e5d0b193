// Node adapter: reads web assets from a directory for serveWeb, never outside it.
import { readFile, realpath } from "node:fs/promises";
import { resolve, sep } from "node:path";

export function nodeAssetReader(root: string): (path: string) => Promise<Uint8Array | null> {
  const base = resolve(root);
  const inside = (full: string, dir: string) => full === dir || full.startsWith(dir + sep);

  return async (path) => {
    if (path.includes("\0")) return null;
    const full = resolve(base, path);
    if (!inside(full, base)) return null;
    try {
      // A symlink inside the root may still point outside it.
      const [real, realBase] = await Promise.all([realpath(full), realpath(base)]);
      if (!inside(real, realBase)) return null;
      return new Uint8Array(await readFile(real));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return null;
      throw error;
    }
  };
}
