// Starts test/helpers/connect-proxy-main.ts as a separate process and tells which tunnels it opened.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT, in order. */
  tunnels: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(env: Record<string, string> = {}): Promise<ConnectProxy> {
  const main = fileURLToPath(new URL('./connect-proxy-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tunnels: string[] = [];
  let port = 0;
  let buffered = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the proxy exited ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('CONNECT ')) tunnels.push(line.slice(8));
        else if (line.startsWith('{')) {
          port = (JSON.parse(line) as { port: number }).port;
          resolve();
        }
        nl = buffered.indexOf('\n');
      }
    });
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
