// The floor for `bench/serve.mjs`: the least a Node proxy can do — node:http in, node:http out over a keep-alive
// pool, bytes piped both ways, no parsing, no ledger. What llm-gateway serve costs beyond this is its own work.
//
//   node bench/forwarder.mjs <upstream origin>     prints {"url": …} on its first line
import http from 'node:http';

const upstream = new URL(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const server = http.createServer((req, res) => {
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })));
