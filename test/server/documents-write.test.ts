// Adding and removing documents through the HTTP contract (app.request, no process): every status
// the write routes answer, jobs and their event stream, and that names from the client never
// become paths. The real upload saver, job queue and engine; the rebuild is the engine's own.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app";
import { ErrorSchema, JobSchema, UploadResponseSchema, type Job } from "../../src/schemas";
import { bearer, form, SEED, startWriteHarness, type WriteHarness } from "../support/writes";
import { READY_HEALTH } from "../support/health";

let harness: WriteHarness;
beforeEach(async () => {
  harness = await startWriteHarness();
});
afterEach(() => harness.close());

const PLANT = "أعلنت جامعة النيل الأزرق عن افتتاح مختبر جديد لأبحاث المياه في مدينة ود مدني خلال شهر أكتوبر.\n";
const upload = (data: FormData, headers: Record<string, string> = bearer()) => harness.app.request("/api/documents", { method: "POST", headers, body: data });
const uploadsDir = () => join(harness.corpusDir, "uploads");
const listUploads = () => (existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : []);

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toContain("test-admin-token"); // never the token
  return body.error.message;
}

/** Polls the job until it ends. */
async function finished(id: string): Promise<Job> {
  for (;;) {
    const job = JobSchema.parse(await (await harness.app.request(`/api/jobs/${id}`)).json());
    if (job.stage === "done" || job.stage === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ask = async (question: string) =>
  (await (await harness.app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).json()) as {
    citations: { docId: string; text: string }[];
  };

describe("POST /api/documents", () => {
  it("202: saves the file under its sha256, with its fields in a sidecar, and the job makes it answerable", async () => {
    const res = await upload(form([["report.txt", PLANT]], { title: "مختبر المياه", source: "وكالة", published: "2024-10-02", language: "ar" }));
    expect(res.status).toBe(202);
    const body = UploadResponseSchema.parse(await res.json());
    expect(body.documents).toEqual([{ id: expect.stringMatching(/^uploads-[0-9a-f]{16}$/), status: "accepted" }]);
    const id = body.documents[0].id;
    const hex = id.slice("uploads-".length);
    expect(readFileSync(join(uploadsDir(), `${hex}.txt`), "utf8")).toBe(PLANT);
    expect(JSON.parse(readFileSync(join(uploadsDir(), `${hex}.meta.json`), "utf8"))).toEqual({ title: "مختبر المياه", source: "وكالة", published: "2024-10-02", language: "ar" });
    expect(listUploads().filter((n) => n.startsWith("."))).toEqual([]); // no temporary file left

    const job = await finished(body.job!);
    expect(job).toMatchObject({ kind: "upload", stage: "done", documents: [id], errors: [] });
    const doc = harness.engine().engine.getDocument(id)!;
    expect(doc.title).toBe("مختبر المياه");
    const answer = await ask("أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟");
    expect(answer.citations[0]).toMatchObject({ docId: id, text: PLANT.trim() });
  });

  it("the same bytes again answer with the existing id and start no job; so do a corpus file's bytes", async () => {
    const first = UploadResponseSchema.parse(await (await upload(form([["a.txt", PLANT]]))).json());
    await finished(first.job!);
    const again = await upload(form([["other-name.md", PLANT]]));
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ documents: [{ id: first.documents[0].id, status: "duplicate" }], job: null });
    const seed = await upload(form([["x.txt", SEED]]));
    expect(await seed.json()).toEqual({ documents: [{ id: "seed", status: "duplicate" }], job: null });
  });

  it("several files in one request, each under its own id; the client's name is only the title", async () => {
    const res = await upload(form([["../../x", PLANT], ["/etc/passwd", "نص ثان عن الزراعة في السودان.\n"]]));
    const body = UploadResponseSchema.parse(await res.json());
    expect(body.documents.map((d) => d.status)).toEqual(["accepted", "accepted"]);
    await finished(body.job!);
    expect(existsSync(join(harness.corpusDir, "..", "x"))).toBe(false);
    expect(listUploads().sort()).toEqual(body.documents.flatMap(({ id }) => [`${id.slice(8)}.meta.json`, `${id.slice(8)}.txt`]).sort());
    expect(harness.engine().engine.getDocument(body.documents[0].id)!.title).toBe("x");
    expect(harness.engine().engine.getDocument(body.documents[1].id)!.title).toBe("passwd");
  });

  // The title: the form's, then the document's own (a page's <title> or heading, a PDF's or DOCX's
  // properties, a text's front matter), then the client's file name, then "upload <hex>".
  it("a page's own title comes before the client's file name, and the form's before both", async () => {
    const page = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${PLANT}</p><p>وتضم الجامعة كليات عدة في ولاية الجزيرة.</p></article></body></html>`;
    const own = UploadResponseSchema.parse(await (await upload(form([["superbowl.html", page("سوبر بول 50")]]))).json());
    await finished(own.job!);
    expect(harness.engine().engine.getDocument(own.documents[0].id)!.title).toBe("سوبر بول 50");
    expect(JSON.parse(readFileSync(join(uploadsDir(), `${own.documents[0].id.slice(8)}.meta.json`), "utf8"))).toEqual({ fallbackTitle: "superbowl" });

    const titled = UploadResponseSchema.parse(await (await upload(form([["other.html", page("نهائي الدوري")]], { title: "عنوان النموذج" }))).json());
    await finished(titled.job!);
    expect(harness.engine().engine.getDocument(titled.documents[0].id)!.title).toBe("عنوان النموذج");
  });

  it("a text without a title of its own takes the client's file name, then upload <hex>; front matter and the form come first", async () => {
    const named = UploadResponseSchema.parse(await (await upload(form([["تقرير المياه.txt", PLANT], ["...", "نص ثالث عن الري في الجزيرة.\n"]]))).json());
    const front = UploadResponseSchema.parse(await (await upload(form([["notes.txt", "---\ntitle: من الرأس\n---\nنص رابع عن السدود.\n"]]))).json());
    const titled = UploadResponseSchema.parse(await (await upload(form([["notes.txt", "نص خامس عن القطن.\n"]], { title: "من النموذج" }))).json());
    // The form's title is the sidecar's, which comes before the file's own front matter too.
    const both = UploadResponseSchema.parse(await (await upload(form([["notes.txt", "---\ntitle: من الرأس\n---\nنص سادس عن القمح.\n"]], { title: "من النموذج" }))).json());
    for (const body of [named, front, titled, both]) await finished(body.job!);
    const titleOf = (id: string) => harness.engine().engine.getDocument(id)!.title;
    expect(titleOf(named.documents[0].id)).toBe("تقرير المياه");
    expect(titleOf(named.documents[1].id)).toBe(`upload ${named.documents[1].id.slice(8)}`);
    expect(titleOf(front.documents[0].id)).toBe("من الرأس");
    expect(titleOf(titled.documents[0].id)).toBe("من النموذج");
    expect(titleOf(both.documents[0].id)).toBe("من النموذج");
  });

  it("a PDF, DOCX or HTML is accepted by content under its format's extension, whatever its name", async () => {
    const pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    const html = "<!doctype html><html><body><article><p>نص</p></article></body></html>";
    const res = await upload(form([["notes.txt", pdf], ["page.pdf", html]]));
    expect(res.status).toBe(202);
    const body = UploadResponseSchema.parse(await res.json());
    expect(listUploads().filter((n) => !n.endsWith(".meta.json")).map((n) => n.split(".")[1]).sort()).toEqual(["html", "pdf"]);
    const job = await finished(body.job!);
    // Read once the corpus loader reads these formats; until then each file is listed with its error.
    for (const { id } of body.documents) {
      const served = harness.engine().engine.getDocument(id) !== undefined;
      expect(served || job.errors.some((e) => e.document === id)).toBe(true);
    }
  });

  it("401 without a token, 403 with a wrong one, and nothing is saved", async () => {
    const message = await expectError(await upload(form([["a.txt", PLANT]]), {}), 401, "UNAUTHORIZED");
    expect(message).toContain("Authorization: Bearer");
    await expectError(await upload(form([["a.txt", PLANT]]), bearer("wrong-token-wrong-token")), 403, "FORBIDDEN");
    await expectError(await upload(form([["a.txt", PLANT]]), { authorization: "Basic dXNlcjpwYXNz" }), 401, "UNAUTHORIZED");
    expect(listUploads()).toEqual([]);
  });

  it("415 for content nobody reads (decided by content, not the .txt name), and nothing is kept", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const message = await expectError(await upload(form([["fine.txt", PLANT], ["photo.txt", png]])), 415, "UNSUPPORTED_FILE_TYPE");
    expect(message).toContain("photo.txt");
    await expectError(await upload(form([["nul.txt", `${PLANT}\u0000tail`]])), 415, "UNSUPPORTED_FILE_TYPE");
    expect(listUploads()).toEqual([]);
  });

  it("413 for a 21st file, 413 past MAX_UPLOAD_BYTES, and no temporary file is left", async () => {
    const files = Array.from({ length: 21 }, (_, i) => [`f${i}.txt`, `ملف رقم ${i} عن الطاقة.\n`] as [string, string]);
    expect(await expectError(await upload(form(files)), 413, "TOO_MANY_FILES")).toContain("20");
    const big = "ن".repeat(600 * 1024); // 1.2 MB of UTF-8 against the harness's 1 MB
    expect(await expectError(await upload(form([["big.txt", big]])), 413, "UPLOAD_TOO_LARGE")).toContain("1048576");
    expect(listUploads()).toEqual([]);
  });

  it("400 for no file, an unknown field or a bad one; 415 when the body is not multipart", async () => {
    await expectError(await upload(form([], { title: "t" })), 400, "NO_FILES");
    await expectError(await upload(form([["a.txt", PLANT]], { path: "/etc" })), 400, "INVALID_REQUEST");
    await expectError(await upload(form([["a.txt", PLANT]], { url: "javascript:alert(1)" })), 400, "INVALID_REQUEST");
    const json = await harness.app.request("/api/documents", { method: "POST", headers: { ...bearer(), "content-type": "application/json" }, body: "{}" });
    await expectError(json, 415, "NOT_MULTIPART");
    expect(listUploads()).toEqual([]);
  });
});

describe("ADMIN_TOKEN=off, and a server without write routes", () => {
  it("403 WRITES_DISABLED whatever the token", async () => {
    const closed = await startWriteHarness({ token: "off" });
    try {
      const res = await closed.app.request("/api/documents", { method: "POST", headers: bearer(), body: form([["a.txt", PLANT]]) });
      await expectError(res, 403, "WRITES_DISABLED");
      await expectError(await closed.app.request("/api/documents/seed", { method: "DELETE" }), 403, "WRITES_DISABLED");
    } finally {
      closed.close();
    }
  });

  it("405 READ_ONLY with the reason (the Worker's app has no writes)", async () => {
    const readOnly = createApp({ engine: () => harness.engine().engine, health: () => READY_HEALTH });
    const message = await expectError(await readOnly.request("/api/documents", { method: "POST", body: form([["a.txt", PLANT]]) }), 405, "READ_ONLY");
    expect(message).toContain("Worker");
    await expectError(await readOnly.request("/api/documents/seed", { method: "DELETE" }), 405, "READ_ONLY");
    await expectError(await readOnly.request("/api/jobs/x"), 404, "NOT_FOUND");
  });
});

describe("jobs", () => {
  it("the event stream sends the job's stages in order until done, with progress", async () => {
    const { job } = UploadResponseSchema.parse(await (await upload(form([["a.txt", PLANT]]))).json());
    const res = await harness.app.request(`/api/jobs/${job}/events`);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = (await res.text())
      .split("\n\n")
      .filter((block) => block.startsWith("data: "))
      .map((block) => JobSchema.parse(JSON.parse(block.slice(6))));
    const stages = events.map((e) => e.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages[0]).toMatch(/queued|extracting/);
    expect(stages.slice(-4)).toEqual(["extracting", "embedding", "indexing", "done"]);
    expect(events.some((e) => e.stage === "embedding" && e.total > 0 && e.done === e.total)).toBe(true);
    // A finished job's stream is its last state, then the end.
    const after = await (await harness.app.request(`/api/jobs/${job}/events`)).text();
    expect(after.match(/^data: /gm)).toHaveLength(1);
  });

  it("404 JOB_NOT_FOUND for an unknown job", async () => {
    await expectError(await harness.app.request("/api/jobs/nope"), 404, "JOB_NOT_FOUND");
    await expectError(await harness.app.request("/api/jobs/nope/events"), 404, "JOB_NOT_FOUND");
  });

  it("a failed rebuild fails the job with the reason, and the previous index keeps answering", async () => {
    let fail = false;
    const failing = await startWriteHarness({ failRebuild: () => fail });
    try {
      fail = true;
      const res = await failing.app.request("/api/documents", { method: "POST", headers: bearer(), body: form([["a.txt", PLANT]]) });
      const { job } = UploadResponseSchema.parse(await res.json());
      let state: Job;
      do state = JobSchema.parse(await (await failing.app.request(`/api/jobs/${job}`)).json());
      while (state.stage !== "failed");
      expect(state.error).toMatchObject({ code: "INDEXING_FAILED", message: expect.stringContaining("the disk is full") });
      expect(failing.engine().engine.getDocument("seed")).toBeDefined();
    } finally {
      failing.close();
    }
  });
});

describe("DELETE /api/documents/:id", () => {
  it("204 with the job in Location; the file, sidecar and document are gone once it is done", async () => {
    const body = UploadResponseSchema.parse(await (await upload(form([["a.txt", PLANT]], { title: "t" }))).json());
    await finished(body.job!);
    const id = body.documents[0].id;
    const res = await harness.app.request(`/api/documents/${id}`, { method: "DELETE", headers: bearer() });
    expect(res.status).toBe(204);
    const job = await finished(res.headers.get("location")!.split("/").pop()!);
    expect(job).toMatchObject({ kind: "delete", stage: "done", documents: [id] });
    expect(listUploads()).toEqual([]);
    expect(harness.engine().engine.getDocument(id)).toBeUndefined();
    const answer = await ask("أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟");
    expect(answer.citations.map((c) => c.docId)).not.toContain(id);
  });

  it("401 without the token; 404 for an unknown id; 409 for a document placed in the corpus folder", async () => {
    await expectError(await harness.app.request("/api/documents/seed", { method: "DELETE" }), 401, "UNAUTHORIZED");
    await expectError(await harness.app.request("/api/documents/uploads-0123456789abcdef", { method: "DELETE", headers: bearer() }), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await harness.app.request("/api/documents/..%2F..%2Fseed", { method: "DELETE", headers: bearer() }), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await harness.app.request("/api/documents/seed", { method: "DELETE", headers: bearer() }), 409, "DOCUMENT_NOT_UPLOADED");
    expect(existsSync(join(harness.corpusDir, "seed.txt"))).toBe(true);
  });
});

describe("/openapi.json", () => {
  it("lists the write routes, the jobs and the bearer scheme", async () => {
    const spec = (await (await harness.app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, { scheme: string }> };
    };
    expect(spec.paths["/api/documents"].post.security).toEqual([{ adminToken: [] }]);
    expect(spec.paths["/api/documents/{id}"].delete.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/jobs/{id}", "/api/jobs/{id}/events"]));
    expect(spec.components.securitySchemes.adminToken.scheme).toBe("bearer");
  });
});
