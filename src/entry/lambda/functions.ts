/** One Lambda function: its bundle is `dist/lambda/<name>/index.mjs`, built from `src/entry/lambda/<name>.ts`. */
export interface LambdaFunctionSpec {
  name: string;
  /** Sends lead emails: its folder carries sharp (photo downscaling) for Linux x64. */
  sendsMail: boolean;
}

/** Every function of the AWS deployment (`npm run build` bundles each; infra/ deploys each). */
export const LAMBDA_FUNCTIONS: readonly LambdaFunctionSpec[] = [
  { name: "chatkit-session", sendsMail: false },
  { name: "chatkit-chat", sendsMail: false },
  { name: "chatkit-lead-email", sendsMail: true },
  { name: "chatkit-attachment-upload", sendsMail: false },
  { name: "chatkit-sms-link", sendsMail: false },
  { name: "chatkit-web", sendsMail: false },
  { name: "lead-sweeper", sendsMail: true },
];
