import { describe, expect, it } from "vitest";
import { createProgressMeter, createProgressReporter, describeProgress } from "../../src/index/progress";

describe("createProgressMeter", () => {
  it("times the rate from the first report, so texts read back from a cache do not inflate it", () => {
    let now = 0;
    const meter = createProgressMeter("passages", () => now);
    // 400 of 1,000 were in the cache: reported at once when the run starts.
    expect(meter(400, 1000)).toEqual({ stage: "passages", done: 400, total: 1000, perSecond: 0, secondsLeft: null });
    now = 10_000;
    const later = meter(700, 1000); // 300 embedded in 10 s
    expect(later).toEqual({ stage: "passages", done: 700, total: 1000, perSecond: 30, secondsLeft: 10 });
    expect(describeProgress(later)).toBe("700/1000 passages, 30/s, about 10 s left");
  });

  it("says minutes for long waits and nothing left when done", () => {
    let now = 0;
    const meter = createProgressMeter("sentences", () => now);
    meter(0, 10_000);
    now = 10_000;
    expect(describeProgress(meter(100, 10_000))).toBe("100/10000 sentences, 10/s, about 17 min left");
    now = 20_000;
    expect(describeProgress(meter(10_000, 10_000))).toBe("10000/10000 sentences, 500/s");
    expect(meter(10_000, 10_000).secondsLeft).toBe(0);
  });
});

describe("createProgressReporter", () => {
  it("passes every report on, and logs one line per interval and the last", () => {
    let clock = 0;
    const lines: string[] = [];
    const reports: number[] = [];
    const report = createProgressReporter("sentences", { log: (line) => lines.push(line), onProgress: (p) => reports.push(p.done), everyMs: 2000, now: () => clock });
    for (const done of [10, 20, 30]) {
      clock += 1000;
      report(done, 40);
    }
    clock += 1000;
    report(40, 40);
    expect(reports).toEqual([10, 20, 30, 40]);
    // 2 s after the start one line, then the last; the rate counts from the first report.
    expect(lines).toEqual(["embedded 20/40 sentences, 10/s, about 2 s left", "embedded 40/40 sentences, 10/s"]);
  });
});
