import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("lets efSearch and the worker count follow the machine and corpus unless fixed", () => {
    const defaults = loadConfig({});
    expect(defaults.HNSW_EF_SEARCH).toBe("auto");
    expect(defaults.WORKERS).toBe("auto");
    expect(loadConfig({ HNSW_EF_SEARCH: "300", WORKERS: "1" })).toMatchObject({ HNSW_EF_SEARCH: 300, WORKERS: 1 });
  });
  it("names the variable, the value and what it accepts", () => {
    expect(() => loadConfig({ HNSW_EF_SEARCH: "fast" })).toThrow(/HNSW_EF_SEARCH.*fast.*auto, or a number from 10 to 2000/s);
    expect(() => loadConfig({ HNSW_EF_SEARCH: "5" })).toThrow(/HNSW_EF_SEARCH/);
  });
});
