import { appendFileSync } from "node:fs";

const target = process.env.RECORD_IMPORTS_TO;

/** Records each resolved module URL, then resolves as usual. */
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (target) appendFileSync(target, `${result.url}\n`);
  return result;
}
