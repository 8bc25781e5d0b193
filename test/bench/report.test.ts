import { describe, expect, it } from "vitest";
import { renderChart } from "../../bench/lib/chart";
import { percentile, summarize } from "../../bench/lib/stats";
import { medianRun, type HttpRun } from "../../bench/http";
import { renderTables, type SizeResult } from "../../bench/lib/report";

describe("latency summaries", () => {
  it("use nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(summarize(samples)).toMatchObject({ n: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    expect(percentile([7], 0.99)).toBe(7);
    expect(summarize([])).toMatchObject({ n: 0, p50: 0, max: 0 });
  });
});

describe("the chart", () => {
  it("is a standalone SVG with one point per size in each panel", () => {
    const svg = renderChart(
      [
        { passages: 1000, p50: 2, p95: 5, p99: 9, buildSeconds: 2 },
        { passages: 18, p50: 1, p95: 3, p99: 4, buildSeconds: 0.3 },
        { passages: 100_000, p50: 6, p95: 15, p99: 30, buildSeconds: 200 },
      ],
      "test <machine>",
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<circle/g)).toHaveLength(3 * 3 + 3);
    expect(svg).toContain("test &lt;machine>");
    expect(svg).not.toContain("NaN");
  });
});

describe("repeated HTTP runs", () => {
  const run = (requestsPerSecond: number, errors = 0): HttpRun => ({
    connections: 32, durationSeconds: 10, requests: requestsPerSecond * 10, requestsPerSecond,
    latencyMs: { p50: 1, p90: 2, p97_5: 2.5, p99: 3, max: 4, mean: 1 }, errors, timeouts: 0, non2xx: 0,
  });

  it("report the median run, every run's answers/s in order, and the errors of all of them", async () => {
    const summary = medianRun([run(900), run(500, 2), run(1100)]);
    expect(summary.requestsPerSecond).toBe(900);
    expect(summary.repetitions).toEqual([900, 500, 1100]);
    expect(summary.errors).toBe(2); // the median run had none, but one of the others did
    // An even count takes the slower of the two middle runs.
    expect(medianRun([run(700), run(1000), run(800), run(1200)]).requestsPerSecond).toBe(800);
    expect(medianRun([run(650)])).toEqual(run(650));
  });
});

describe("the report's side-by-side of hnswlib builds", () => {
  const summary = { p50: 1, p95: 2, p99: 3 };
  const size = (passages: number, addonBuilds: SizeResult["addonBuilds"]): SizeResult => ({
    size: String(passages),
    corpus: { documents: 1, sentences: passages, passages },
    build: { embedPerSecond: 1, hnswPerSecond: 1, bm25PerSecond: 1, totalMs: 1, embedMs: 1, embedderIdfMs: 1, hnswMs: 1, bm25Ms: 1, pipelineMs: 1 },
    memory: { peakRssAfterBuildMb: 1, peakRssMb: 1 },
    query: { questions: 1, answer: summary, stages: {}, modes: {}, sameAnswerAsExact: { hnsw: 1, "bm25-only": 1 } },
    search: { defaultEfSearch: 64, hnswCurve: [], hnswSweep: [], hnswDefaultRecallAt50: 1, exact: summary, bm25: summary },
    transformers: { error: "not run" },
    analyzerFix: { passages: 1, before: { embedMs: 1, bm25Ms: 1 }, after: { embedMs: 1, bm25Ms: 1 }, identicalVectors: true },
    addonBuilds,
  });

  it("gives each size's times, their ratio, and why a size was skipped", () => {
    const markdown = renderTables(
      [
        size(1000, { builtWith: "-march=native", queries: 10, k: 50, efSearch: 128, portableMs: 0.4, nativeMs: 0.3, sameNeighbours: 1 }),
        size(18, { skipped: "no portable addon kept (portable: HNSWLIB_NO_NATIVE is set)" }),
      ],
      [],
      undefined,
    );
    expect(markdown).toContain("| 1,000 | -march=native | 128; 50 | 0.4 | 0.3 | 0.75 | 1 |");
    expect(markdown).toContain("| 18 | no portable addon kept (portable: HNSWLIB_NO_NATIVE is set) |");
  });

  it("leaves the section out for results written before the comparison existed", () => {
    expect(renderTables([size(1000, undefined)], [], undefined)).not.toContain("hnswlib-node built for this CPU");
  });
});
