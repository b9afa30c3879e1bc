import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type CfnResource } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_SETTINGS,
  buildApp,
  FUNCTION_ENV,
  FUNCTIONS,
  type FunctionName,
  InfraConfigError,
  LeadHandoffStack,
  readSettings,
  STACK_DEFAULTS,
  TABLE_ENV,
} from "../../infra/stack.js";
import { type IndexSpec, tableSpecs } from "../../src/adapters/dynamodb/tables.js";
import { LAMBDA_FUNCTIONS } from "../../src/entry/lambda/functions.js";

const REQUIRED = {
  siteOrigin: "https://shop.example",
  ownerEmail: "owner@shop.example",
  fromEmail: "leads@shop.example",
};
const NAMES = FUNCTIONS.map((f) => f.name);
const HTTP_FUNCTIONS = FUNCTIONS.filter((f) => f.routes.length > 0).map((f) => f.name);
const MAILERS: FunctionName[] = ["chatkit-lead-email", "lead-sweeper"];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string | string[];
}

let codeDir: string;
beforeAll(() => {
  // Stand-ins for `npm run build`: the stack only needs each function's folder to exist.
  codeDir = mkdtempSync(join(tmpdir(), "lead-handoff-lambda-"));
  for (const name of NAMES) {
    mkdirSync(join(codeDir, name));
    writeFileSync(join(codeDir, name, "index.mjs"), "export const handler = async () => ({});\n");
  }
});
afterAll(() => rmSync(codeDir, { recursive: true, force: true }));

