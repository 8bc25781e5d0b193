// "Add documents" in the documents view: a file picker and a drop zone for several files at once,
// then one progress bar per job, fed by the job's event stream, with the seconds left. Errors are
// shown in the reader's language, chosen by the server's error code. Also the delete action the
// document list offers for uploaded documents. Shown only while the page holds an admin token.
import { deleteDocument, followJob, uploadDocuments } from "./api.js";
import { element } from "./dom.js";
import { t } from "./i18n.js";

/** Server error codes → the reader's words. */
const ERROR_KEYS = {
  UNAUTHORIZED: "upload.error.token",
  FORBIDDEN: "upload.error.token",
  WRITES_DISABLED: "upload.error.disabled",
  READ_ONLY: "upload.error.readOnly",
  UPLOAD_TOO_LARGE: "upload.error.tooLarge",
  TOO_MANY_FILES: "upload.error.tooMany",
  UNSUPPORTED_FILE_TYPE: "upload.error.type",
};

/**
 * @param {{ token: string, onChanged: (removedId?: string) => void, onTokenRefused: () => void }} options
 * onChanged: a job finished and the documents changed; onTokenRefused: the server no longer takes the token.
 */
export function createUploads({ token, onChanged, onTokenRefused }) {
  const title = element("h3", { className: "uploads-title", id: "uploads-title" });
  const hint = element("p", { className: "uploads-hint", id: "uploads-hint" });
  const picker = element("input", { type: "file", multiple: "", className: "visually-hidden", tabindex: "-1", "aria-hidden": "true", "data-testid": "upload-input" });
  const button = element("button", { type: "button", className: "button-secondary upload-button", "aria-describedby": "uploads-hint", "data-testid": "upload-button" });
  const error = element("p", { className: "upload-error", role: "alert", "data-testid": "upload-error", hidden: "" });
  const jobs = element("ul", { className: "upload-jobs", "aria-labelledby": "uploads-title", "data-testid": "upload-jobs" });
  const section = element("section", { className: "uploads", "aria-labelledby": "uploads-title", "data-testid": "uploads" }, title, button, picker, hint, error, jobs);
  /** Each job's last state and what it is about, for re-labelling after a language change. */
  const shown = [];

  button.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    if (picker.files?.length) send([...picker.files]);
    picker.value = "";
  });
  // The whole section is the drop zone; the button stays the keyboard's way in.
  section.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types?.includes("Files")) return;
    event.preventDefault();
    section.classList.add("dragging");
  });
  section.addEventListener("dragleave", () => section.classList.remove("dragging"));
  section.addEventListener("drop", (event) => {
    event.preventDefault();
    section.classList.remove("dragging");
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) send(files);
  });

  function showError(apiError) {
    if (apiError?.status === 401 || apiError?.code === "FORBIDDEN") onTokenRefused();
    const key = ERROR_KEYS[apiError?.code];
    error.textContent = key ? t(key) : t("upload.error.other", { status: apiError?.status || "—" });
    error.hidden = false;
  }

  async function send(files) {
    error.hidden = true;
    const entry = addJob(files.map((f) => f.name).join(", "), "upload");
    entry.state = { stage: "uploading" };
    draw(entry);
    let response;
    try {
      response = await uploadDocuments(files, token);
    } catch (apiError) {
      entry.item.remove();
      shown.splice(shown.indexOf(entry), 1);
      return showError(apiError);
    }
    const duplicates = response.documents.filter((d) => d.status === "duplicate").length;
    entry.duplicates = duplicates;
    if (!response.job) {
      entry.state = { stage: "done", errors: [] };
      draw(entry);
      return;
    }
    follow(entry, response.job);
  }

  /** Removes an uploaded document after the reader confirms. */
  async function remove(doc) {
    if (!window.confirm(t("documents.confirmDelete", { title: doc.title || doc.id }))) return;
    error.hidden = true;
    let job;
    try {
      job = await deleteDocument(doc.id, token);
    } catch (apiError) {
      return showError(apiError);
    }
    const entry = addJob(doc.title || doc.id, "delete");
    entry.removedId = doc.id;
    follow(entry, job);
  }

  function follow(entry, jobId) {
    followJob(jobId, (state) => {
      entry.state = state;
      draw(entry);
      if (state.stage === "done") onChanged(entry.removedId);
    });
  }

  function addJob(name, kind) {
    const label = element("span", { className: "upload-name", dir: "auto" }, name);
    const bar = element("progress", { className: "upload-progress", "data-testid": "upload-progress" });
    const status = element("span", { className: "upload-status", "aria-live": "polite", "data-testid": "upload-status" });
    const item = element("li", { className: "upload-job", "data-testid": "upload-job" }, label, bar, status);
    jobs.prepend(item);
    const entry = { name, kind, item, bar, status, state: { stage: "queued" }, duplicates: 0 };
    shown.push(entry);
    return entry;
  }

  function draw(entry) {
    const { state, bar, status, item } = entry;
    item.dataset.stage = state.stage;
    bar.setAttribute("aria-label", t(entry.kind === "delete" ? "upload.removing" : "upload.progressLabel", { name: entry.name }));
    if (state.stage === "embedding" && state.total > 0) {
      bar.max = state.total;
      bar.value = state.done;
    } else if (state.stage === "done" || state.stage === "failed") {
      bar.max = 1;
      bar.value = 1;
    } else {
      bar.removeAttribute("value"); // indeterminate while the stage has no count
    }
    const parts = [t(`upload.stage.${state.stage}`, { done: state.done ?? 0, total: state.total ?? 0 })];
    if (state.stage === "embedding" && state.secondsLeft !== null && state.secondsLeft !== undefined) parts.push(t("upload.secondsLeft", { count: state.secondsLeft }));
    if (state.stage === "done" && entry.kind === "delete") parts[0] = t("upload.removed");
    if (entry.duplicates) parts.push(t("upload.duplicates", { count: entry.duplicates }));
    for (const problem of state.errors ?? []) parts.push(t("upload.fileError", { id: problem.document }));
    status.textContent = parts.join(" · ");
  }

  /** Labels in the interface language (after a language change too). */
  function render() {
    title.textContent = t("upload.title");
    button.textContent = t("upload.button");
    hint.textContent = t("upload.hint");
    for (const entry of shown) draw(entry);
  }
  render();

  return { node: section, render, remove };
}
