// A model fitted by `npm run calibrate -- --embedder openai --write` gets its own thresholds from
// calibration.json's `embedders`, whatever host serves it (the entry is made up here).
import { describe, expect, it, vi } from "vitest";

vi.mock("../../src/retrieve/calibration.json", async (importOriginal) => {
  const original = ((await importOriginal()) as { default: Record<string, unknown> }).default;
  return { default: { ...original, embedders: { "openai:BAAI/bge-m3:none": { sameLanguage: 0.61, crossLingual: 0.042 } } } };
});

const { refusalCalibration, refusalHealth } = await import("../../src/retrieve/calibration");

describe("a fitted entry in calibration.json's embedders", () => {
  it("is used for the model and mark it names, on any host, and health says it is calibrated", () => {
    const found = refusalCalibration("openai:gpu.example:8080/BAAI/bge-m3:none#f00");
    expect(found).toMatchObject({ key: "openai:BAAI/bge-m3:none", calibrated: true, thresholds: { sameLanguage: 0.61, crossLingual: 0.042 } });
    expect(refusalHealth("openai:other:1/BAAI/bge-m3:none").refusal?.calibrated).toBe(true);
    expect(refusalCalibration("openai:gpu.example:8080/BAAI/bge-m3:prefix").calibrated).toBe(false);
  });
});
