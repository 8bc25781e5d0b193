// Prints the functions with the most self time in a .cpuprofile (from node --cpu-prof or bench/profile.ts):
//   tsx bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";
import { topSelfTime, type Profile } from "./lib/cpu-profile";

const [file, top = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]");
for (const row of topSelfTime(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top))) {
  console.log(`${String(row.ms).padStart(7)} ms ${String(row.share).padStart(5)}%  ${row.name}`);
}