/** One synth (built-in template validation off: the CLI runs it, tests need speed). */
function synth(context: Record<string, string> = {}) {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...REQUIRED, ...context, lambdaCodeDir: codeDir },
  });
  const { stack } = buildApp(app);
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnResource);
  const fnProps = (name: FunctionName) => {
    const resource = resources[id(stack.functions[name])];
    if (!resource) throw new Error(`no function ${name}`);
    return resource.Properties;
  };
  const env = (name: FunctionName) =>
    (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
  /** Every statement of the policies attached to the function's role. */
  const statements = (name: FunctionName): Statement[] => {
    const role = stack.functions[name].role;
    if (!role) throw new Error(`no role for ${name}`);
    const roleId = id(role);
    return Object.values(resources)
      .filter((r) => r.Type === "AWS::IAM::Policy")
      .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const tableIds = Object.fromEntries(
    Object.entries(stack.tables).map(([kind, table]) => [kind, id(table)]),
  ) as Record<keyof typeof TABLE_ENV, string>;
  return { stack, template, resources, id, fnProps, env, statements, tableIds };
}

function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function tableKindsIn(statements: Statement[], tableIds: Record<string, string>): string[] {
  return Object.entries(tableIds)
    .filter(([, logicalId]) =>
      statements.some(
        (s) =>
          actions(s).some((a) => a.startsWith("dynamodb:")) && JSON.stringify(s.Resource).includes(logicalId),
      ),
    )
    .map(([kind]) => kind)
    .sort();
}

function projection(index: IndexSpec) {
  if (index.project === "all") return { ProjectionType: "ALL" };
  if (index.project === "keys") return { ProjectionType: "KEYS_ONLY" };
  return { ProjectionType: "INCLUDE", NonKeyAttributes: index.project };
}

function keySchema(partition: { name: string }, sort?: { name: string }) {
  return [
    { AttributeName: partition.name, KeyType: "HASH" },
    ...(sort ? [{ AttributeName: sort.name, KeyType: "RANGE" }] : []),
  ];
}

describe("the stack with only the required context", () => {
  let s: ReturnType<typeof synth>;
  beforeAll(() => {
    s = synth();
  });

  it("deploys exactly the functions npm run build bundles", () => {
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual(LAMBDA_FUNCTIONS.map((f) => f.name).sort());
  });

  it("declares every table of tableSpecs(): keys, indexes with projections, TTL, PITR, on demand, kept", () => {
    const specs = tableSpecs();
    s.template.resourceCountIs("AWS::DynamoDB::Table", specs.length);
    for (const spec of specs) {
      const resource = s.resources[s.tableIds[spec.kind]];
      expect(resource?.Type).toBe("AWS::DynamoDB::Table");
      const props = resource?.Properties ?? {};
      expect(props.KeySchema).toEqual(keySchema(spec.partitionKey, spec.sortKey));
      expect(props.BillingMode).toBe("PAY_PER_REQUEST");
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: "ttl", Enabled: true });
      expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(props.TableName).toBeUndefined();
      const indexes = (props.GlobalSecondaryIndexes ?? []) as unknown[];
      expect(indexes).toEqual(
        spec.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: projection(index),
        })),
      );
      const raw = s.template.toJSON().Resources[s.tableIds[spec.kind]];
      expect(raw.DeletionPolicy).toBe("Retain");
      expect(raw.UpdateReplacePolicy).toBe("Retain");
    }
  });

  it("keeps uploads 365 days and prepared emails 31 in a private, encrypted, TLS-only, kept bucket", () => {
    s.template.resourceCountIs("AWS::S3::Bucket", 1);
    s.template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: "chatkit-attachments/", ExpirationInDays: 365, Status: "Enabled" }),
            Match.objectLike({ Prefix: "lead-emails/", ExpirationInDays: 31, Status: "Enabled" }),
          ]),
        },
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedMethods: ["GET", "HEAD"],
              AllowedOrigins: Match.arrayWith(["https://shop.example"]),
            }),
          ],
        },
      }),
    });
    s.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("runs seven functions on nodejs22.x, x86_64, sized as planned, logs kept 90 days", () => {
    s.template.resourceCountIs("AWS::Lambda::Function", 7);
    for (const spec of FUNCTIONS) {
      expect(s.fnProps(spec.name)).toMatchObject({
        FunctionName: `LeadHandoff-${spec.name}`,
        Runtime: "nodejs22.x",
        Architectures: ["x86_64"],
        Handler: "index.handler",
        MemorySize: MAILERS.includes(spec.name) ? 1024 : 512,
        Timeout: MAILERS.includes(spec.name) ? 90 : spec.name === "chatkit-chat" ? 60 : 15,
      });
      s.template.hasResourceProperties("AWS::Logs::LogGroup", {
        LogGroupName: `/aws/lambda/LeadHandoff-${spec.name}`,
        RetentionInDays: 90,
      });
    }
  });

  it("streams the chat from its own Function URL and routes everything else through the HTTP API", () => {
    s.template.resourceCountIs("AWS::Lambda::Url", 1);
    s.template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      InvokeMode: "RESPONSE_STREAM",
      TargetFunctionArn: { "Fn::GetAtt": [s.id(s.stack.functions["chatkit-chat"]), "Arn"] },
    });
    const routes = Object.values(s.resources)
      .filter((r) => r.Type === "AWS::ApiGatewayV2::Route")
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual(
      [
        "POST /api/chatkit/session",
        "OPTIONS /api/chatkit/session",
        "POST /lead",
        "OPTIONS /lead",
        "POST /api/attachments",
        "GET /api/attachments",
        "OPTIONS /api/attachments",
        "GET /sms/{token}",
        "GET /widget.js",
        "GET /",
        "GET /demo/{proxy+}",
        "GET /healthz",
      ].sort(),
    );
    // Payload 2.0, and no integration for the chat or the sweeper.
    const integrations = Object.values(s.resources).filter(
      (r) => r.Type === "AWS::ApiGatewayV2::Integration",
    );
    expect(integrations).toHaveLength(HTTP_FUNCTIONS.length);
    for (const integration of integrations) expect(integration.Properties.PayloadFormatVersion).toBe("2.0");
    const targets = JSON.stringify(integrations);
    for (const name of ["chatkit-chat", "lead-sweeper"] as const)
      expect(targets).not.toContain(s.id(s.stack.functions[name]));
    // The app answers CORS for ALLOWED_ORIGINS; the API adds none of its own.
    s.template.hasResourceProperties("AWS::ApiGatewayV2::Api", { CorsConfiguration: Match.absent() });
  });

  it("runs the sweeper every minute", () => {
    s.template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: [
        Match.objectLike({ Arn: { "Fn::GetAtt": [s.id(s.stack.functions["lead-sweeper"]), "Arn"] } }),
      ],
    });
  });

  it("lets each function touch only the tables it uses", () => {
    const expected: Record<FunctionName, string[]> = {
      "chatkit-session": ["rateLimits"],
      "chatkit-chat": ["attribution", "leads", "rateLimits", "threads"],
      "chatkit-lead-email": ["attribution", "journal", "leads", "smsTokens", "threads"],
      "chatkit-attachment-upload": ["rateLimits", "threads"],
      "chatkit-sms-link": ["smsTokens"],
      "chatkit-web": ["leads"],
      "lead-sweeper": ["attribution", "journal", "leads", "smsTokens", "threads"],
    };
    for (const name of NAMES)
      expect([name, tableKindsIn(s.statements(name), s.tableIds)]).toEqual([name, expected[name]]);

    const onTable = (name: FunctionName, kind: keyof typeof TABLE_ENV) =>
      s
        .statements(name)
        .filter((st) => JSON.stringify(st.Resource).includes(s.tableIds[kind]))
        .flatMap(actions)
        .filter((a) => !/GetRecords|GetShardIterator|DescribeTable/.test(a))
        .sort();
    expect(onTable("chatkit-chat", "leads")).toEqual(["dynamodb:PutItem"]);
    expect(onTable("chatkit-web", "leads")).toEqual(["dynamodb:Query"]);
    expect(onTable("chatkit-session", "rateLimits")).toEqual(["dynamodb:UpdateItem"]);
    expect(onTable("chatkit-sms-link", "smsTokens")).not.toContain("dynamodb:PutItem");
    expect(onTable("chatkit-sms-link", "smsTokens")).toContain("dynamodb:GetItem");
    expect(onTable("chatkit-lead-email", "threads")).not.toContain("dynamodb:PutItem");
  });

  it("gives bucket access only to the functions that store or read files, under their prefixes", () => {
    const s3Resources = (name: FunctionName) =>
      JSON.stringify(s.statements(name).filter((st) => actions(st).some((a) => a.startsWith("s3:"))));
    for (const name of ["chatkit-session", "chatkit-sms-link", "chatkit-web"] as const)
      expect(s3Resources(name)).toBe("[]");
    for (const name of ["chatkit-chat", "chatkit-attachment-upload"] as const) {
      expect(s3Resources(name)).toContain("/chatkit-attachments/*");
      expect(s3Resources(name)).not.toContain("lead-emails");
      expect(s3Resources(name)).toContain("s3:PutObject");
    }
    for (const name of MAILERS) expect(s3Resources(name)).toContain("/lead-emails/*");
    const leadEmailPhotos = s
      .statements("chatkit-lead-email")
      .filter((st) => JSON.stringify(st.Resource).includes("/chatkit-attachments/*"))
      .flatMap(actions);
    expect(leadEmailPhotos).not.toContain("s3:PutObject");
  });

  it("lets only the two mail senders use SES, as the sender's identity (and the owner's), never *", () => {
    for (const name of NAMES) {
      const ses = s.statements(name).filter((st) => actions(st).some((a) => a.startsWith("ses:")));
      if (!MAILERS.includes(name)) {
        expect([name, ses]).toEqual([name, []]);
        continue;
      }
      expect(ses).toHaveLength(1);
      expect(actions(ses[0] as Statement).sort()).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
      const resources = JSON.stringify(ses[0]?.Resource);
      expect(resources).not.toBe('"*"');
      expect(resources).toContain(":identity/shop.example");
      expect(resources).toContain(":identity/owner@shop.example");
      expect(resources).not.toContain("configuration-set");
    }
  });

  it("lets every function read the session secret and nothing else in Secrets Manager", () => {
    const secretId = s.id(
      s.stack.node.findChild("SessionSecret") as unknown as { node: { defaultChild?: unknown } },
    );
    for (const name of NAMES) {
      const secrets = s
        .statements(name)
        .filter((st) => actions(st).some((a) => a.startsWith("secretsmanager:")));
      expect(secrets.flatMap(actions)).toEqual(["secretsmanager:GetSecretValue"]);
      expect(secrets[0]?.Resource).toEqual({ Ref: secretId });
    }
    s.template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it("grants nothing on * anywhere", () => {
    for (const name of NAMES)
      for (const st of s.statements(name)) expect([name, st.Resource]).not.toEqual([name, "*"]);
  });

  it("wires the environment: every FUNCTION_ENV name, no optional setting that was not given", () => {
    for (const name of NAMES) {
      const env = s.env(name);
      const expected = FUNCTION_ENV.filter((v) => !(name === "chatkit-chat" && v === "CHAT_URL"));
      expect(Object.keys(env).sort()).toEqual([...expected].sort());
      expect(env).toMatchObject({
        STORE: "dynamodb",
        BLOBS: "s3",
        MAILER: "ses",
        LEAD_EMAIL_TO: "owner@shop.example",
        LEAD_EMAIL_FROM: "leads@shop.example",
        LEAD_SWEEP_INTERVAL_SECONDS: "0",
        NODE_OPTIONS: "--enable-source-maps",
        MALLOC_ARENA_MAX: "1",
        ...STACK_DEFAULTS,
      });
      for (const setting of APP_SETTINGS)
        if (!(setting in STACK_DEFAULTS)) expect(env[setting]).toBeUndefined();
      expect(env.OPENAI_API_KEY_SECRET_ID).toBeUndefined();
      expect(env.TRUST_PROXY).toBeUndefined();
      for (const [kind, variable] of Object.entries(TABLE_ENV))
        expect(env[variable]).toEqual({ Ref: s.tableIds[kind as keyof typeof TABLE_ENV] });
      const apiEndpoint = { "Fn::GetAtt": [s.id(s.stack.api), "ApiEndpoint"] };
      expect(env.PUBLIC_BASE_URL).toEqual(apiEndpoint);
      expect(env.CHATKIT_ATTACHMENT_PREVIEW_BASE_URL).toEqual({
        "Fn::Join": ["", [apiEndpoint, "/api/attachments"]],
      });
      expect(env.ALLOWED_ORIGINS).toEqual({ "Fn::Join": ["", ["https://shop.example,", apiEndpoint]] });
    }
    expect(JSON.stringify(s.env("chatkit-web").CHAT_URL)).toContain(s.id(s.stack.chatUrl));
  });

  it("outputs the API and chat URLs, the widget snippet, the bucket and the tables", () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "ApiUrl",
        "ChatUrl",
        "WidgetSnippet",
        "BucketName",
        "LeadsTableName",
        "AttributionTableName",
        "SmsTokensTableName",
        "ThreadsTableName",
        "RateLimitsTableName",
        "JournalTableName",
      ].sort(),
    );
    const snippet = JSON.stringify(outputs.WidgetSnippet?.Value);
    for (const part of [
      '<script src=\\"',
      '/widget.js\\" data-api=\\"',
      '\\" data-chat-url=\\"https://',
      "async></script>",
    ])
      expect(snippet).toContain(part);
  });

  it("is environment-agnostic: no account or region lookups, so synth needs no credentials", () => {
    expect(s.stack.resolve(s.stack.region)).toEqual({ Ref: "AWS::Region" });
    expect(s.stack.resolve(s.stack.account)).toEqual({ Ref: "AWS::AccountId" });
  });

  it("has no dependency cycle", () => {
    const template = s.template.toJSON() as { Resources: Record<string, Resource> };
    const edges = new Map<string, Set<string>>();
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const refs = new Set<string>();
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === "object") {
          for (const [key, inner] of Object.entries(value)) {
            if (key === "Ref" && typeof inner === "string") refs.add(inner);
            else if (key === "Fn::GetAtt" && Array.isArray(inner)) refs.add(String(inner[0]));
            else walk(inner);
          }
        }
      };
      walk(resource.Properties);
      for (const dep of [resource.DependsOn ?? []].flat()) refs.add(dep);
      edges.set(logicalId, new Set([...refs].filter((r) => r in template.Resources)));
    }
    const state = new Map<string, "visiting" | "done">();
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") throw new Error(`cycle: ${[...path, node].join(" -> ")}`);
      state.set(node, "visiting");
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of edges.keys()) visit(node, []);
  });
});

