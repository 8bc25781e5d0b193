// Markdown tables and target checks from one run's results.
import type { HttpResult } from "../http";
import { ConfigSchema } from "../../src/config";
import { DEFAULT_MIN_SHARD_SIZE } from "../../src/index/hnsw-shards";
import type { AddonComparison } from "./addon-builds";

const DEFAULTS = ConfigSchema.parse({});

/** What bench/size.ts writes (only the fields the report reads are typed). */
export interface SizeResult {
  size: string;
  corpus: { documents: number; sentences: number; passages: number };
  build: Record<"embedPerSecond" | "hnswPerSecond" | "bm25PerSecond" | "totalMs" | "embedMs" | "embedderIdfMs" | "hnswMs" | "bm25Ms" | "pipelineMs", number> & { hnswShards?: number };
  memory: { peakRssAfterBuildMb: number; peakRssMb: number };
  query: {
    questions: number;
    answer: { p50: number; p95: number; p99: number };
    stages: Record<string, { p50: number; p95: number; p99: number }>;
    modes: Record<string, { p50: number; p95: number; p99: number }>;
    sameAnswerAsExact: Record<string, number>;
  };
  search: {
    /** The efSearch the answer path uses at this size unless configured otherwise: the one the targets are about. */
    defaultEfSearch: number;
    hnswCurve: { efSearch: number; recallAt10: number; scoreRecallAt10: number; latency: { p50: number; p95: number } }[];
    hnswSweep: { M: number; efConstruction: number; buildMs: number; recall: { efSearch: number; recallAt10: number; scoreRecallAt10: number; meanMs: number }[] }[];
    hnswDefaultRecallAt50: number;
    exact: { p50: number; p95: number };
    bm25: { p50: number; p95: number };
  };
  transformers: { passages: number; msPerPassage: number; hashingMsPerPassage: number } | { error: string };
  analyzerFix: { passages: number; before: { embedMs: number; bm25Ms: number }; after: { embedMs: number; bm25Ms: number }; identicalVectors: boolean };
  /** Absent in results written before the install built hnswlib-node for the CPU. */
  addonBuilds?: AddonComparison;
}

