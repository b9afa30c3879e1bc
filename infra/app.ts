/**
 * The CDK app: `npm run synth`, `npm run deploy -- --context siteOrigin=... --context ownerEmail=...
 * --context fromEmail=...` (see docs/deploy-aws.md). A missing or wrong setting ends it with one line.
 */
import { buildApp, InfraConfigError } from "./stack.js";

try {
  buildApp().app.synth();
} catch (error) {
  if (!(error instanceof InfraConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
