import type { Logger } from "../../src/ports/logger.js";

/** One line a service logged. */
export interface LoggedLine {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/** A Logger that keeps every line, so a test can check what an operator would read. */
export function createCaptureLogger(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine["level"]) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}
