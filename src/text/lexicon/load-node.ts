// Node adapter: reads the optional lexicons that `npm run lexicons` built into lexicons/. Files
// that are absent are simply not used (the default install has none); a file that is present
// but unreadable is skipped with a problem naming it, so a bad build never stops the server.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLexicons, isLexiconFile, LEXICON_NAMES, noLexicons, type LexiconFile, type LexiconName, type Lexicons } from "./index";

/** Where `npm run lexicons` writes, relative to the working directory (like corpus/). */
export const DEFAULT_LEXICONS_DIR = "lexicons";

export interface LoadedLexicons {
  lexicons: Lexicons;
  /** One message per file that is present but could not be used. */
  problems: string[];
}

export function loadLexicons(options: { dir?: string } = {}): LoadedLexicons {
  const dir = options.dir ?? DEFAULT_LEXICONS_DIR;
  if (!existsSync(dir)) return { lexicons: noLexicons, problems: [] };
  const files: Partial<Record<LexiconName, LexiconFile>> = {};
  const problems: string[] = [];
  for (const name of LEXICON_NAMES) {
    const path = join(dir, `${name}.json`);
    if (!existsSync(path)) continue;
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (isLexiconFile(parsed)) files[name] = parsed;
      else problems.push(`Skipping lexicon ${path}: it is not a lexicon file; rebuild it with npm run lexicons.`);
    } catch (error) {
      problems.push(`Skipping lexicon ${path}: ${(error as Error).message}; rebuild it with npm run lexicons.`);
    }
  }
  return { lexicons: Object.keys(files).length === 0 ? noLexicons : createLexicons(files), problems };
}

/** One line for logs and scripts: which lexicons are in use, with their licences. */
export function describeLexicons(lexicons: Lexicons, dir = DEFAULT_LEXICONS_DIR): string {
  if (lexicons.loaded.length === 0) return `none (optional: npm run lexicons builds them into ${dir}/)`;
  return `${lexicons.loaded.map((l) => `${l.name} (${l.licence})`).join(", ")} from ${dir}/`;
}