describe("the stack with optional context", () => {
  /** App settings given as context under their own names: each reaches the functions as is. */
  const appSettings = {
    LEAD_DEDUPE_TTL_DAYS: "14",
    LEAD_IDLE_DELAY_SECONDS: "120",
    LEAD_SEND_TIMEOUT_SECONDS: "100",
    SHOP_NAME: "Craig's Auto Glass",
    SUMMARIZER: "openai",
    LOG_LEVEL: "debug",
    SES_CONFIGURATION_SET: "lead-mail",
  };
  const given = {
    domainName: "chat.shop.example",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
    sesIdentity: "mail.shop.example",
    attachmentRetentionDays: "90",
    openaiSecretName: "lead-handoff/openai",
    ...appSettings,
  };
  let s: ReturnType<typeof synth>;
  beforeAll(() => {
    s = synth(given);
  });

  it("passes the given settings to every function and leaves the others out", () => {
    const passed = {
      ...appSettings,
      ATTACHMENT_RETENTION_DAYS: "90",
      OPENAI_API_KEY_SECRET_ID: "lead-handoff/openai",
      PUBLIC_BASE_URL: "https://chat.shop.example",
      CHATKIT_ATTACHMENT_PREVIEW_BASE_URL: "https://chat.shop.example/api/attachments",
      ALLOWED_ORIGINS: "https://shop.example,https://chat.shop.example",
    };
    for (const name of NAMES) {
      const env = s.env(name);
      expect(env).toMatchObject(passed);
      for (const setting of APP_SETTINGS)
        if (!(setting in passed) && !(setting in STACK_DEFAULTS)) expect(env[setting]).toBeUndefined();
    }
  });

  it("sizes the lifecycle rules from the settings", () => {
    s.template.hasResourceProperties("AWS::S3::Bucket", {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: "chatkit-attachments/", ExpirationInDays: 90 }),
          Match.objectLike({ Prefix: "lead-emails/", ExpirationInDays: 15 }),
        ]),
      },
    });
  });

  it("maps the custom domain and outputs where to point it", () => {
    s.template.hasResourceProperties("AWS::ApiGatewayV2::DomainName", {
      DomainName: "chat.shop.example",
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: given.certificateArn })],
    });
    s.template.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
    s.template.hasOutput("CustomDomainTarget", {});
    s.template.hasOutput("ApiUrl", { Value: "https://chat.shop.example" });
  });

  it("scopes SES to the given identity and configuration set, and reads the OpenAI key secret", () => {
    for (const name of MAILERS) {
      const ses = s.statements(name).filter((st) => actions(st).includes("ses:SendRawEmail"));
      // The sender's identity, the owner's address and domain (the sandbox checks recipients), the set.
      const suffixes = JSON.stringify(ses[0]?.Resource).match(/:(identity|configuration-set)\/[^"]+/g);
      expect(suffixes).toEqual([
        ":identity/mail.shop.example",
        ":identity/owner@shop.example",
        ":identity/shop.example",
        ":configuration-set/lead-mail",
      ]);
    }
    for (const name of NAMES) {
      const secrets = JSON.stringify(
        s.statements(name).filter((st) => actions(st).includes("secretsmanager:GetSecretValue")),
      );
      expect(secrets).toContain(":secret:lead-handoff/openai-??????");
    }
  });

  it("gives the mail senders time for a longer send", () => {
    for (const name of MAILERS) expect(s.fnProps(name).Timeout).toBe(130);
    expect(s.fnProps("chatkit-chat").Timeout).toBe(60);
  });
});

