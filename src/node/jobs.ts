// Indexing jobs for uploads and deletions: one runs at a time, in the order they came, each
// through the same rebuild the server runs on SIGHUP (the current engine answers meanwhile and
// the new one is swapped in when ready). A job's state is a plain object (JobSchema) that
// /api/jobs/:id returns and /api/jobs/:id/events streams on every change.
import { randomUUID } from "node:crypto";
import { formatMessage } from "../errors";
import type { IndexingProgress } from "../index/progress";
import type { Job, JobStage } from "../schemas";
import type { CorpusWarning } from "../types";

/** What a job's rebuild reports back: the new corpus's warnings and the ids it now serves. */
export interface RebuildOutcome {
  warnings: CorpusWarning[];
  hasDocument: (id: string) => boolean;
}

/** Reports from a running rebuild. */
export interface RebuildListener {
  stage(stage: "extracting" | "embedding" | "indexing"): void;
  progress(progress: IndexingProgress): void;
}

export interface JobQueueOptions {
  /** Runs one rebuild of the corpus and resolves once the new engine answers; rejects when it failed. */
  rebuild: (listener: RebuildListener) => Promise<RebuildOutcome>;
  /** Finished jobs kept for GET /api/jobs/:id (oldest forgotten first). */
  keep?: number;
}

export interface JobFile {
  /** The document id the file gives. */
  document: string;
  /** Its name relative to the corpus folder, as the loader's warnings name it. */
  file: string;
}

export interface JobQueue {
  enqueue(kind: Job["kind"], files: JobFile[]): Job;
  get(id: string): Job | undefined;
  /** Calls `listener` with the job's state on every change until it ends; returns the unsubscribe. */
  subscribe(id: string, listener: (job: Job) => void): () => void;
}

export const isFinished = (stage: JobStage) => stage === "done" || stage === "failed";

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { rebuild, keep } = { keep: 100, ...options };
  const jobs = new Map<string, Job>();
  const listeners = new Map<string, Set<(job: Job) => void>>();
  let tail: Promise<void> = Promise.resolve();

  const update = (id: string, change: Partial<Job>) => {
    const current = jobs.get(id)!;
    // A stage announced twice (a child's build, then the load after it) is one change, not two events.
    if (Object.entries(change).every(([key, value]) => current[key as keyof Job] === value)) return;
    const next = { ...current, ...change };
    jobs.set(id, next);
    for (const listener of listeners.get(id) ?? []) listener(next);
    if (isFinished(next.stage)) listeners.delete(id);
  };

  async function run(id: string, kind: Job["kind"], files: JobFile[]): Promise<void> {
    try {
      const outcome = await rebuild({
        // The last embedding counts stay on through indexing and done: how much was embedded.
        stage: (stage) => update(id, { stage, ...(stage === "extracting" && { done: 0, total: 0, perSecond: 0, secondsLeft: null }) }),
        progress: ({ done, total, perSecond, secondsLeft }) => update(id, { stage: "embedding", done, total, perSecond, secondsLeft }),
      });
      update(id, { stage: "done", secondsLeft: 0, errors: kind === "upload" ? fileErrors(files, outcome) : [] });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      update(id, { stage: "failed", secondsLeft: null, error: { code: "INDEXING_FAILED", message: formatMessage("INDEXING_FAILED", detail) } });
    }
  }

  return {
    enqueue(kind, files) {
      const id = randomUUID();
      const job: Job = { id, kind, stage: "queued", done: 0, total: 0, perSecond: 0, secondsLeft: null, documents: files.map((f) => f.document), errors: [] };
      jobs.set(id, job);
      forgetOldest(jobs, keep);
      tail = tail.then(() => run(id, kind, files));
      return job;
    },
    get: (id) => jobs.get(id),
    subscribe(id, listener) {
      const set = listeners.get(id) ?? new Set();
      listeners.set(id, set.add(listener));
      return () => void set.delete(listener);
    },
  };
}

/** The loader's warnings for each file of the job; a file that gave no document and no warning says so. */
function fileErrors(files: JobFile[], outcome: RebuildOutcome): Job["errors"] {
  const errors: Job["errors"] = [];
  for (const { document, file } of files) {
    const warnings = outcome.warnings.filter((warning) => warning.file === file);
    for (const { code, message } of warnings) errors.push({ document, code, message });
    if (warnings.length === 0 && !outcome.hasDocument(document)) {
      errors.push({ document, code: "UPLOAD_NOT_INDEXED", message: formatMessage("UPLOAD_NOT_INDEXED", file) });
    }
  }
  return errors;
}

function forgetOldest(jobs: Map<string, Job>, keep: number): void {
  for (const [id, job] of jobs) {
    if (jobs.size <= keep) return;
    if (isFinished(job.stage)) jobs.delete(id);
  }
}
