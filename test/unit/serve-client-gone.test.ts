// A JSON client that disconnects as its answer is ready was logged as a 500 with no error text (issue 21, point 10):
// the answer could not be sent, and nothing said why. It is a 499, "client closed the connection".
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sendJson, type Exchange } from '../../src/server/exchange.ts';

test('an answer ready for a client already gone: logged 499 with the reason, nothing written', async () => {
  let logged: Exchange['log'] | undefined;
  const server = http.createServer((req, res) => {
    const ex: Exchange = {
      req,
      res,
      id: 'r1',
      baseHeaders: {},
      signal: new AbortController().signal,
      log: {},
      stalledReaderMs: 1_000,
    };
    res.on('close', () => {
      sendJson(ex, 200, { answer: 'ready, too late' });
      logged = ex.log;
      server.close();
    });
    req.socket.destroy(); // the client is gone by the time the answer is ready
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const request = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/' });
  request.on('error', () => {});
  request.end('{}');
  await new Promise((resolve) => server.on('close', resolve));
  assert.deepEqual(logged, { status: 499, error: 'client closed the connection' });
});
