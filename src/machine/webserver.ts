// nginx on a decky that serves the web (an `http` or `https` service): the daemon systemd starts
// at each boot (a master and two workers, one PID each for the boot), and what its two logs
// hold. The site is the organisation's internal web application, a service of its own behind
// nginx: colleagues open it from their workstations during their office hours (a login on their
// first visit of a day, with the page's assets when their browser no longer has them, then
// single pages and the API calls those make), the organisation's monitoring checks it on a fixed
// interval, and now and then a report download runs into nginx's upstream timeout (a 504 in
// access.log and its line in error.log, at the same second). Nobody else reaches an internal
// server.
//
// Lines are nginx's own formats (the `combined` access log, the error log's `pid#tid: *conn`),
// stamped in UTC as the decky's clock runs. Every draw comes from the decky's web streams and
// the organisation (visitors, their browsers, the monitoring host): adding a decky changes
// nothing here.
import { IANAZone } from 'luxon';
import { type Rng, between, exponential, fastStream, fmix, hex, int, pick, sample, stream } from '../rng/stream.js';
import { fnv1a } from '../util/hash.js';
import { intensity, isPublicHoliday, weekdayOf } from '../world/calendar.js';
import { type Organisation, addressIn, hostFor } from '../world/organisation.js';
import type { LogDef } from './logs.js';

export const NGINX_ACCESS_LOG = '/var/log/nginx/access.log';
export const NGINX_ERROR_LOG = '/var/log/nginx/error.log';

/**
 * Debian's /etc/logrotate.d/nginx: daily, 14 kept, delaycompress, 0640. Debian's owner is
 * www-data (group adm), but a live run writes a file as its owner and www-data may not create
 * files in /var/log: root until the live writer can hand a file root made to another account.
 */
export const NGINX_LOGS: readonly LogDef[] = [
  { path: NGINX_ACCESS_LOG, cls: 'log_daemon', facilities: ['nginx-access'], every: 'daily', keep: 14, owner: 'root', mode: '0640', writer: 'nginx' },
  { path: NGINX_ERROR_LOG, cls: 'log_daemon', facilities: ['nginx-error'], every: 'daily', keep: 14, owner: 'root', mode: '0640', writer: 'nginx', keptEmpty: true },
];

/** Debian 12's nginx unit, as systemd names it in its lines. */
export const NGINX_UNIT = 'nginx.service - A high performance web server and a reverse proxy server';
/**
 * How long into a boot nginx has started (its unit's Started line; nothing is served before): it
 * starts with the other units once the network is up, 6 to 16 s in, a boot's own draw.
 */
export function nginxUpMs(boot: { laneKey: number }): number {
  return 6_000 + (fmix((boot.laneKey ^ 0x6e67696e) >>> 0) % 11) * 1_000;
}

/** The access log's `combined` format, as a checker reads it back. */
export const ACCESS_LINE = /^(\d{1,3}(?:\.\d{1,3}){3}) - (-|[a-z0-9._-]+) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000\] "([A-Z]+) (\S+) (HTTP\/1\.[01])" (\d{3}) (\d+) "([^"]*)" "([^"]*)"$/;
/** The error log's lines: `2026/01/05 09:12:44 [error] 612#612: *57 ...`. */
export const ERROR_LINE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(emerg|alert|crit|error|warn|notice|info)\] (\d+)#(\d+): (\*\d+ )?.+$/;

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** nginx's own page for a 504 (Debian's build prints its version: server_tokens on). */
const PAGE_504 = '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
/**
 * The timeline carries a file's whole body in one event, at most 64 KiB: a day of access.log
 * (logrotate makes a new one daily) stays under it. A visit starts only while the day's lines,
 * the monitoring's checks still to come before the next rotation and the largest visit fit in
 * this; otherwise nobody else opens the site that day (rare: see the webserver test).
 */
const DAY_BUDGET = 63 * 1024;
/** More than one visit writes: a login with the assets and a mistyped password, three pages with their API calls, a sign-out. */
const VISIT_MAX = 8 * 1024;
/** How long a browser keeps the site's assets before it fetches them again. */
const ASSET_CACHE_DAYS = 7;
/** proxy_read_timeout's default. */
const UPSTREAM_TIMEOUT_MS = 60 * SEC;

