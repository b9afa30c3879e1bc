import type { ServiceOverrides } from "../../src/entry/compose.js";
import type { FakeChatKitServer } from "./fake-chatkit-server.js";
import { startTestServer, type TestServer } from "./test-server.js";

/** The OpenAI key the hosted test servers use (the fake takes any). */
export const HOSTED_TEST_KEY = "sk-test-hosted-0123456789abcdef";

/** The product with `CHAT_RUNTIME=chatkit`, its OpenAI SDK pointed at the local ChatKit fake. */
export function startHostedServer(
  fake: FakeChatKitServer,
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<TestServer> {
  return startTestServer(
    {
      CHAT_RUNTIME: "chatkit",
      CHATKIT_WORKFLOW_ID: "wf_craigs_intake",
      OPENAI_API_KEY: HOSTED_TEST_KEY,
      OPENAI_BASE_URL: fake.baseUrl,
      ...env,
    },
    overrides,
  );
}

/**
 * A visitor's session as the hosted page gets it: our own secret (`lead_secret`, for /lead and
 * uploads) and the user id the hosted thread carries as its `user`.
 */
export async function hostedSession(
  server: TestServer,
  visitorKey: string,
): Promise<{ secret: string; userId: string }> {
  const response = await fetch(`${server.baseUrl}/api/chatkit/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ visitor_key: visitorKey }),
  });
  const body = (await response.json()) as { lead_secret?: string };
  if (response.status !== 200 || !body.lead_secret)
    throw new Error(`no hosted session: ${response.status} ${JSON.stringify(body)}`);
  const { userId } = await server.services.sessions.authenticate(body.lead_secret);
  return { secret: body.lead_secret, userId };
}

/** POST /lead with our secret as Bearer; the status and the JSON answer. */
export async function postLead(
  server: TestServer,
  secret: string,
  body: { thread_id: string; reason: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}/lead`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
