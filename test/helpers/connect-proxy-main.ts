// A real HTTP proxy that speaks CONNECT only, as its own process (test/helpers/connect-proxy.ts starts it): what a
// user behind a corporate or national proxy has. It prints {"port": N} once listening, then one line
// `CONNECT <host:port>` per tunnel it opens, and refuses (407) a client without the expected
// Proxy-Authorization when PROXY_AUTH is set.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

const expected = process.env.PROXY_AUTH;
const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only'));
server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
  if (expected && req.headers['proxy-authorization'] !== expected) {
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const [host, port] = splitAuthority(req.url ?? '');
  process.stdout.write(`CONNECT ${req.url}\n`);
  const upstream = connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
  client.on('error', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

function splitAuthority(authority: string): [string, string] {
  const i = authority.lastIndexOf(':');
  return [authority.slice(0, i).replace(/^\[|\]$/g, ''), authority.slice(i + 1)];
}