/** `05/Jan/2026:09:12:44 +0000`: nginx's $time_local on a machine kept in UTC. */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** `2026/01/05 09:12:44`: the error log's stamp. */
function errorStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}

/**
 * A browser's User-Agent at an instant: browsers update themselves, a major version every four
 * weeks (Chrome 144 and Firefox 147 shipped on 2026-01-13), a person up to a few weeks behind.
 */
function browserAgent(kind: number, lagWeeks: number, ms: number): string {
  const since = Math.floor((ms - lagWeeks * 7 * DAY - Date.UTC(2026, 0, 13)) / (28 * DAY));
  const chrome = Math.max(120, 144 + since);
  const firefox = Math.max(121, 147 + since);
  switch (kind) {
    case 0: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
    case 1: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36 Edg/${chrome}.0.0.0`;
    case 2: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${firefox}.0) Gecko/20100101 Firefox/${firefox}.0`;
    case 3: return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
    default: return `Mozilla/5.0 (X11; Linux x86_64; rv:${firefox}.0) Gecko/20100101 Firefox/${firefox}.0`;
  }
}

/** The monitoring tools' HTTP checks: their User-Agent as Debian 12 packages them. */
function monitorAgent(tool: string): string {
  if (tool === 'Zabbix') return 'Zabbix';
  if (tool === 'Prometheus' || tool === 'Grafana') return 'Blackbox Exporter/0.23.0';
  if (tool === 'Netdata') return 'Go-http-client/1.1';
  return 'check_http/v2.3.3 (monitoring-plugins 2.3.3)';
}

interface Route {
  path: string;
  /** Typical response size and how much it varies (dynamic pages). */
  bytes: number;
  spread: number;
}

interface Visitor {
  address: string;
  browser: number;
  lagWeeks: number;
  /** Relative share of the visits. */
  weight: number;
  /** The local day of their last login (-1: none yet). */
  lastDay: number;
  /** The local day their browser last fetched the assets (hashed names: cached until evicted). */
  assetsDay: number;
}

/** One line nginx writes: to access.log, or error.log. */
export interface WebLine {
  ms: number;
  log: 'access' | 'error';
  text: string;
}

/** What nginx needs of the machine: whether it serves at t, and its worker PIDs for the boot. */
export interface WebHost {
  servingAt(t: number): boolean;
  /** The worker PIDs of the boot running at t, and that boot's index. */
  workers(t: number): { pids: readonly [number, number]; boot: number };
}

export class WebServer {
  private readonly base: string;
  private readonly fqdn: string;
  private readonly routes: Route[];
  private readonly assets: Route[];
  private readonly api: Route[];
  private readonly heavy: Route;
  private readonly upstream: string;
  private readonly redirectBytes: number;
  /** The login form's size (the same page for everyone). */
  private readonly loginBytes: number;
  private readonly visitors: Visitor[];
  private readonly totalWeight: number;
  private readonly monitor: { address: string; agent: string; path: string; bytes: number; everyMs: number; offsetMs: number; lineBytes: number } | null;
  private readonly zone: IANAZone;
  private readonly country: string | null;
  /** Visits at the busiest hour (the thinning bound). */
  private readonly peakPerHour: number;
  private readonly rng: Rng;
  private nextVisitMs: number;
  private nextCheckMs: number;
  /** The connection counter of the boot running (nginx numbers connections from 1 per start). */
  private conn = { boot: -1, n: 0 };
  /** Bytes of the access log's current day (from one logrotate run to the next). */
  private day = { index: -Infinity, bytes: 0 };
  private readonly rotateAtMs: number;

