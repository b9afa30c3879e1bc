/** The slice of a structured logger (pino) that services use. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (tests, CLI). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
