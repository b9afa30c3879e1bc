import { z } from "zod";
import { leadSummarySchema } from "../../core/lead-summary.js";

/** A JSON schema as a plain object. */
export type JsonSchema = { [key: string]: unknown };

// Keywords OpenAI strict mode rejects. Meeting one means the zod schema grew beyond what the API
// accepts; failing at start-up beats a 400 on every lead.
const UNSUPPORTED_KEYWORDS = new Set([
  "allOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "patternProperties",
  "propertyNames",
  "dependentRequired",
  "dependentSchemas",
  "prefixItems",
  "contains",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "unevaluatedProperties",
]);

const isRecord = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function strictNode(node: JsonSchema, path: string): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (UNSUPPORTED_KEYWORDS.has(key)) throw new Error(`${path}: "${key}" is not allowed in strict mode`);
    // zod puts the safe-integer range on every int: it constrains nothing and costs tokens.
    if (key === "minimum" && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === "maximum" && value === Number.MAX_SAFE_INTEGER) continue;
    if ((key === "properties" || key === "$defs" || key === "definitions") && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, strictChild(child, `${path}/${key}/${name}`)]),
      );
    } else if (key === "anyOf" && Array.isArray(value)) {
      out[key] = value.map((child, index) => strictChild(child, `${path}/anyOf/${index}`));
    } else if (key === "items") {
      out[key] = strictChild(value, `${path}/items`);
    } else {
      out[key] = value;
    }
  }
  if (out.type === "object" || "properties" in out) {
    if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
      throw new Error(`${path}: open objects (records) cannot be expressed in strict mode`);
    }
    const properties = isRecord(out.properties) ? out.properties : {};
    out.properties = properties;
    // Strict mode wants every property listed; optional-ness must be expressed as nullable instead.
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

function strictChild(value: unknown, path: string): JsonSchema {
  if (!isRecord(value)) throw new Error(`${path}: expected a schema object`);
  return strictNode(value, path);
}

/**
 * Post-processes a JSON schema (as `z.toJSONSchema` writes it) into one OpenAI strict mode
 * accepts: an object root, no `$schema`, `additionalProperties: false` and every property in
 * `required` on every object. Throws on keywords strict mode does not support.
 */
export function toStrictJsonSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...root } = schema;
  if (root.type !== "object") throw new Error("#: strict mode needs an object at the root");
  return strictNode(root, "#");
}

/** The LeadSummary JSON schema both APIs are given (`text.format.schema`, `response_format.json_schema.schema`). */
export const leadSummaryJsonSchema: JsonSchema = toStrictJsonSchema(z.toJSONSchema(leadSummarySchema));
