// `node --import ./lambda-globals.mjs`: the one global the Lambda Node.js runtime gives streaming
// functions (`awslambda`), so a bundle can be imported outside Lambda to time its cold start.
globalThis.awslambda = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};
