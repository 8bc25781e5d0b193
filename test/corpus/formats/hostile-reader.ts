// Test-only reader for the worker-thread limits (extract-node.test.ts): the file's text says how
// to misbehave; anything else goes to the real readers.
import { extractText as realExtractText, type ExtractOptions } from "../../../src/corpus/formats/index";
import type { ExtractedText, SourceFormat } from "../../../src/types";

export async function extractText(bytes: Uint8Array, format: Exclude<SourceFormat, "text">, options: ExtractOptions): Promise<ExtractedText> {
  const command = new TextDecoder().decode(bytes.subarray(0, 16));
  if (command.startsWith("hang")) for (;;); // a parser stuck in a loop: only terminate() stops it
  if (command.startsWith("allocate")) {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => `line ${i} ${hoard.length}`));
  }
  if (command.startsWith("exit")) process.exit(3);
  if (command.startsWith("throw")) throw new TypeError("a bug in a reader");
  return realExtractText(bytes, format, options);
}
