// npm run eval [-- --set FILE ...]: runs the shared eval runner on the dev set against a
// server it starts with npm start, and prints the per-kind table. Extra arguments pass through.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const runner = "../shared/eval/run.mjs";
if (!existsSync(runner)) {
  console.error(`${runner} not found: the eval runner lives in ../shared beside this repository.`);
  process.exit(2);
}
const args = process.argv.slice(2);
const child = spawn(process.execPath, [runner, "--start", "npm start --silent", "--port", process.env.EVAL_PORT ?? "3999", ...args], {
  stdio: "inherit",
});
child.on("exit", (code) => process.exit(code ?? 1));