describe("deployment settings", () => {
  const fail = (context: Record<string, unknown>) => {
    try {
      readSettings(context);
    } catch (error) {
      expect(error).toBeInstanceOf(InfraConfigError);
      const message = (error as Error).message;
      expect(message).not.toContain("\n");
      return message;
    }
    throw new Error("no error");
  };

  it.each(["siteOrigin", "ownerEmail", "fromEmail"])("refuses a missing %s in one line naming it", (name) => {
    const context: Record<string, unknown> = { ...REQUIRED };
    delete context[name];
    expect(fail(context)).toMatch(new RegExp(`^Missing context ${name}: pass --context ${name}=`));
  });

  it("refuses wrong values, naming the setting", () => {
    expect(fail({ ...REQUIRED, siteOrigin: "https://shop.example/contact" })).toMatch(/^Context siteOrigin=/);
    expect(fail({ ...REQUIRED, siteOrigin: "*" })).toMatch(/^Context siteOrigin=/);
    expect(fail({ ...REQUIRED, ownerEmail: "owner" })).toMatch(/^Context ownerEmail=/);
    expect(fail({ ...REQUIRED, domainName: "chat.shop.example" })).toMatch(/^Missing context certificateArn/);
    expect(fail({ ...REQUIRED, LEAD_IDLE_DELAY_SECONDS: "5m" })).toMatch(/^Context LEAD_IDLE_DELAY_SECONDS=/);
    expect(fail({ ...REQUIRED, LEAD_IDLE_DELAY: "60" })).toMatch(/^Unknown context LEAD_IDLE_DELAY:/);
    expect(fail({ ...REQUIRED, ASSISTANT: "openai" })).toMatch(
      /^Missing context openaiSecretName: ASSISTANT=openai/,
    );
    expect(fail({ ...REQUIRED, attachmentRetentionDays: "30", ATTACHMENT_RETENTION_DAYS: "60" })).toMatch(
      /disagree/,
    );
  });

  it("reads lists, numbers from cdk.json and the sender's domain as the default SES identity", () => {
    const settings = readSettings({
      ...REQUIRED,
      siteOrigin: "https://shop.example, https://www.shop.example/",
      ownerEmail: "owner@shop.example,desk@shop.example",
      fromEmail: "leads@Mail.Shop.example",
      LEAD_IDLE_DELAY_SECONDS: 120,
    });
    expect(settings).toMatchObject({
      siteOrigins: ["https://shop.example", "https://www.shop.example"],
      ownerEmails: ["owner@shop.example", "desk@shop.example"],
      sesIdentity: "mail.shop.example",
      attachmentRetentionDays: 365,
      leadEmailRetentionDays: 31,
      customDomain: null,
      openaiSecretName: null,
      appSettings: { LEAD_IDLE_DELAY_SECONDS: "120" },
    });
  });

  it("refuses to synth without the built functions", () => {
    const empty = mkdtempSync(join(tmpdir(), "lead-handoff-nolambda-"));
    try {
      expect(
        () =>
          new LeadHandoffStack(new App(), "LeadHandoff", {
            settings: readSettings(REQUIRED),
            lambdaCodeDir: empty,
          }),
      ).toThrow(/index\.mjs: run npm run build first$/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("the CDK app prints one line and exits 1 on a missing setting", () => {
    const outdir = mkdtempSync(join(tmpdir(), "lead-handoff-cdkout-"));
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", "app.ts"], {
        cwd: join(import.meta.dirname, "../../infra"),
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({
            ownerEmail: REQUIRED.ownerEmail,
            fromEmail: REQUIRED.fromEmail,
          }),
        },
        encoding: "utf8",
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe("Missing context siteOrigin: pass --context siteOrigin=https://shop.example\n");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
