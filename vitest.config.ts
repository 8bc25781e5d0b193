import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The summary reporter prints the run's closing line, "N passed, N failed[, N skipped]" (CI reads it).
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
