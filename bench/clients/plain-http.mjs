// Floor: a script that speaks to the same fake upstream over plain node:http, printing the SSE deltas as they come.
import { request } from 'node:http';

const url = new URL(`${process.argv[2]}/chat/completions`);
const body = JSON.stringify({
  model: 'llama-3.1-8b-instant',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
});
const req = request(
  url,
  { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-not-a-key' } },
  (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (!line.startsWith('data:') || line === 'data: [DONE]') continue;
        const text = JSON.parse(line.slice(5)).choices?.[0]?.delta?.content;
        if (text) process.stdout.write(text);
      }
    });
    res.on('end', () => process.stdout.write('\n'));
  },
);
req.end(body);