  /** `rotateAtMs`: when logrotate runs, in ms after UTC midnight (each day's log starts then). */
  constructor(seed: string, uuid: string, hostname: string, org: Organisation, zone: string, fromMs: number, https: boolean, rotateAtMs: number) {
    const r = stream(seed, uuid, 'web', 'site');
    this.rotateAtMs = rotateAtMs;
    this.fqdn = hostname.includes('.') ? hostname : `${hostname}.${org.internalDomain}`;
    this.base = `${https ? 'https' : 'http'}://${this.fqdn}`;
    const nouns = org.tradeNouns.map((n) => n.replace(/\s+/g, '-'));
    const page = (path: string, lo: number, hi: number, spread = 0.12): Route => ({ path, bytes: between(r, lo, hi), spread });
    this.routes = [
      page('/dashboard', 9_000, 40_000),
      ...nouns.map((n) => page(`/${n}`, 12_000, 90_000)),
      page('/reports', 6_000, 30_000),
      page('/search', 5_000, 25_000, 0.4),
      page('/settings', 4_000, 12_000, 0.02),
    ];
    // Each built file named for its own content's hash.
    this.assets = [
      page(`/static/css/app.${hex(r, 8)}.css`, 20_000, 90_000, 0),
      page(`/static/js/vendor.${hex(r, 8)}.js`, 180_000, 700_000, 0),
      page(`/static/js/app.${hex(r, 8)}.js`, 40_000, 260_000, 0),
      page('/static/img/logo.svg', 1_500, 9_000, 0),
      page('/favicon.ico', 1_150, 15_086, 0),
    ];
    this.api = nouns.map((n) => page(`/api/v1/${n}`, 800, 30_000, 0.04));
    this.heavy = page(`/reports/${pick(r, ['export', 'monthly', 'summary'])}`, 40_000, 400_000, 0.2);
    this.upstream = `http://127.0.0.1:${pick(r, [3000, 5000, 8000, 8080, 8081, 9000])}`;
    this.redirectBytes = pick(r, [0, 0, 138, 154, 218]);
    this.loginBytes = 3_000 + (fnv1a(this.fqdn, 7) % 4_000);
    this.peakPerHour = between(r, 1, 3);
    // The people who use it: some of the organisation's colleagues, at their workstations.
    const people = sample(r, org.colleagues, Math.min(org.colleagues.length, between(r, 3, 10)));
    this.visitors = people.map((c) => {
      const w = stream(seed, 'homes', 'workstation-address', org.key, c.name);
      const b = stream(seed, 'web', 'browser', org.key, c.name);
      return { address: addressIn(pick(w, org.officeRanges), w), browser: int(b, 5), lagWeeks: between(b, 0, 3), weight: between(r, 1, 8), lastDay: -1, assetsDay: -Infinity };
    });
    this.totalWeight = this.visitors.reduce((s, v) => s + v.weight, 0);
    const mon = hostFor(org, 'monitoring');
    if (mon === null) this.monitor = null;
    else {
      const check = { address: mon.address, agent: monitorAgent(org.tools.monitoring), path: pick(r, ['/health', '/healthz', '/status', '/ping']), bytes: between(r, 2, 60) };
      // A check's line has one length (its fields are fixed; the stamp has one width).
      const lineBytes = `${check.address} - - [${timeLocal(0)}] "GET ${check.path} HTTP/1.1" 200 ${check.bytes} "-" "${check.agent}"\n`.length;
      this.monitor = { ...check, everyMs: pick(r, [600, 600, 900]) * SEC, offsetMs: int(r, 600) * SEC, lineBytes };
    }
    this.zone = IANAZone.create(zone);
    this.country = org.country || null;
    this.rng = fastStream(seed, uuid, 'web', 'visits');
    this.nextVisitMs = this.visitAfter(fromMs);
    this.nextCheckMs = this.monitor === null ? Infinity : this.checkAfter(fromMs);
  }

  /** The next instant a request arrives. */
  nextMs(): number {
    return Math.min(this.nextVisitMs, this.nextCheckMs);
  }

  /** The lines of the requests arriving at the next instant (nextMs), and moves on. */
  run(host: WebHost, out: (l: WebLine) => void): void {
    if (this.nextCheckMs <= this.nextVisitMs) {
      const at = this.nextCheckMs;
      this.nextCheckMs = this.checkAfter(at + 1);
      const m = this.monitor!;
      if (host.servingAt(at)) this.request(host, out, at, m.address, 'GET', m.path, 200, m.bytes, '-', m.agent);
      return;
    }
    const at = this.nextVisitMs;
    this.nextVisitMs = this.visitAfter(at + 1);
    this.visit(host, out, at);
  }

