// How far an embedding run has got: done/total, the rate since it started, and the time left.
// The rate counts only what was embedded during the run (texts read back from a cache arrive all
// at once at the start and would make it look faster than it is).

export interface IndexingProgress {
  /** What is being embedded: "passages" or "sentences". */
  stage: string;
  done: number;
  total: number;
  /** Texts embedded per second since the first report; 0 before there is a second report. */
  perSecond: number;
  /** At that rate; null while it is unknown. */
  secondsLeft: number | null;
}

/** Turns (done, total) reports into IndexingProgress, timing from the first report. */
export function createProgressMeter(stage: string, now: () => number = Date.now): (done: number, total: number) => IndexingProgress {
  let first: { done: number; at: number } | undefined;
  return (done, total) => {
    const at = now();
    first ??= { done, at };
    const seconds = (at - first.at) / 1000;
    const perSecond = seconds > 0 ? (done - first.done) / seconds : 0;
    return {
      stage,
      done,
      total,
      perSecond: Math.round(perSecond * 10) / 10,
      secondsLeft: perSecond > 0 ? Math.ceil((total - done) / perSecond) : done >= total ? 0 : null,
    };
  };
}

/** "120/462 passages, 33.1/s, about 11 s left": the terminal's line. */
export function describeProgress({ stage, done, total, perSecond, secondsLeft }: IndexingProgress): string {
  const rate = perSecond > 0 ? `, ${perSecond}/s` : "";
  const left = secondsLeft !== null && done < total ? `, about ${secondsLeft < 90 ? `${secondsLeft} s` : `${Math.ceil(secondsLeft / 60)} min`} left` : "";
  return `${done}/${total} ${stage}${rate}${left}`;
}

/**
 * A (done, total) callback for an embedding run: every report goes to `onProgress` (e.g. for
 * /api/health), and a line "embedded 120/462 passages, …" to `log` every `everyMs` and at the end.
 */
export function createProgressReporter(
  stage: string,
  { log, onProgress, everyMs = 2000, now = Date.now }: { log: (line: string) => void; onProgress?: (progress: IndexingProgress) => void; everyMs?: number; now?: () => number },
): (done: number, total: number) => void {
  const meter = createProgressMeter(stage, now);
  let lastLog = now();
  return (done, total) => {
    const progress = meter(done, total);
    onProgress?.(progress);
    if (done < total && now() - lastLog < everyMs) return;
    lastLog = now();
    log(`embedded ${describeProgress(progress)}`);
  };
}
