// A fixed-latency mock of OpenAI's chat completions for the peer benchmark: Node's own http module, nothing else.
// Usage: node mock-openai.mjs PORT. Listens on 127.0.0.1 only.
//   POST .../chat/completions  answers after the delay named in the body ("delay_ms=50" anywhere in it, else 0 ms),
//                              whole (chat.completion) or, with "stream": true, as chat.completion.chunk events
//                              ending in a usage chunk (choices: []) and [DONE], the wire shapes OpenAI sends.
//   POST anything else         200 with an empty protobuf body: an OTLP/HTTP sink for the gateways' telemetry.
//   GET /healthz               200.
//   GET /stats                 {"chat":N,"otlp":N}: calls answered and telemetry exports received, so far.
// The delay is in the body so that every target (each passes the body through) reaches the same mock the same way.
import http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node mock-openai.mjs PORT');
  process.exit(2);
}

const delayPattern = /delay_ms=(\d{1,4})/;
const modelPattern = /"model"\s*:\s*"([^"]{1,200})"/;
const streamPattern = /"stream"\s*:\s*true/;
const content = 'Revenue grew 12%. Costs held flat. Margin rose two points.';
const words = content.split(' ');
let sequence = 0;
let otlpExports = 0;

function usage() {
  return {
    prompt_tokens: 19,
    completion_tokens: 14,
    total_tokens: 33,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function whole(id, created, model) {
  return JSON.stringify({
    id, object: 'chat.completion', created, model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: usage(), service_tier: 'default', system_fingerprint: 'fp_mock',
  });
}

function chunk(id, created, model, choices, withUsage) {
  const event = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_mock', choices };
  if (withUsage !== undefined) event.usage = withUsage;
  return `data: ${JSON.stringify(event)}\n\n`;
}

function answer(req, res, body) {
  const text = body.toString('utf8');
  const model = modelPattern.exec(text)?.[1] ?? 'gpt-4o-mini';
  const id = `chatcmpl-mock${++sequence}`;
  const created = Math.floor(Date.now() / 1000);
  if (!streamPattern.test(text)) {
    const payload = whole(id, created, model);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk(id, created, model, [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], null));
  setImmediate(() => {
    let rest = '';
    for (let i = 0; i < words.length; i++) {
      rest += chunk(id, created, model, [{ index: 0, delta: { content: (i === 0 ? '' : ' ') + words[i] }, logprobs: null, finish_reason: null }], null);
    }
    rest += chunk(id, created, model, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], null);
    rest += chunk(id, created, model, [], usage());
    rest += 'data: [DONE]\n\n';
    res.end(rest);
  });
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ chat: sequence, otlp: otlpExports }));
    return;
  }
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"POST only","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    if (!req.url.split('?')[0].endsWith('/chat/completions')) {
      otlpExports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
      return;
    }
    const delay = Number(delayPattern.exec(body.toString('latin1'))?.[1] ?? 0);
    if (delay > 0) setTimeout(answer, delay, req, res, body);
    else answer(req, res, body);
  });
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;
server.listen(port, '127.0.0.1');
