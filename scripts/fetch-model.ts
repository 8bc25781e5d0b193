// Downloads the sentence-embedding model into models/ so the server can run it offline.
// Run on a machine with internet: npm run model:fetch [-- --model <id>] [--dir <folder>] [--unquantized]
// HF_ENDPOINT (the Hugging Face convention) points it at a mirror instead of huggingface.co.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { env, pipeline } from "@xenova/transformers";
import { createTransformersEmbedder, missingModelFiles } from "../src/embed/transformers";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "Xenova/multilingual-e5-small" },
    dir: { type: "string", default: "models" },
    unquantized: { type: "boolean", default: false },
  },
});
const model = values.model;
const modelsDir = values.dir;
const quantized = !values.unquantized;
const folder = join(modelsDir, model);

interface Progress {
  status: string;
  file?: string;
  progress?: number;
  loaded?: number;
  total?: number;
}

// One line per file per 10 %, so the log stays readable for a 100 MB download.
const lastDecile = new Map<string, number>();
function report({ status, file = "", progress, total }: Progress): void {
  if (status === "progress" && progress !== undefined) {
    const decile = Math.floor(progress / 10);
    if (decile === lastDecile.get(file)) return;
    lastDecile.set(file, decile);
    console.log(`  ${file}: ${Math.round(progress)}%${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ""}`);
  } else if (status === "done") {
    console.log(`  ${file}: done`);
  }
}

async function main(): Promise<void> {
  const missing = missingModelFiles(modelsDir, model, quantized);
  if (missing.length === 0) {
    console.log(`${model} is already in ${folder}; checking that it loads.`);
  } else {
    if (process.env.HF_ENDPOINT) env.remoteHost = process.env.HF_ENDPOINT;
    console.log(`Downloading ${model} (${quantized ? "int8-quantized" : "full precision"}) from ${env.remoteHost} into ${folder}/ ...`);
    // Downloads land in cacheDir under the model id, which is the same layout localModelPath reads.
    env.localModelPath = modelsDir;
    env.cacheDir = modelsDir;
    env.allowLocalModels = true;
    env.allowRemoteModels = true;
    try {
      await pipeline("feature-extraction", model, { quantized, progress_callback: report });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      console.error(
        `\nCould not download ${model} from ${env.remoteHost} (${detail}).\n` +
          `This step needs internet access. On an offline machine, copy the folder ${folder}/ from a machine that ran npm run model:fetch, ` +
          `or run the service with EMBEDDER=hashing.`,
      );
      process.exit(1);
    }
  }

  const stillMissing = missingModelFiles(modelsDir, model, quantized);
  if (stillMissing.length > 0) {
    console.error(`Download finished but ${folder}/ lacks ${stillMissing.join(", ")}; delete the folder and run this again.`);
    process.exit(1);
  }
  // Load it the way the server will: from disk only.
  const embedder = await createTransformersEmbedder({ model, modelsDir, quantized, allowRemote: false });
  console.log(`Ready: ${embedder.id}, dimension ${embedder.dimension}, in ${folder}/`);
}

await main();
