// In-process scoring of question sets, with the same rules as ../shared/eval/run.mjs (a citation
// hits a gold quote when their spans overlap by at least half of the shorter), so tests,
// calibration and ablations can run without a server.
import { readFileSync } from "node:fs";
import type { AnswerEngine } from "../../src/answer/engine";
import type { AnswerResponse, HistoryTurn } from "../../src/types";

export interface EvalQuestion {
  id: string;
  lang: string;
  kind: string;
  question: string;
  gold: string[];
  history?: HistoryTurn[];
}

export interface EvalRow {
  question: EvalQuestion;
  rank: number;
  abstained: boolean;
  confidence: number;
  faithful: number;
  cited: number;
  ms: number;
  response: AnswerResponse;
}

export interface KindSummary {
  n: number;
  hit1: number | null;
  hit3: number | null;
  mrr: number | null;
  falseAbstain: number | null;
  abstainAccuracy: number | null;
}

export interface EvalReport {
  overall: KindSummary & { fidelity: number | null; p50ms: number; p95ms: number };
  byKind: Record<string, KindSummary>;
  rows: EvalRow[];
}

export function readQuestions(path: string): EvalQuestion[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EvalQuestion);
}

export function hits(docText: string, gold: string, start: number, end: number): boolean {
  const g0 = docText.indexOf(gold);
  if (g0 < 0) return false;
  const g1 = g0 + gold.length;
  const overlap = Math.min(g1, end) - Math.max(g0, start);
  return overlap > 0 && overlap >= 0.5 * Math.min(gold.length, end - start);
}

export async function evaluate(engine: AnswerEngine, questions: EvalQuestion[], topK = 5): Promise<EvalReport> {
  const rows: EvalRow[] = [];
  for (const question of questions) {
    const t0 = performance.now();
    const response = await engine.answer({ question: question.question, topK, history: question.history ?? [] });
    const ms = performance.now() - t0;
    let rank = 0;
    let faithful = 0;
    response.citations.forEach((c, i) => {
      const text = engine.getDocument(c.docId)?.text ?? "";
      if (text.slice(c.start, c.end) === c.text) faithful++;
      if (!rank && question.gold.some((g) => hits(text, g, c.start, c.end))) rank = i + 1;
    });
    rows.push({ question, rank, abstained: response.abstained, confidence: response.confidence, faithful, cited: response.citations.length, ms, response });
  }
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const cited = rows.reduce((n, r) => n + r.cited, 0);
  const kinds = [...new Set(rows.map((r) => r.question.kind))];
  return {
    overall: {
      ...summarize(rows),
      fidelity: cited ? rows.reduce((n, r) => n + r.faithful, 0) / cited : null,
      p50ms: percentile(ms, 0.5),
      p95ms: percentile(ms, 0.95),
    },
    byKind: Object.fromEntries(kinds.map((k) => [k, summarize(rows.filter((r) => r.question.kind === k))])),
    rows,
  };
}

function summarize(rows: EvalRow[]): KindSummary {
  const answerable = rows.filter((r) => r.question.gold.length > 0);
  const unanswerable = rows.filter((r) => r.question.gold.length === 0);
  const ratio = (a: number, b: number) => (b ? a / b : null);
  return {
    n: rows.length,
    hit1: ratio(answerable.filter((r) => r.rank === 1).length, answerable.length),
    hit3: ratio(answerable.filter((r) => r.rank >= 1 && r.rank <= 3).length, answerable.length),
    mrr: ratio(answerable.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0), answerable.length),
    falseAbstain: ratio(answerable.filter((r) => r.abstained).length, answerable.length),
    abstainAccuracy: ratio(unanswerable.filter((r) => r.abstained).length, unanswerable.length),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
}

/** The per-kind table in the layout of ../shared/eval/run.mjs. */
export function formatReport(report: EvalReport): string {
  const f = (x: number | null) => (x === null ? "  -  " : x.toFixed(3));
  const lines = ["kind           n   hit@1  hit@3  mrr    false-abstain  abstain-acc"];
  for (const [kind, s] of Object.entries({ ...report.byKind, overall: report.overall })) {
    lines.push(`${kind.padEnd(13)} ${String(s.n).padStart(3)}  ${f(s.hit1)}  ${f(s.hit3)}  ${f(s.mrr)}  ${f(s.falseAbstain)}          ${f(s.abstainAccuracy)}`);
  }
  for (const r of report.rows) {
    const miss = r.question.gold.length ? r.rank !== 1 : !r.abstained;
    if (miss) lines.push(`miss ${r.question.id} [${r.question.kind}] rank=${r.rank} abstained=${r.abstained} conf=${r.confidence.toFixed(3)}  ${r.question.question}`);
  }
  const o = report.overall;
  lines.push(`citation fidelity ${f(o.fidelity)}  latency p50 ${o.p50ms.toFixed(1)} ms  p95 ${o.p95ms.toFixed(1)} ms`);
  return lines.join("\n");
}