  /** A person's visit: a login first thing in their day (with the assets their browser lacks), a few pages, maybe a sign-out. */
  private visit(host: WebHost, out: (l: WebLine) => void, at: number): void {
    const r = this.rng;
    if (!this.roomFor(at)) return;
    let w = r() * this.totalWeight;
    let v = this.visitors[0]!;
    for (const x of this.visitors) {
      v = x;
      if ((w -= x.weight) < 0) break;
    }
    const agent = browserAgent(v.browser, v.lagWeeks, at);
    const day = Math.floor(this.local(at) / DAY);
    let t = at;
    const get = (method: string, route: Route | string, status: number, referer: string, bytes?: number): void => {
      const path = typeof route === 'string' ? route : route.path;
      const size = bytes ?? (typeof route === 'string' ? 0 : this.size(route));
      if (host.servingAt(t)) this.request(host, out, t, v.address, method, path, status, size, referer, agent);
    };
    let from = '-';
    // A page's script asks the API for the first page of its list (now and then the next one too).
    const apiCalls = (referer: string): void => {
      if (this.api.length === 0) return;
      const a = pick(r, this.api);
      get('GET', `${a.path}?page=1`, 200, referer, this.size(a));
      if (r() < 0.1) {
        t += between(r, 3, 40) * SEC;
        get('GET', `${a.path}?page=2`, 200, referer, Math.round(this.size(a) * 0.8));
      }
    };
    if (v.lastDay !== day) {
      v.lastDay = day;
      get('GET', '/', 302, '-', this.redirectBytes);
      t += between(r, 0, 1) * SEC;
      get('GET', '/login', 200, '-', this.loginBytes);
      // The assets' names carry their hash, so the browser keeps them until it evicts them.
      if (day - v.assetsDay >= ASSET_CACHE_DAYS) {
        v.assetsDay = day;
        for (const a of this.assets) get('GET', a, 200, `${this.base}/login`);
      }
      t += between(r, 4, 30) * SEC;
      if (r() < 0.06) {
        // A mistyped password: the form again, with its message.
        get('POST', '/login', 200, `${this.base}/login`, this.loginBytes + 160);
        t += between(r, 5, 25) * SEC;
      }
      get('POST', '/login', 302, `${this.base}/login`, this.redirectBytes);
      t += between(r, 0, 1) * SEC;
      get('GET', this.routes[0]!, 200, `${this.base}/login`);
      from = `${this.base}${this.routes[0]!.path}`;
      apiCalls(from);
    }
    for (let n = between(r, 1, 3); n > 0; n--) {
      // Reading time: mostly a minute or two, now and then much longer.
      t += Math.min(900, 5 + exponential(r, 70)) * SEC;
      if (r() < 0.15) {
        // The report download: slow; some give up waiting (499), and now and then nginx gives up
        // on the upstream first (504). It is a file, not a page: the next page's referer stays.
        if (r() < 0.03) {
          const end = t + UPSTREAM_TIMEOUT_MS;
          if (host.servingAt(t) && host.servingAt(end)) this.timeout(host, out, end, v.address, from, agent);
          t = end;
        } else if (r() < 0.1) {
          t += between(r, 15, 55) * SEC;
          get('GET', this.heavy, 499, from, 0);
        } else {
          t += between(r, 2, 40) * SEC;
          get('GET', this.heavy, 200, from);
        }
        continue;
      }
      const route = pick(r, this.routes);
      const query = route.path === '/search' ? `?q=${pick(r, ['invoice', 'q3', 'backup', 'export', 'status', 'contract', 'budget', 'review'])}` : '';
      get('GET', route.path + query, 200, from, this.size(route));
      from = `${this.base}${route.path}${query}`;
      if (r() < 0.4) apiCalls(from);
    }
    // Some sign out at the end of their day.
    const localHour = Math.floor((this.local(t) % DAY) / HOUR);
    if (localHour >= 16 && r() < 0.25) {
      t += between(r, 5, 120) * SEC;
      get('GET', '/logout', 302, from, this.redirectBytes);
      get('GET', '/login', 200, from, this.loginBytes);
    }
  }

