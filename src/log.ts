// A minimal leveled logger writing one line per event to stderr (stdout stays for program output).
// "text" reads well in a terminal; "json" gives one JSON object per line for log collectors.
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFormat = "text" | "json";
export type Logger = Record<Exclude<LogLevel, "silent">, (message: string, fields?: Record<string, unknown>) => void>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (line) => console.error(line),
  format: LogFormat = "text",
): Logger {
  const at = (lineLevel: Exclude<LogLevel, "silent">) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    if (format === "json") write(JSON.stringify({ level: lineLevel, time: new Date().toISOString(), message, ...fields }));
    else write(fields ? `[${lineLevel}] ${message} ${JSON.stringify(fields)}` : `[${lineLevel}] ${message}`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
