import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { AppError } from "../core/errors.js";
import { silentLogger } from "../ports/logger.js";
import { previewLeadEmail, summarizeFile } from "./cli-commands.js";

const USAGE = `Usage:
  lead-handoff summarize <transcript.json>            print the LeadSummary as JSON
  lead-handoff preview <transcript.json> [--out dir]  write the .eml and .html the owner would get (nothing is sent)
  lead-handoff aws-setup                              create the DynamoDB tables and the S3 bucket (AWS settings from the environment)

A transcript file is {"items":[{"role":"user"|"assistant","text":"..."}]} or hosted ChatKit thread items.`;

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or bad input file. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
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
