import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { App, ArnFormat, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import {
  type DynamoDbTableNames,
  type IndexSpec,
  type KeyAttribute,
  tableSpecs,
} from "../src/adapters/dynamodb/tables.js";
import { type DeploymentSettings, emailDomain, InfraConfigError, readSettings } from "./settings.js";

export { APP_SETTINGS, type DeploymentSettings, InfraConfigError, readSettings } from "./settings.js";

/** The environment variable that carries each table's name. */
export const TABLE_ENV: Record<keyof DynamoDbTableNames, string> = {
  leads: "LEADS_TABLE",
  attribution: "ATTRIBUTION_TABLE",
  smsTokens: "SMS_TOKENS_TABLE",
  threads: "THREADS_TABLE",
  rateLimits: "RATE_LIMITS_TABLE",
  journal: "JOURNAL_TABLE",
};

/**
 * Environment variables the stack sets on every function (besides the optional app settings of
 * APP_SETTINGS, set only when given), except `CHAT_URL` on `chatkit-chat` itself (its URL depends on
 * the function: a cycle). `OPENAI_API_KEY_SECRET_ID` is added only with the context `openaiSecretName`.
 */
export const FUNCTION_ENV = [
  "STORE",
  "BLOBS",
  "MAILER",
  ...Object.values(TABLE_ENV),
  "ATTACHMENT_BUCKET",
  "SESSION_SECRET_ID",
  "PUBLIC_BASE_URL",
  "CHATKIT_ATTACHMENT_PREVIEW_BASE_URL",
  "ALLOWED_ORIGINS",
  "LEAD_EMAIL_TO",
  "LEAD_EMAIL_FROM",
  "CHAT_URL",
  "LEAD_SWEEP_INTERVAL_SECONDS",
  "NODE_OPTIONS",
  "MALLOC_ARENA_MAX",
  "ATTACHMENT_MAX_BYTES",
] as const;

/**
 * App settings whose default differs on AWS; a setting given as context still wins. A Lambda takes
 * at most 6 MB per request, base64-encoded by the HTTP API: 4.4 MB of file is what fits, so the app
 * refuses larger uploads with its own clear 413 instead of API Gateway's bare error.
 */
export const STACK_DEFAULTS = { ATTACHMENT_MAX_BYTES: "4400000" } as const;

/** Object key prefixes in the bucket (the app's blob keys). */
export const ATTACHMENTS_PREFIX = "chatkit-attachments/";
export const LEAD_EMAILS_PREFIX = "lead-emails/";

type TableKind = keyof DynamoDbTableNames;
/** `query`, `put`, `update`: that one action only (Query on the table and its indexes, PutItem, UpdateItem). */
type TableAccess = "read" | "write" | "readWrite" | "query" | "put" | "update";
type BlobAccess = "read" | "readWrite";
type Method = "GET" | "POST" | "OPTIONS";

/** One Lambda function: its size, its HTTP routes and exactly what it may touch. */
export interface FunctionSpec {
  /** Directory under the Lambda code directory (`dist/lambda/<name>/index.mjs`); the function name's suffix. */
  name: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** HTTP API routes; empty for the chat (its own Function URL) and the sweeper (a schedule). */
  routes: { method: Method; path: string }[];
  tables: Partial<Record<TableKind, TableAccess>>;
  blobs: Partial<Record<typeof ATTACHMENTS_PREFIX | typeof LEAD_EMAILS_PREFIX, BlobAccess>>;
  /** Sends the lead email through SES. */
  sendsMail: boolean;
}

/**
 * The seven functions, with the table and bucket access each one's code paths use (the DynamoDB
 * adapters' commands). Browser-called POST paths also route OPTIONS to their function: the app answers
 * CORS itself (ALLOWED_ORIGINS), so the HTTP API has no CORS configuration of its own.
 *
 * Every function may read the session secret (and the OpenAI key when one is configured): each one
 * builds the same services at cold start (src/entry/lambda/runtime.ts), and that reads both keys.
 */
export const FUNCTIONS = [
  {
    name: "chatkit-session",
    description: "POST /api/chatkit/session: signed client secrets",
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: [
      { method: "POST", path: "/api/chatkit/session" },
      { method: "OPTIONS", path: "/api/chatkit/session" },
    ],
    tables: { rateLimits: "update" },
    blobs: {},
    sendsMail: false,
  },
  {
    name: "chatkit-chat",
    description: "POST /api/chatkit on its own Function URL: the chat, streamed (SSE)",
    memoryMb: 512,
    timeoutSeconds: 60,
    routes: [],
    // leads: each customer message puts the thread on the sweeper's due list (a PutItem).
    tables: { threads: "readWrite", attribution: "write", rateLimits: "update", leads: "put" },
    blobs: { [ATTACHMENTS_PREFIX]: "readWrite" },
    sendsMail: false,
  },
  {
    name: "chatkit-lead-email",
    description: "POST /lead: decides and sends the one lead email",
    memoryMb: 1024,
    timeoutSeconds: 90,
    routes: [
      { method: "POST", path: "/lead" },
      { method: "OPTIONS", path: "/lead" },
    ],
    // The journal: each decision goes into the conversation's history (Query + PutItem).
    tables: {
      leads: "readWrite",
      threads: "read",
      attribution: "readWrite",
      smsTokens: "write",
      journal: "readWrite",
    },
    blobs: { [ATTACHMENTS_PREFIX]: "read", [LEAD_EMAILS_PREFIX]: "readWrite" },
    sendsMail: true,
  },
  {
    name: "chatkit-attachment-upload",
    description: "POST /api/attachments (upload), GET /api/attachments (redirect to a presigned URL)",
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: [
      { method: "POST", path: "/api/attachments" },
      { method: "GET", path: "/api/attachments" },
      { method: "OPTIONS", path: "/api/attachments" },
    ],
    tables: { threads: "readWrite", rateLimits: "update" },
    blobs: { [ATTACHMENTS_PREFIX]: "readWrite" },
    sendsMail: false,
  },
  {
    name: "chatkit-sms-link",
    description: "GET /sms/{token}: the owner's SMS reply page",
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: [{ method: "GET", path: "/sms/{token}" }],
    tables: { smsTokens: "read" },
    blobs: {},
    sendsMail: false,
  },
  {
    name: "chatkit-web",
    description: "GET /widget.js, the demo site and /healthz",
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: [
      { method: "GET", path: "/widget.js" },
      { method: "GET", path: "/" },
      { method: "GET", path: "/demo/{proxy+}" },
      { method: "GET", path: "/healthz" },
    ],
    // /healthz counts failed leads (a Query on the leads table's `failed` index); nothing else.
    tables: { leads: "query" },
    blobs: {},
    sendsMail: false,
  },
  {
    name: "lead-sweeper",
    description: "Every minute: sends the leads that are due (the customer went quiet), and retries",
    memoryMb: 1024,
    timeoutSeconds: 90,
    routes: [],
    // Its housekeeping also prunes: uploads never sent in a message (threads `orphans` index, and their
    // files), expired attribution rows and SMS tokens (`expiry` indexes), old lead emails.
    // The journal: decisions (as above), and the weekly digest reads the week's outcomes.
    tables: {
      leads: "readWrite",
      threads: "readWrite",
      attribution: "readWrite",
      smsTokens: "readWrite",
      journal: "readWrite",
    },
    blobs: { [ATTACHMENTS_PREFIX]: "readWrite", [LEAD_EMAILS_PREFIX]: "readWrite" },
    sendsMail: true,
  },
] as const satisfies readonly FunctionSpec[];

/** A function's short name (`chatkit-chat`, ...). */
export type FunctionName = (typeof FUNCTIONS)[number]["name"];

/** Where `npm run build` puts the functions: `dist/lambda/<name>/index.mjs`. */
export const DEFAULT_LAMBDA_CODE_DIR = fileURLToPath(new URL("../dist/lambda", import.meta.url));

export interface LeadHandoffStackProps extends StackProps {
  settings: DeploymentSettings;
  /** Directory holding `<name>/index.mjs` for each function. @default DEFAULT_LAMBDA_CODE_DIR */
  lambdaCodeDir?: string;
}

const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

function attributeType(key: KeyAttribute): dynamodb.Attribute {
  return {
    name: key.name,
    type: key.type === "N" ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
  };
}

function indexProps(index: IndexSpec): dynamodb.GlobalSecondaryIndexProps {
  const keys = {
    indexName: index.name,
    partitionKey: attributeType(index.partitionKey),
    ...(index.sortKey ? { sortKey: attributeType(index.sortKey) } : {}),
  };
  if (index.project === "all") return { ...keys, projectionType: dynamodb.ProjectionType.ALL };
  if (index.project === "keys") return { ...keys, projectionType: dynamodb.ProjectionType.KEYS_ONLY };
  return { ...keys, projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: index.project };
}

/**
 * The AWS deployment: DynamoDB tables from `tableSpecs()`, one private bucket, the session secret,
 * seven functions (six behind an HTTP API, the chat on a streaming Function URL, the sweeper on a
 * one-minute schedule), each allowed only what it uses.
 *
 * Tables, bucket and secret get names CloudFormation makes up (passed to the functions through the
 * environment), so several stacks fit one account and a redeploy after `destroy` (which keeps tables
 * and bucket) does not collide with the kept ones. Functions are named `<stack>-<name>`, so their
 * log groups are `/aws/lambda/<stack>-<name>`.
 */
export class LeadHandoffStack extends Stack {
  readonly tables: Record<TableKind, dynamodb.Table>;
  readonly bucket: s3.Bucket;
  readonly functions: Record<FunctionName, lambda.Function>;
  readonly api: apigwv2.HttpApi;
  readonly chatUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: LeadHandoffStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const codeDir = props.lambdaCodeDir ?? DEFAULT_LAMBDA_CODE_DIR;
    // The longest function name must fit Lambda's 64 characters.
    if (this.stackName.length > 38)
      throw new InfraConfigError(`Stack name ${this.stackName} is too long: 38 characters at most`);

    // --- DynamoDB: built from the specs the adapters use, so indexes never drift.
    const tables = {} as Record<TableKind, dynamodb.Table>;
    for (const spec of tableSpecs()) {
      // The construct id fixes the logical id: renaming it would replace the table (the old one is kept).
      const table = new dynamodb.Table(this, `${pascal(spec.kind)}Table`, {
        partitionKey: attributeType(spec.partitionKey),
        ...(spec.sortKey ? { sortKey: attributeType(spec.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        timeToLiveAttribute: spec.ttlAttribute,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of spec.indexes) table.addGlobalSecondaryIndex(indexProps(index));
      tables[spec.kind] = table;
    }
    this.tables = tables;

    // --- The HTTP API first: functions may reference its endpoint (it depends on none of them).
    const domain = settings.customDomain
      ? new apigwv2.DomainName(this, "Domain", {
          domainName: settings.customDomain.domainName,
          certificate: acm.Certificate.fromCertificateArn(
            this,
            "Certificate",
            settings.customDomain.certificateArn,
          ),
        })
      : null;
    this.api = new apigwv2.HttpApi(this, "Api", {
      apiName: this.stackName,
      description: "lead-handoff: session, lead, attachments, SMS links, widget",
      ...(domain ? { defaultDomainMapping: { domainName: domain } } : {}),
    });
    const publicBaseUrl = settings.customDomain
      ? `https://${settings.customDomain.domainName}`
      : this.api.apiEndpoint;
    // The API's own origin too: the demo site it serves calls the chat's Function URL cross-origin.
    const allowedOrigins = [...settings.siteOrigins, publicBaseUrl];

    // --- S3: uploads and the prepared lead emails.
    this.bucket = new s3.Bucket(this, "Attachments", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "expire-attachments",
          prefix: ATTACHMENTS_PREFIX,
          expiration: Duration.days(settings.attachmentRetentionDays),
        },
        {
          id: "expire-lead-emails",
          prefix: LEAD_EMAILS_PREFIX,
          expiration: Duration.days(settings.leadEmailRetentionDays),
        },
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Photo downloads are redirects to presigned URLs.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins,
          maxAge: 3600,
        },
      ],
    });

    // --- Secrets.
    const sessionSecret = new secretsmanager.Secret(this, "SessionSecret", {
      description: "lead-handoff: HMAC key for chat session client secrets",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const openaiSecretArn = settings.openaiSecretName
      ? this.formatArn({
          service: "secretsmanager",
          resource: "secret",
          // Secrets Manager appends six random characters to a secret's name in its ARN.
          resourceName: `${settings.openaiSecretName}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })
      : null;

    // --- SES: sending only as the configured identity. In the SES sandbox, recipients must be verified
    // identities and IAM is checked against them too, so the owner's addresses and domains are listed.
    const sesIdentityArn = (identity: string) =>
      this.formatArn({
        service: "ses",
        resource: "identity",
        resourceName: identity,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const identities = [
      settings.sesIdentity,
      ...settings.ownerEmails.flatMap((address) => [address, emailDomain(address)]),
    ];
    const configurationSet = settings.appSettings.SES_CONFIGURATION_SET;
    const sesResources = [...new Set(identities.map((identity) => identity.toLowerCase()))].map(
      sesIdentityArn,
    );
    if (configurationSet) {
      sesResources.push(
        this.formatArn({
          service: "ses",
          resource: "configuration-set",
          resourceName: configurationSet,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      );
    }

    // --- Environment shared by every function.
    const tableEnv = Object.fromEntries(
      Object.entries(TABLE_ENV).map(([kind, name]) => [name, tables[kind as TableKind].tableName]),
    );
    const sharedEnv: Record<string, string> = {
      STORE: "dynamodb",
      BLOBS: "s3",
      MAILER: "ses",
      ...tableEnv,
      ATTACHMENT_BUCKET: this.bucket.bucketName,
      PUBLIC_BASE_URL: publicBaseUrl,
      CHATKIT_ATTACHMENT_PREVIEW_BASE_URL: `${publicBaseUrl}/api/attachments`,
      ALLOWED_ORIGINS: allowedOrigins.join(","),
      LEAD_EMAIL_TO: settings.ownerEmails.join(","),
      LEAD_EMAIL_FROM: settings.fromEmail,
      SESSION_SECRET_ID: sessionSecret.secretArn,
      ...(settings.openaiSecretName ? { OPENAI_API_KEY_SECRET_ID: settings.openaiSecretName } : {}),
      // The schedule below runs the sweeper; no function sweeps on a timer of its own.
      LEAD_SWEEP_INTERVAL_SECONDS: "0",
      NODE_OPTIONS: "--enable-source-maps",
      // One malloc arena (glibc reads it at start): the mail functions downscale photos with sharp,
      // and one arena per thread left them ~40 MB higher at the peak, as under `npm start`.
      MALLOC_ARENA_MAX: "1",
      ...STACK_DEFAULTS,
      ...settings.appSettings,
    };

    // --- Functions.
    const functions = {} as Record<FunctionName, lambda.Function>;
    for (const spec of FUNCTIONS as readonly FunctionSpec[]) {
      const functionName = `${this.stackName}-${spec.name}`;
      const id = spec.name.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase());
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: LOG_RETENTION,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const mailTimeout = Number(settings.appSettings.LEAD_SEND_TIMEOUT_SECONDS ?? 0);
      // A send must finish inside the function's time, with room for the summary and photos.
      const timeoutSeconds = spec.sendsMail
        ? Math.min(900, Math.max(spec.timeoutSeconds, mailTimeout + 30))
        : spec.timeoutSeconds;
      const fn = new lambda.Function(this, id, {
        functionName,
        description: `lead-handoff ${spec.name}: ${spec.description}`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.X86_64,
        handler: "index.handler",
        code: lambdaCode(codeDir, spec.name),
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(timeoutSeconds),
        logGroup,
        environment: sharedEnv,
      });

      for (const [kind, access] of Object.entries(spec.tables) as [TableKind, TableAccess][]) {
        const table = tables[kind];
        if (access === "read") table.grantReadData(fn);
        else if (access === "write") table.grantWriteData(fn);
        else if (access === "readWrite") table.grantReadWriteData(fn);
        else if (access === "query") table.grant(fn, "dynamodb:Query");
        else if (access === "put") table.grant(fn, "dynamodb:PutItem");
        else table.grant(fn, "dynamodb:UpdateItem");
      }
      for (const [prefix, access] of Object.entries(spec.blobs)) {
        if (access === "read") this.bucket.grantRead(fn, `${prefix}*`);
        else this.bucket.grantReadWrite(fn, `${prefix}*`);
      }
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [sessionSecret.secretArn, ...(openaiSecretArn ? [openaiSecretArn] : [])],
        }),
      );
      if (spec.sendsMail) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ["ses:SendEmail", "ses:SendRawEmail"],
            resources: sesResources,
          }),
        );
      }
      functions[spec.name as FunctionName] = fn;
    }
    this.functions = functions;

    // --- The chat streams Server-Sent Events: a Function URL in RESPONSE_STREAM mode. No URL-level
    // CORS either: OPTIONS reaches the function, which answers for ALLOWED_ORIGINS only. The app checks
    // the Bearer client secret itself.
    this.chatUrl = functions["chatkit-chat"].addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });
    // `https://<id>.lambda-url.<region>.on.aws` without the trailing slash, like PUBLIC_BASE_URL.
    const chatUrl = `https://${Fn.select(2, Fn.split("/", this.chatUrl.url))}`;
    for (const [name, fn] of Object.entries(functions)) {
      if (name !== "chatkit-chat") fn.addEnvironment("CHAT_URL", chatUrl);
    }

    // --- Routes: one payload-2.0 integration per function.
    for (const spec of FUNCTIONS as readonly FunctionSpec[]) {
      if (spec.routes.length === 0) continue;
      const integration = new HttpLambdaIntegration(
        `${spec.name}-integration`,
        functions[spec.name as FunctionName],
        { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 },
      );
      const byPath = new Map<string, apigwv2.HttpMethod[]>();
      for (const route of spec.routes) {
        byPath.set(route.path, [...(byPath.get(route.path) ?? []), apigwv2.HttpMethod[route.method]]);
      }
      for (const [path, methods] of byPath) this.api.addRoutes({ path, methods, integration });
    }

    // --- The sweeper: every minute.
    new events.Rule(this, "SweepSchedule", {
      description: "lead-handoff: run the lead sweeper",
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(functions["lead-sweeper"], { retryAttempts: 0 })],
    });

    // --- Outputs.
    new CfnOutput(this, "ApiUrl", { value: publicBaseUrl, description: "PUBLIC_BASE_URL: the HTTP API" });
    new CfnOutput(this, "ChatUrl", { value: chatUrl, description: "The chat's Function URL (streams)" });
    new CfnOutput(this, "WidgetSnippet", {
      value: `<script src="${publicBaseUrl}/widget.js" data-api="${publicBaseUrl}" data-chat-url="${chatUrl}" async></script>`,
      description: "Paste into the shop's pages, before </body>",
    });
    new CfnOutput(this, "BucketName", { value: this.bucket.bucketName });
    for (const [kind, name] of Object.entries(TABLE_ENV)) {
      new CfnOutput(this, `${pascal(kind)}TableName`, {
        value: tables[kind as TableKind].tableName,
        description: name,
      });
    }
    if (domain) {
      new CfnOutput(this, "CustomDomainTarget", {
        value: domain.regionalDomainName,
        description: `Point ${settings.customDomain?.domainName} here (CNAME, or an alias A record)`,
      });
    }
  }
}

/** `leads` -> `Leads`, `smsTokens` -> `SmsTokens`. */
function pascal(kind: string): string {
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
}

function lambdaCode(codeDir: string, name: string): lambda.Code {
  const dir = join(codeDir, name);
  if (!existsSync(join(dir, "index.mjs"))) {
    throw new InfraConfigError(`Missing ${join(dir, "index.mjs")}: run npm run build first`);
  }
  return lambda.Code.fromAsset(dir);
}

/**
 * Builds the CDK app from context (`cdk synth/deploy --context ...`). Context `stackName` (default
 * `LeadHandoff`) names the stack; `lambdaCodeDir` points at built functions elsewhere than `dist/lambda`.
 */
export function buildApp(app: App = new App()): { app: App; stack: LeadHandoffStack } {
  const context = app.node.getAllContext() as Record<string, unknown>;
  const settings = readSettings(context);
  const stackName = String(context.stackName ?? "LeadHandoff");
  const codeDir = context.lambdaCodeDir === undefined ? undefined : resolve(String(context.lambdaCodeDir));
  const stack = new LeadHandoffStack(app, stackName, {
    settings,
    description: "lead-handoff: website chat that hands the shop owner one lead email per conversation",
    ...(codeDir ? { lambdaCodeDir: codeDir } : {}),
  });
  return { app, stack };
}