export interface HttpSizeResult extends HttpResult {
  size: string;
  passages: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

const n = (x: number) => x.toLocaleString("en-US");
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const table = (head: string[], rows: (string | number)[][]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

export function checkTargets(sizes: SizeResult[], http: HttpSizeResult[]): Target[] {
  const at = (size: string) => sizes.find((s) => s.size === size);
  const big = at("100000");
  const ten = http.find((h) => h.size === "10000")?.runs.find((r) => r.connections === 32);
  const atDefault = big?.search.hnswCurve.find((c) => c.efSearch === big.search.defaultEfSearch);
  const targets: Target[] = [
    { name: "index 100k passages", goal: "≤ 120 s", measured: big ? `${(big.build.totalMs / 1000).toFixed(1)} s` : "not run", met: big ? big.build.totalMs <= 120_000 : null },
    { name: "peak RSS at 100k (build + serve)", goal: "≤ 1.5 GB", measured: big ? `${n(big.memory.peakRssAfterBuildMb)} MB` : "not run", met: big ? big.memory.peakRssAfterBuildMb <= 1536 : null },
    { name: "answer p95 in process at 100k", goal: "≤ 20 ms", measured: big ? `${big.query.answer.p95} ms` : "not run", met: big ? big.query.answer.p95 <= 20 : null },
    { name: `HNSW recall@10 at the default efSearch (${big?.search.defaultEfSearch ?? "auto"} at 100k)`, goal: "≥ 0.95", measured: atDefault ? `${atDefault.recallAt10} (by score ${atDefault.scoreRecallAt10})` : "not run", met: atDefault ? atDefault.recallAt10 >= 0.95 : null },
    {
      name: "HTTP at 10k, 32 connections",
      goal: "≥ 1,000 answers/s, 0 errors",
      measured: ten ? `${n(ten.requestsPerSecond)}/s${ten.repetitions ? ` (median of ${ten.repetitions.map(n).join(", ")})` : ""}, ${ten.errors + ten.non2xx} errors` : "not run",
      met: ten ? ten.requestsPerSecond >= 1000 && ten.errors + ten.non2xx === 0 : null,
    },
  ];
  return targets;
}

export function renderTables(sizes: SizeResult[], http: HttpSizeResult[], targets: Target[] | undefined): string {
  const out: string[] = [];
  const label = (s: SizeResult) => (s.size === "real" ? `real (${s.corpus.passages})` : n(s.corpus.passages));

  out.push(`### Index build (built-in hashing embedder, HNSW with the server's defaults: M ${DEFAULTS.HNSW_M}, efConstruction ${DEFAULTS.HNSW_EF_CONSTRUCTION}, one graph below ${n(2 * DEFAULT_MIN_SHARD_SIZE)} passages, up to ${DEFAULTS.HNSW_SHARDS} built on worker threads beyond)\n`);
  out.push(table(
    ["passages", "documents", "embed /s", "HNSW insert /s", "BM25 /s", "build total", "pipeline assembly", "peak RSS after build", "peak RSS (whole run)"],
    sizes.map((s) => [label(s), n(s.corpus.documents), n(s.build.embedPerSecond), n(s.build.hnswPerSecond), n(s.build.bm25PerSecond),
      `${(s.build.totalMs / 1000).toFixed(1)} s`, `${(s.build.pipelineMs / 1000).toFixed(1)} s`, `${n(s.memory.peakRssAfterBuildMb)} MB`, `${n(s.memory.peakRssMb)} MB`]),
  ));

  out.push("\n### Answer latency in process, ms (p50 / p95 / p99)\n");
  const stages = ["analyze", "lexical", "embed", "dense", "fusion", "sentences"];
  const triple = (x?: { p50: number; p95: number; p99: number }) => (x ? `${x.p50} / ${x.p95} / ${x.p99}` : "–");
  out.push(table(
    ["passages", "questions", "answer (whole path)", ...stages],
    sizes.map((s) => [label(s), s.query.questions, `**${triple(s.query.answer)}**`, ...stages.map((st) => triple(s.query.stages[st]))]),
  ));

  out.push("\n### Alternatives, same questions, modes interleaved (answer p50 / p95 / p99 ms; search alone p50 / p95 ms)\n");
  out.push(table(
    ["passages", "answer: HNSW", "answer: exact", "answer: BM25 only", "same first citation as exact: HNSW; BM25 only", "search: HNSW default ef, k10", "search: exact k10", "search: BM25 k50", "tiny transformers.js ms/passage", "hashing ms/passage"],
    sizes.map((s) => {
      const atDefault = s.search.hnswCurve.find((c) => c.efSearch === s.search.defaultEfSearch);
      const t = "error" in s.transformers ? undefined : s.transformers;
      return [label(s), triple(s.query.modes.hnsw), triple(s.query.modes.exact), triple(s.query.modes["bm25-only"]),
        `${s.query.sameAnswerAsExact.hnsw}; ${s.query.sameAnswerAsExact["bm25-only"]}`,
        atDefault ? `${atDefault.latency.p50} / ${atDefault.latency.p95}` : "–", `${s.search.exact.p50} / ${s.search.exact.p95}`, `${s.search.bm25.p50} / ${s.search.bm25.p95}`,
        t ? t.msPerPassage : "error", t ? t.hashingMsPerPassage : "–"];
    }),
  ));

  out.push("\n### HNSW recall@10 against exact search (by id; by score, ties counted) and search latency p50 ms\n");
  const efs = sizes[0]?.search.hnswCurve.map((c) => c.efSearch) ?? [];
  out.push(table(
    ["passages", "default efSearch", ...efs.map((e) => `efSearch ${e}`), "recall@50 as the answer path asks (k=50, default ef)"],
    sizes.map((s) => [label(s), s.search.defaultEfSearch, ...s.search.hnswCurve.map((c) => `${c.recallAt10}; ${c.scoreRecallAt10} (${c.latency.p50} ms)`), s.search.hnswDefaultRecallAt50]),
  ));
  const swept = sizes.filter((s) => s.search.hnswSweep.length > 0);
  if (swept.length) {
    out.push("\n### HNSW graph settings (same vectors)\n");
    out.push(table(
      ["passages", "graphs", "M", "efConstruction", "build", "recall@10 ef64 (id; score)", "recall@10 ef128 (id; score)"],
      swept.flatMap((s) => {
        const base = s.search.hnswCurve;
        const pick = (ef: number) => base.find((c) => c.efSearch === ef)!;
        return [
          [label(s), s.build.hnswShards ?? 1, DEFAULTS.HNSW_M, DEFAULTS.HNSW_EF_CONSTRUCTION, `${(s.build.hnswMs / 1000).toFixed(1)} s`, `${pick(64).recallAt10}; ${pick(64).scoreRecallAt10}`, `${pick(128).recallAt10}; ${pick(128).scoreRecallAt10}`],
          ...s.search.hnswSweep.map((w) => [label(s), 1, w.M, w.efConstruction, `${(w.buildMs / 1000).toFixed(1)} s`,
            ...w.recall.map((r) => `${r.recallAt10}; ${r.scoreRecallAt10}`)]),
        ];
      }),
    ));
  }

  out.push("\n### Profiled fix, side by side: per-word memo of stemming (processTerm)\n");
  out.push(table(
    ["passages (sample)", "embed before", "embed after", "BM25 analyze+build before", "after", "identical vectors"],
    sizes.map((s) => [label(s) + ` (${n(s.analyzerFix.passages)})`, `${n(s.analyzerFix.before.embedMs)} ms`, `${n(s.analyzerFix.after.embedMs)} ms`,
      `${n(s.analyzerFix.before.bm25Ms)} ms`, `${n(s.analyzerFix.after.bm25Ms)} ms`, s.analyzerFix.identicalVectors ? "yes" : "**no**"]),
  ));

  const compared = sizes.filter((s) => s.addonBuilds);
  if (compared.length) {
    out.push("\n### Profiled fix, side by side: hnswlib-node built for this CPU vs the portable build (dense search alone, first graph, same queries, alternated)\n");
    out.push(table(
      ["passages", "installed build", "efSearch; k", "portable ms/search", "native ms/search", "native / portable", "same neighbours"],
      compared.map((s) => {
        const a = s.addonBuilds!;
        if ("skipped" in a) return [label(s), a.skipped, "–", "–", "–", "–", "–"];
        return [label(s), a.builtWith, `${a.efSearch}; ${a.k}`, a.portableMs, a.nativeMs, a.portableMs > 0 ? (a.nativeMs / a.portableMs).toFixed(2) : "–", a.sameNeighbours];
      }),
    ));
  }

  if (http.length) {
    out.push("\n### HTTP over loopback (real server, POST /api/answer, autocannon)\n");
    out.push(table(
      ["passages", "server ready", "connections", "answers/s (median run)", "every run", "p50 ms", "p99 ms", "errors", "non-2xx", "CPU ms per answer: server; autocannon", "server peak RSS"],
      http.flatMap((h) => h.runs.map((r) => [h.size === "real" ? `real (${h.passages})` : n(h.passages), `${(h.readyMs / 1000).toFixed(1)} s`, r.connections,
        n(r.requestsPerSecond), r.repetitions?.map(n).join(", ") ?? "", r.latencyMs.p50, r.latencyMs.p99, r.errors, r.non2xx,
        r.serverCpuMsPerRequest === undefined ? "" : `${r.serverCpuMsPerRequest}; ${r.clientCpuMsPerRequest}`, `${n(h.serverPeakRssMb)} MB`])),
    ));
  }

  if (targets) {
    out.push("\n### Targets\n");
    out.push(table(["target", "goal", "measured", "met"], targets.map((t) => [t.name, t.goal, t.measured, t.met === null ? "not run" : t.met ? "yes" : "**no**"])));
  }
  return out.join("\n") + "\n";
}
