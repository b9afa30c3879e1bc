import { pino } from "pino";

/**
 * The process logger: JSON lines (pino). Writes are asynchronous: a synchronous write per line
 * costs more than answering a repeated /lead trigger; pino still flushes what is buffered when
 * the process exits.
 * @param destination file descriptor or path @default 1 (stdout)
 * @param sync write each line before going on: on Lambda, where the process freezes as soon as
 *   the answer is out and a buffered line could be lost @default false
 */
export function createLogger(level: string, destination: number | string = 1, sync = false): pino.Logger {
  return pino({ level, base: { service: "lead-handoff" } }, pino.destination({ dest: destination, sync }));
}
