/** One Lambda function: its bundle is `dist/lambda/<name>/index.mjs`, built from `src/entry/lambda/<name>.ts`. */
export interface LambdaFunctionSpec {
  name: string;
  /** Sends lead emails: its folder carries sharp (photo downscaling) for Linux x64. */
  sendsMail: boolean;
  /** Serves the widget and the demo site: its folder carries `widget.js` and `demo/`. */
  servesWeb: boolean;
}

/** Every function of the AWS deployment (`npm run build` bundles each; infra/ deploys each). */
export const LAMBDA_FUNCTIONS: readonly LambdaFunctionSpec[] = [
  { name: "chatkit-session", sendsMail: false, servesWeb: false },
  { name: "chatkit-chat", sendsMail: false, servesWeb: false },
  { name: "chatkit-lead-email", sendsMail: true, servesWeb: false },
  { name: "chatkit-attachment-upload", sendsMail: false, servesWeb: false },
  { name: "chatkit-sms-link", sendsMail: false, servesWeb: false },
  { name: "chatkit-web", sendsMail: false, servesWeb: true },
  { name: "lead-sweeper", sendsMail: true, servesWeb: false },
];
