/**
 * What a deployment is told, read from CDK context (`--context name=value` or `cdk.json`).
 *
 * Stack settings are camelCase (`siteOrigin`, `ownerEmail`, ...). App settings that are simply passed
 * to the functions keep their environment names (`--context LEAD_IDLE_DELAY_SECONDS=120`), as listed in
 * the README's configuration table; only the ones given are set, so the app's defaults apply otherwise.
 */

/** A deployment setting that is missing or wrong. The message is one line naming it. */
export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InfraConfigError";
  }
}

/** App settings passed through to every function, by environment name, only when given as context. */
export const APP_SETTINGS = [
  "LEAD_IDLE_DELAY_SECONDS",
  "LEAD_SEND_TIMEOUT_SECONDS",
  "LEAD_REQUIRE_IDLE_FOR_ALL",
  "LEAD_DEDUPE_TTL_DAYS",
  "LEAD_INLINE_ATTACHMENT_MAX_BYTES",
  "LEAD_DEFAULT_REGION",
  "LEAD_ATTRIBUTION_TTL_DAYS",
  "SMS_LINK_TOKEN_TTL_DAYS",
  "ATTACHMENT_MAX_BYTES",
  "ATTACHMENT_RETENTION_DAYS",
  "SHOP_NAME",
  "SESSION_TTL_SECONDS",
  "RATE_LIMIT_SESSIONS_PER_IP",
  "RATE_LIMIT_MESSAGES_PER_USER",
  "RATE_LIMIT_MESSAGES_PER_IP",
  "RATE_LIMIT_UPLOADS_PER_USER",
  "SUMMARIZER",
  "ASSISTANT",
  "OPENAI_MODEL",
  "LOG_LEVEL",
  "SES_CONFIGURATION_SET",
] as const;

/** One of {@link APP_SETTINGS}. */
export type AppSetting = (typeof APP_SETTINGS)[number];

/** App settings whose value must be a whole number (the app checks ranges again at start). */
const WHOLE_NUMBER_SETTINGS: ReadonlySet<AppSetting> = new Set(
  APP_SETTINGS.filter((name) => /_(SECONDS|DAYS|BYTES)$|^RATE_LIMIT_/.test(name)),
);

/** Everything the stack needs to know. */
export interface DeploymentSettings {
  /** Origins of the shop's site (ALLOWED_ORIGINS, bucket CORS); one or a comma-separated list. */
  siteOrigins: string[];
  /** Who receives the lead emails (LEAD_EMAIL_TO); one address or a comma-separated list. */
  ownerEmails: string[];
  /** The sender (LEAD_EMAIL_FROM); its address or domain must be a verified SES identity. */
  fromEmail: string;
  /** The SES identity sends are allowed from: an address or a domain (default: fromEmail's domain). */
  sesIdentity: string;
  /** A custom domain for the HTTP API, with the ARN of its ACM certificate (same region). */
  customDomain: { domainName: string; certificateArn: string } | null;
  /** Days uploads are kept (S3 lifecycle on `chatkit-attachments/`). */
  attachmentRetentionDays: number;
  /** Days a prepared lead email is kept (S3 lifecycle on `lead-emails/`): the dedupe window + 1. */
  leadEmailRetentionDays: number;
  /** Name of a Secrets Manager secret holding the OpenAI API key (plain string), or null. */
  openaiSecretName: string | null;
  /** App settings given as context, by environment name. */
  appSettings: Partial<Record<AppSetting, string>>;
}

/** The stack settings by context name; `required` ones fail synth when absent. */
export const STACK_SETTINGS = {
  siteOrigin: { required: true, example: "https://shop.example" },
  ownerEmail: { required: true, example: "owner@shop.example" },
  fromEmail: { required: true, example: "leads@shop.example" },
  domainName: { required: false, example: "chat.shop.example" },
  certificateArn: { required: false, example: "arn:aws:acm:us-east-1:123456789012:certificate/..." },
  sesIdentity: { required: false, example: "shop.example" },
  attachmentRetentionDays: { required: false, example: "365" },
  openaiSecretName: { required: false, example: "lead-handoff/openai-api-key" },
} as const;

