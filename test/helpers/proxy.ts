// A TCP proxy a test can cut and restore, to make a real database "go away" under a running service; it counts the
// bytes a client sends through it, and can hold them after a given count (a stream stalled mid-way).
import net from 'node:net';

export interface Proxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
  /** Bytes forwarded from clients to the target so far. */
  sent(): number;
}

export interface ProxyOptions {
  /** Forward only this many bytes from clients; the rest is held back (the client then waits on the transport). */
  holdAfterBytes?: number;
}

export async function startProxy(targetHost: string, targetPort: number, options: ProxyOptions = {}): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let sent = 0;
  const hold = options.holdAfterBytes ?? Infinity;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.on('data', (d: Buffer) => {
          const part = d.subarray(0, Math.max(0, hold - sent));
          sent += part.length;
          if (part.length > 0 && !upstream.write(part)) {
            client.pause();
            upstream.once('drain', () => sent < hold && client.resume());
          }
          if (part.length < d.length) client.pause();
        });
        client.on('end', () => upstream.end());
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await listen();
  return { port, cut, restore: listen, close: cut, sent: () => sent };
}
