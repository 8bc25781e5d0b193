import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log";

describe("createLogger", () => {
  it("drops lines below its level and writes text or JSON lines", () => {
    const lines: string[] = [];
    const text = createLogger("warn", (line) => lines.push(line));
    text.info("hidden");
    text.warn("shown", { file: "x.txt" });
    expect(lines).toEqual(['[warn] shown {"file":"x.txt"}']);

    const json: string[] = [];
    createLogger("info", (line) => json.push(line), "json").info("request", { status: 200, ms: 1.5 });
    expect(JSON.parse(json[0])).toMatchObject({ level: "info", message: "request", status: 200, ms: 1.5 });
  });
});
