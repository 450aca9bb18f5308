// The HTTP side of the listener: what a plain static or API server would answer. A request
// whose path, query or host carries a known slug is a trigger and gets a plausible answer for
// what the lure asked for (a 1x1 image, a git server asking for credentials, a small page or
// JSON body); anything else gets a 404. Headers and bodies name no product. Malformed requests
// get a 400 and the socket is closed; nothing a client sends can throw out of a handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { decodeFingerprint, makeTrigger, type Trigger } from './trigger.js';
import type { RateLimiter } from './ratelimit.js';
import type { TokenTable } from './tokens.js';

// A transparent 1x1 GIF and PNG.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==', 'base64');
const NOT_FOUND = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n';
const BUSY = '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';
const MAX_BODY = 64 * 1024;

export interface HttpListenerOptions {
  tokens: () => TokenTable;
  limiter: RateLimiter;
  onTrigger: (t: Trigger) => void;
  now?: () => number;
}

function reply(res: ServerResponse, status: number, type: string, body: Buffer | string, extra: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(buf.length), 'Cache-Control': 'no-store, max-age=0', ...extra });
  res.end(buf);
}

/** The answer a known lure gets, by what its URL asks for. */
function answerKnown(req: IncomingMessage, res: ServerResponse, pathname: string, beacon: boolean): void {
  const p = pathname.toLowerCase();
  if (/\/info\/refs$|\/git-upload-pack$|\/git-receive-pack$|\.git\/?$/.test(p)) {
    // A private repository: git asks for credentials (and a careless intruder types them).
    reply(res, 401, 'text/plain; charset=utf-8', 'Authentication required\n', { 'WWW-Authenticate': 'Basic realm="Restricted"' });
    return;
  }
  if (/\.(png|jpe?g|webp|ico|bmp)$/.test(p)) return reply(res, 200, 'image/png', PNG);
  if (/\.gif$/.test(p) || beacon) return reply(res, 200, 'image/gif', GIF);
  if (/\.js$/.test(p)) return reply(res, 200, 'application/javascript', '');
  if (/\.json$/.test(p) || /\/(api|svc|services|gateway|internal|rest|rpc|backend|edge|app)\//.test(p) || /\/v\d|\/\d{4}-\d{2}/.test(p) || (req.headers.accept ?? '').includes('application/json')) {
    reply(res, 401, 'application/json', '{"error":"unauthorized","message":"missing or invalid credentials"}\n', { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  reply(res, 200, 'text/html; charset=utf-8', '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Sign in</title></head><body><p>Your session has expired. Please sign in again to view this document.</p></body></html>\n');
}

export function startHttp(host: string, port: number, o: HttpListenerOptions): Promise<Server> {
  const now = o.now ?? Date.now;
  const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) reply(res, 400, 'text/plain', 'Bad Request\n');
      else res.destroy();
    }
  });
  server.maxHeadersCount = 100;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Bodies are not wanted: drain a little, then cut the connection.
    let seen = 0;
    req.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > MAX_BODY) req.destroy();
    });
    req.on('error', () => undefined);
    const sock = req.socket;
    const address = sock.remoteAddress ?? '';
    const port = sock.remotePort ?? 0;
    if (!o.limiter.allow(address, now())) return reply(res, 503, 'text/html', BUSY, { 'Retry-After': '1' });
    const raw = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(raw.startsWith('/') ? raw : `/${raw}`, 'http://h');
    } catch {
      return reply(res, 400, 'text/plain', 'Bad Request\n');
    }
    const hostHeader = typeof req.headers.host === 'string' ? req.headers.host.slice(0, 255) : null;
    const tok = o.tokens().find(`${url.pathname}?${url.search} ${hostHeader ?? ''}`);
    if (!tok) return reply(res, 404, 'text/html', NOT_FOUND);
    const t = makeTrigger(tok, now(), 'http', { address, port });
    const ua = req.headers['user-agent'];
    t.http = { method: (req.method ?? '').slice(0, 16), path: raw.slice(0, 2048), host: hostHeader, userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null };
    const fp = decodeFingerprint(url.searchParams);
    if (fp) t.fingerprint = fp;
    o.onTrigger(t);
    if (req.method === 'HEAD' || req.method === 'OPTIONS') return reply(res, 200, 'text/plain', '');
    answerKnown(req, res, url.pathname, fp !== undefined);
  }

  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.on('connection', (s: Socket) => s.on('error', () => undefined));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve(server);
    });
  });
}
