/**
 * A TCP proxy in front of a server (PostgreSQL at 127.0.0.1:5432 by default) that a test can take
 * down — every connection cut and new ones refused, as when the server stops — and bring back,
 * without touching the server the other tests share.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's */
  via(url: string): string;
  /** cuts every connection and stops listening (clients get ECONNREFUSED) */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
  /** connections open through the proxy now */
  open(): number;
  close(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1. */
export async function startTcpProxy(
  target: { host: string; port: number } = { host: '127.0.0.1', port: 5432 },
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let isDown = false;
  const server = net.createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // a cut in either direction cuts the other, as a dead server does
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async down() {
      isDown = true;
      await stopListening();
    },
    async up() {
      isDown = false;
      if (!server.listening) await listen(port);
    },
    open: () => sockets.size / 2,
    close: () => {
      isDown = true;
      return stopListening();
    },
  };
}
