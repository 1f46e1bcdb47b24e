import net from 'node:net';

/**
 * A TCP proxy in front of the test Redis that can be taken down and brought back on the same port:
 * what the service sees when Redis goes away (connections drop, new ones are refused) and returns.
 */
export class RedisProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number } = redisTarget(),
  ) {}

  /** REDIS_URL (credentials and database included) with the proxy's address. */
  get url(): string {
    const u = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Listens (again, on the same port once one was picked). */
  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function redisTarget(): { host: string; port: number } {
  const u = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  return { host: u.hostname, port: Number(u.port || 6379) };
}
