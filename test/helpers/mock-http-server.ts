/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) for venue client tests.
 * Routes answer with recorded fixtures; faults can be queued to hit the next
 * requests: an HTTP status with a body (429, 5xx, 4xx shapes), a slow answer,
 * malformed JSON, or a dropped connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface RouteAnswer {
  readonly status?: number;
  /** Serialised with JSON.stringify unless it is already a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export type RouteHandler = (req: RecordedRequest) => RouteAnswer | Promise<RouteAnswer>;

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  /** Wait before answering normally (or forever when ms is Infinity, until the client gives up). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** 200 with a body that is not JSON. */
  | { readonly kind: 'malformed-json'; readonly text?: string }
  /** Close the socket without an answer. */
  | { readonly kind: 'drop' }
  /** Send headers and half the body, then close. */
  | { readonly kind: 'truncate' };

export interface FaultRule {
  readonly fault: Fault;
  /** Only requests whose path starts with this are affected (all when absent). */
  readonly pathPrefix?: string;
  /** How many matching requests to affect (default 1). */
  times?: number;
}

export class MockHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, RouteHandler>();
  private readonly faults: FaultRule[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  port = 0;

  constructor() {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Register a handler for `METHOD /path` (exact pathname match). */
  route(method: string, path: string, handler: RouteHandler | RouteAnswer): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  /** Queue a fault for the next matching request(s). */
  fault(fault: Fault, options: { pathPrefix?: string; times?: number } = {}): this {
    this.faults.push({ fault, times: options.times ?? 1, ...(options.pathPrefix ? { pathPrefix: options.pathPrefix } : {}) });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  requestsTo(pathname: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === pathname);
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.pathPrefix === undefined || path.startsWith(f.pathPrefix)) && (f.times ?? 1) > 0);
    if (i < 0) return undefined;
    const rule = this.faults[i] as FaultRule;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.faults.splice(i, 1);
    return rule.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    const fault = this.takeFault(url.pathname);
    if (fault) {
      switch (fault.kind) {
        case 'drop':
          req.socket.destroy();
          return;
        case 'truncate': {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
          res.write('{"partial": tr');
          setImmediate(() => req.socket.destroy());
          return;
        }
        case 'malformed-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(fault.text ?? '{"events": [ {"event_ticker": "X", ');
          return;
        case 'status':
          this.send(res, { status: fault.status, body: fault.body ?? '', ...(fault.headers ? { headers: fault.headers } : {}) });
          return;
        case 'delay':
          if (fault.ms === Number.POSITIVE_INFINITY) return; // never answer; socket closed on stop()
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              this.pendingTimers.delete(t);
              resolve();
            }, fault.ms);
            this.pendingTimers.add(t);
          });
          if (res.destroyed) return;
          break;
      }
    }
    const handler = this.routes.get(`${recorded.method} ${url.pathname}`);
    if (!handler) {
      this.send(res, { status: 404, body: { error: `no mock route for ${recorded.method} ${url.pathname}` } });
      return;
    }
    try {
      this.send(res, await handler(recorded));
    } catch (error) {
      this.send(res, { status: 500, body: { error: `mock handler threw: ${(error as Error).message}` } });
    }
  }

  private send(res: http.ServerResponse, answer: RouteAnswer): void {
    if (res.destroyed) return;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
  }

  async stop(): Promise<void> {
    for (const t of this.pendingTimers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
