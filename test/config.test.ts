import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("lets efSearch follow the corpus, and the worker count the machine when asked", () => {
    const defaults = loadConfig({});
    expect(defaults.HNSW_EF_SEARCH).toBe("auto");
    expect(defaults.WORKERS).toBe(1); // the lowest latency for one user; "auto" for throughput
    expect(loadConfig({ HNSW_EF_SEARCH: "300", WORKERS: "auto" })).toMatchObject({ HNSW_EF_SEARCH: 300, WORKERS: "auto" });
  });
  it("names the variable, the value and what it accepts", () => {
    expect(() => loadConfig({ HNSW_EF_SEARCH: "fast" })).toThrow(/HNSW_EF_SEARCH.*fast.*auto, or a number from 10 to 2000/s);
    expect(() => loadConfig({ HNSW_EF_SEARCH: "5" })).toThrow(/HNSW_EF_SEARCH/);
  });
});
