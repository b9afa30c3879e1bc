import { pino } from "pino";

/**
 * The process logger: JSON lines (pino). Writes are asynchronous: a synchronous write per line
 * costs more than answering a repeated /lead trigger; pino still flushes what is buffered when
 * the process exits.
 * @param destination file descriptor or path @default 1 (stdout)
 */
export function createLogger(level: string, destination: number | string = 1): pino.Logger {
  return pino(
    { level, base: { service: "lead-handoff" } },
    pino.destination({ dest: destination, sync: false }),
  );
}