const DEFAULT_ATTACHMENT_RETENTION_DAYS = 365;
/** The app's default LEAD_DEDUPE_TTL_DAYS. */
const DEFAULT_DEDUPE_TTL_DAYS = 30;
const EMAIL = /^[^\s@,<>"]+@[^\s@,<>"]+\.[^\s@,<>"]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

type Context = Record<string, unknown>;

function text(context: Context, name: string): string | undefined {
  const raw = context[name];
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value === "" ? undefined : value;
}

function required(context: Context, name: keyof typeof STACK_SETTINGS): string {
  const value = text(context, name);
  if (value === undefined) {
    throw new InfraConfigError(
      `Missing context ${name}: pass --context ${name}=${STACK_SETTINGS[name].example}`,
    );
  }
  return value;
}

function invalid(name: string, value: string, expected: string): never {
  throw new InfraConfigError(`Context ${name}=${JSON.stringify(value)} is not valid: expected ${expected}`);
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function origins(name: string, value: string): string[] {
  return list(value).map((entry) => {
    try {
      const url = new URL(entry);
      if ((url.protocol === "https:" || url.protocol === "http:") && url.origin === entry.replace(/\/+$/, ""))
        return url.origin;
    } catch {
      // falls through to the error below
    }
    return invalid(name, value, "an origin like https://shop.example (or a comma-separated list; no paths)");
  });
}

function emails(name: string, value: string): string[] {
  const all = list(value);
  if (all.length === 0 || all.some((entry) => !EMAIL.test(entry)))
    invalid(name, value, "an email address (or a comma-separated list)");
  return all;
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    invalid(name, value, `a whole number from ${min} to ${max}`);
  return n;
}

/** The domain part of an email address. */
export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * Reads and checks the deployment settings from CDK context (`app.node.getAllContext()`).
 * Throws {@link InfraConfigError} naming the first missing or wrong setting.
 */
export function readSettings(context: Context): DeploymentSettings {
  const siteOrigins = origins("siteOrigin", required(context, "siteOrigin"));
  const ownerEmails = emails("ownerEmail", required(context, "ownerEmail"));
  const fromEmail = required(context, "fromEmail");
  if (!EMAIL.test(fromEmail)) invalid("fromEmail", fromEmail, "one email address");

  const sesIdentity = text(context, "sesIdentity") ?? emailDomain(fromEmail);
  if (!EMAIL.test(sesIdentity) && !DOMAIN.test(sesIdentity))
    invalid("sesIdentity", sesIdentity, "an email address or a domain verified in SES");

  const domainName = text(context, "domainName");
  const certificateArn = text(context, "certificateArn");
  if (domainName !== undefined && certificateArn === undefined)
    throw new InfraConfigError("Missing context certificateArn: a domainName needs its ACM certificate ARN");
  if (certificateArn !== undefined && domainName === undefined)
    throw new InfraConfigError("Missing context domainName: certificateArn is only used with a domainName");
  if (domainName !== undefined && !DOMAIN.test(domainName))
    invalid("domainName", domainName, "a domain name like chat.shop.example");
  if (
    certificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/.test(certificateArn)
  )
    invalid("certificateArn", certificateArn, "an ACM certificate ARN");

  // Unknown upper-case names are almost always a mistyped app setting: refuse rather than ignore.
  const known = new Set<string>(APP_SETTINGS);
  for (const name of Object.keys(context)) {
    if (/^[A-Z][A-Z0-9_]*$/.test(name) && !known.has(name)) {
      throw new InfraConfigError(
        `Unknown context ${name}: app settings that can be passed are ${APP_SETTINGS.join(", ")}`,
      );
    }
  }
  const appSettings: Partial<Record<AppSetting, string>> = {};
  for (const name of APP_SETTINGS) {
    const value = text(context, name);
    if (value === undefined) continue;
    if (WHOLE_NUMBER_SETTINGS.has(name)) wholeNumber(name, value, 0, 1_000_000_000);
    appSettings[name] = value;
  }

  const camelRetention = text(context, "attachmentRetentionDays");
  const envRetention = appSettings.ATTACHMENT_RETENTION_DAYS;
  if (camelRetention !== undefined && envRetention !== undefined && camelRetention !== envRetention) {
    throw new InfraConfigError(
      `Context attachmentRetentionDays=${camelRetention} and ATTACHMENT_RETENTION_DAYS=${envRetention} disagree: give one`,
    );
  }
  const retentionText = camelRetention ?? envRetention;
  const attachmentRetentionDays =
    retentionText === undefined
      ? DEFAULT_ATTACHMENT_RETENTION_DAYS
      : wholeNumber(
          camelRetention !== undefined ? "attachmentRetentionDays" : "ATTACHMENT_RETENTION_DAYS",
          retentionText,
          1,
          36_500,
        );
  // The app then keeps the same figure it is told the bucket keeps.
  if (retentionText !== undefined) appSettings.ATTACHMENT_RETENTION_DAYS = String(attachmentRetentionDays);

  const dedupeText = appSettings.LEAD_DEDUPE_TTL_DAYS;
  const dedupeDays =
    dedupeText === undefined
      ? DEFAULT_DEDUPE_TTL_DAYS
      : wholeNumber("LEAD_DEDUPE_TTL_DAYS", dedupeText, 1, 3650);

  const openaiSecretName = text(context, "openaiSecretName") ?? null;
  for (const name of ["SUMMARIZER", "ASSISTANT"] as const) {
    if (appSettings[name] === "openai" && openaiSecretName === null) {
      throw new InfraConfigError(
        `Missing context openaiSecretName: ${name}=openai needs the name of a Secrets Manager secret holding the OpenAI API key`,
      );
    }
  }

  return {
    siteOrigins,
    ownerEmails,
    fromEmail,
    sesIdentity,
    customDomain:
      domainName !== undefined && certificateArn !== undefined ? { domainName, certificateArn } : null,
    attachmentRetentionDays,
    leadEmailRetentionDays: dedupeDays + 1,
    openaiSecretName,
    appSettings,
  };
}
