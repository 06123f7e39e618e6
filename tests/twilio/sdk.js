#!/usr/bin/env node
// The official Twilio Node SDK, as the adapter's tests use it:
//   sdk.js sign TOKEN URL BODY            X-Twilio-Signature for a form body
//   sdk.js validate TOKEN SIG URL BODY    "true" or "false" (validateRequest)
//   sdk.js twiml JSON                     TwiML built with VoiceResponse from
//                                         [[verb, attrs, text | [[verb, attrs, text]...]]...]
'use strict';
const twilio = require('twilio');

// A form body as the SDK's params object (a repeated name becomes an array).
function params(body) {
  const out = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (k in out) out[k] = [].concat(out[k], v);
    else out[k] = v;
  }
  return out;
}

function build(node, verbs) {
  for (const [verb, attrs, inner] of verbs) {
    if (Array.isArray(inner)) build(node[verb](attrs), inner);
    else if (inner === undefined || inner === null) node[verb](attrs);
    else node[verb](attrs, inner);
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'sign') {
  const [token, url, body] = args;
  process.stdout.write(twilio.getExpectedTwilioSignature(token, url, params(body)));
} else if (cmd === 'validate') {
  const [token, sig, url, body] = args;
  process.stdout.write(String(twilio.validateRequest(token, sig, url, params(body))));
} else if (cmd === 'twiml') {
  const response = new twilio.twiml.VoiceResponse();
  build(response, JSON.parse(args[0]));
  process.stdout.write(response.toString());
} else {
  process.stderr.write('usage: sdk.js sign|validate|twiml ...\n');
  process.exit(2);
}
