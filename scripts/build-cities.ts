// Builds data/cldr-cities.json: the Unicode CLDR's names of the cities that time zones are named
// after (Africa/Cairo: Cairo, Kairo, Каир, El Cairo, Le Caire → القاهرة), in the languages questions
// are asked in, from the npm package cldr-dates-full (Unicode License v3; a devDependency, so only
// this table ships). Cities cross scripts by table, as countries do (src/text/cldr-names.ts): Cairo is
// القاهرة, which neither the sound match nor the model's bridge finds (cosine 0.861 < 0.88).
//   npx tsx scripts/build-cities.ts [--check]   (--check: exit 1 if the committed table differs)
// Left out: Etc, the oceans' islands and Antarctica's stations (Christmas, Reunion, Easter, Casey are
// words too), the zones of one US state (Indiana/Knox), and names under four letters.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const LANGUAGES = ["ar", "en", "ru", "de", "es", "fr"] as const;
const AREAS = new Set(["Africa", "America", "Asia", "Europe", "Australia"]);
const OUT = "data/cldr-cities.json";

const require = createRequire(import.meta.url);
type ZoneTree = Record<string, Record<string, { exemplarCity?: string } | Record<string, unknown>>>;
const zonesOf = (language: string): ZoneTree => require(`cldr-dates-full/main/${language}/timeZoneNames.json`).main[language].dates.timeZoneNames.zone;
const version: string = require("cldr-dates-full/package.json").version;

const trees = Object.fromEntries(LANGUAGES.map((language) => [language, zonesOf(language)]));
const cities: { zone: string; arabic: string; names: Record<string, string[]> }[] = [];
for (const [area, zones] of Object.entries(trees.ar)) {
  if (!AREAS.has(area)) continue;
  for (const [city, zone] of Object.entries(zones)) {
    const arabic = (zone as { exemplarCity?: string }).exemplarCity;
    if (!arabic) continue; // a sub-area (America/Indiana/…), not a city
    const names: Record<string, string[]> = {};
    for (const language of LANGUAGES.filter((l) => l !== "ar")) {
      // A language leaves out a name that is the zone id's own (Africa/Cairo: Cairo, Asia/Amman: Amman in
      // German); the id's may also be the older name in use beside the one given (Calcutta, Kolkata).
      const own = (trees[language][area]?.[city] as { exemplarCity?: string } | undefined)?.exemplarCity;
      const id = city.replace(/_/g, " ");
      const forms = [...new Set([own ?? id, ...(language === "ru" ? [] : [id])])].filter((name) => name.replace(/[\s'’-]/g, "").length >= 4);
      if (forms.length > 0) names[language] = forms;
    }
    if (arabic.replace(/\s/g, "").length >= 3) cities.push({ zone: `${area}/${city}`, arabic, names });
  }
}
cities.sort((a, b) => (a.zone < b.zone ? -1 : 1));
// One city a line: a reviewable diff when CLDR changes.
const header = { source: `Unicode CLDR ${version} (npm cldr-dates-full), timeZoneNames exemplarCity; Unicode License v3`, built: "scripts/build-cities.ts" };
const table = `${JSON.stringify(header).slice(0, -1)},"cities":[\n${cities.map((city) => JSON.stringify(city)).join(",\n")}\n]}\n`;

if (process.argv.includes("--check")) {
  const committed = readFileSync(OUT, "utf8");
  if (committed !== table) {
    console.error(`${OUT} differs from what scripts/build-cities.ts builds from cldr-dates-full ${version}: run it again`);
    process.exit(1);
  }
  console.log(`${OUT}: ${cities.length} cities, as built`);
} else {
  writeFileSync(OUT, table);
  console.log(`wrote ${OUT}: ${cities.length} cities from CLDR ${version}`);
}
