// The last line of a test run, in the plain form CI and a reader look for (issue 29):
// "N passed, N failed" and ", N skipped" when any were skipped. Runs beside vitest's default
// reporter (vitest.config.ts), after it, so it is the closing line of `npm test`.
//
// "failed" must never read 0 on a red run: a test file that fails to load, a beforeAll that
// throws before any test fails, or an error outside every test counts as one failure each.
import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export function countRun(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): RunCounts {
  const counts: RunCounts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const module of modules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") counts.passed++;
      else if (state === "failed") failedHere++;
      else if (state === "skipped") counts.skipped++;
    }
    // A module that is not ok without a failed test failed outside its tests (import, hook).
    if (failedHere === 0 && module.state() === "failed") failedHere = 1;
    counts.failed += failedHere;
  }
  return counts;
}

export function summaryLine({ passed, failed, skipped }: RunCounts): string {
  return `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : "");
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    process.stdout.write(`${summaryLine(countRun(modules, unhandledErrors))}\n`);
  }
}
