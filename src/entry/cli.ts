import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { AppError } from "../core/errors.js";
import { silentLogger } from "../ports/logger.js";
import {
  exportAdsCsv,
  exportSummary,
  hashPasswordInput,
  parseExportArgs,
  previewLeadEmail,
  summarizeFile,
} from "./cli-commands.js";

const USAGE = `Usage:
  lead-handoff summarize <transcript.json>            print the LeadSummary as JSON
  lead-handoff preview <transcript.json> [--out dir]  write the .eml and .html the owner would get (nothing is sent)
  lead-handoff aws-setup                              create the DynamoDB tables and the S3 bucket (AWS settings from the environment)
  lead-handoff hash-password                          read a password from stdin (first line), print its OWNER_PASSWORD_HASH
  lead-handoff export --since YYYY-MM-DD --kind clicks|enhanced [--out file.csv]
                                                      the Google Ads import file of the leads sent since that day (stdout without --out)

A transcript file is {"items":[{"role":"user"|"assistant","text":"..."}]} or hosted ChatKit thread items.`;

/** The options every command shares; an unknown or malformed one is bad usage (exit 2, one line). */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        since: { type: "string" },
        kind: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new AppError("bad_usage", (error as Error).message, 2);
  }
}

/** The first line of stdin (without its line ending), read until a newline or the end. */
async function readStdinFirstLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  process.stdin.pause();
  return text.split(/\r?\n/)[0] ?? "";
}

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or bad input file. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine(argv);
  const [command, file] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === "aws-setup") {
    // Loaded only here: the other commands never load the AWS SDK.
    const { awsSetup } = await import("./aws-setup.js");
    await awsSetup(loadConfig(), (line) => console.log(line));
    return 0;
  }
  if (command === "export") {
    const request = parseExportArgs(values, positionals.slice(1));
    const result = await exportAdsCsv(request, loadConfig());
    if (values.out) {
      const path = resolve(values.out);
      await writeFile(path, result.csv);
      console.error(exportSummary(result, path));
    } else {
      // Wait for the pipe to take it all: the process exits right after.
      await new Promise<void>((done, failed) =>
        process.stdout.write(result.csv, (error) => (error ? failed(error) : done())),
      );
      console.error(exportSummary(result, "stdout"));
    }
    return 0;
  }
  if (command === "hash-password") {
    // No config: a hash can be made on any machine, before the server's settings exist.
    if (process.stdin.isTTY) process.stderr.write("Owner password (shown as you type), then Enter: ");
    console.log(await hashPasswordInput(await readStdinFirstLine()));
    return 0;
  }
  if ((command !== "summarize" && command !== "preview") || !file) {
    console.error(`lead-handoff: expected "summarize <file>", "preview <file>" or "aws-setup"\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const text = await readFile(resolve(file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new AppError("unreadable_file", `cannot read ${file}: ${error.code ?? error.message}`, 2);
  });
  if (command === "summarize") {
    console.log(JSON.stringify(await summarizeFile(text, file, config), null, 2));
    return 0;
  }
  const outDir = resolve(values.out ?? ".");
  const preview = await previewLeadEmail(text, file, config, silentLogger);
  await mkdir(outDir, { recursive: true });
  const stem = basename(file).replace(/\.[^.]+$/, "") || "lead";
  const emlPath = join(outDir, `${stem}.eml`);
  const htmlPath = join(outDir, `${stem}.html`);
  await writeFile(emlPath, preview.raw);
  await writeFile(htmlPath, preview.html);
  console.log(`subject: ${preview.subject}\nwrote ${emlPath}\nwrote ${htmlPath}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof AppError || error instanceof ConfigError;
    console.error(`lead-handoff: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(known ? 2 : 1);
  },
);