  private size(route: Route): number {
    return Math.max(1, Math.round(route.bytes * (1 + (this.rng() * 2 - 1) * route.spread)));
  }

  private request(host: WebHost, out: (l: WebLine) => void, t: number, address: string, method: string, path: string, status: number, bytes: number, referer: string, agent: string): void {
    this.connection(host, t);
    this.emit(out, { ms: t, log: 'access', text: `${address} - - [${timeLocal(t)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "${referer}" "${agent}"\n` });
  }

  private emit(out: (l: WebLine) => void, l: WebLine): void {
    if (l.log === 'access') this.logDay(l.ms).bytes += l.text.length;
    out(l);
  }

  /** Whether a visit starting at t fits in its day's access log, with the checks still to come that day. */
  private roomFor(t: number): boolean {
    const day = this.logDay(t);
    const m = this.monitor;
    const next = (day.index + 1) * DAY + this.rotateAtMs;
    const checks = m === null ? 0 : Math.ceil((next - t) / m.everyMs) * m.lineBytes;
    return day.bytes + checks + VISIT_MAX <= DAY_BUDGET;
  }

  /** The access log's day that holds t (lines are made up to a visit's length ahead, in order enough). */
  private logDay(t: number): { index: number; bytes: number } {
    const index = Math.floor((t - this.rotateAtMs) / DAY);
    if (index > this.day.index) this.day = { index, bytes: 0 };
    return this.day;
  }

  /** A request nginx gave up on at `end`: its 504 and the error log's line, at the same second. */
  private timeout(host: WebHost, out: (l: WebLine) => void, end: number, address: string, referer: string, agent: string): void {
    const n = this.connection(host, end);
    const { pids } = host.workers(end);
    const pid = pids[n & 1]!;
    const path = this.heavy.path;
    const ref = referer === '-' ? '' : `, referrer: "${referer}"`;
    this.emit(out, { ms: end, log: 'error', text: `${errorStamp(end)} [error] ${pid}#${pid}: *${n} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${address}, server: ${this.fqdn}, request: "GET ${path} HTTP/1.1", upstream: "${this.upstream}${path}", host: "${this.fqdn}"${ref}\n` });
    this.emit(out, { ms: end, log: 'access', text: `${address} - - [${timeLocal(end)}] "GET ${path} HTTP/1.1" 504 ${PAGE_504.length} "${referer}" "${agent}"\n` });
  }

  /** The next connection number of the boot running at t. */
  private connection(host: WebHost, t: number): number {
    const { boot } = host.workers(t);
    if (this.conn.boot !== boot) this.conn = { boot, n: 0 };
    // Keep-alive and a browser's parallel connections: not every request opens one.
    this.conn.n += 1 + (this.rng() < 0.3 ? 1 : 0);
    return this.conn.n;
  }

  /** The monitoring check's next run after t: a fixed interval from a fixed offset. */
  private checkAfter(t: number): number {
    const m = this.monitor!;
    const k = Math.ceil((t - m.offsetMs) / m.everyMs);
    return k * m.everyMs + m.offsetMs;
  }

  /**
   * The next visit after t: visits arrive at the busiest hour's rate, and one is kept with the
   * share of people at work then (office hours 08:00 to 18:00 local on weekdays, ramping up, a
   * lunch dip, a tail; a little in the evenings and at weekends; public holidays nearly empty).
   */
  private visitAfter(t: number): number {
    const r = this.rng;
    const mean = 3600 / this.peakPerHour;
    for (;;) {
      t += Math.max(1, exponential(r, mean)) * SEC;
      if (r() < this.load(t)) return t;
    }
  }

  /** t on the visitors' wall clock (ms since the epoch, as if their zone were UTC). */
  private local(t: number): number {
    return t + this.zone.offset(t) * MIN;
  }

  private load(t: number): number {
    const local = this.local(t);
    const ord = Math.floor(local / DAY);
    const minute = Math.floor((local - ord * DAY) / MIN);
    let f = weekdayOf(ord) <= 5 ? Math.max(0.02, intensity(minute - 8 * 60, 10 * 60, 8 * 60)) : 0.015;
    if (isPublicHoliday(this.country, ord)) f *= 0.05;
    return f;
  }
}
