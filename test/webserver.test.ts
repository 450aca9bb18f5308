// nginx on the deckies that serve the web (src/machine/webserver.ts), read as an intruder reads
// /var/log/nginx: who opens the site and when, what the monitoring does, what error.log says, and
// whether the daemon's lines in syslog agree with the requests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IANAZone } from 'luxon';
import { inputsFor } from './helpers/plan.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import type { TimelineEvent } from '../src/timeline/types.js';
import { ACCESS_LINE, ERROR_LINE } from '../src/machine/webserver.js';
import { gunzipSync } from 'node:zlib';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;

function inRange(address: string, range: string): boolean {
  const n = (a: string): number => a.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  const [net, bits] = range.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(address) / size) === Math.floor(n(net!) / size);
}

interface Day {
  decky: string;
  log: 'access' | 'error';
  lines: string[];
}

/** Every day of nginx's logs once: a live file's last body before logrotate renames it, the live files at the end, and the planted history. */
function nginxDays(events: readonly TimelineEvent[]): Day[] {
  const live = new Map<string, string>();
  const out: Day[] = [];
  const take = (decky: string, path: string, body: string): void => {
    if (body !== '') out.push({ decky, log: path.includes('access') ? 'access' : 'error', lines: body.split('\n').filter((l) => l !== '') });
  };
  for (const e of events) {
    if (e.kind !== 'file' || !e.path!.startsWith('/var/log/nginx/')) continue;
    const key = `${e.decky.name} ${e.path}`;
    if (e.action === 'file:rename' && /\.log$/.test(e.path!)) {
      take(e.decky.name, e.path!, live.get(key) ?? '');
      live.delete(key);
    } else if (e.content && /\.log$/.test(e.path!)) live.set(key, e.content.data);
    else if (e.content && e.job === 'history' && /\.log\.1$/.test(e.path!)) take(e.decky.name, e.path!, e.content.data);
    else if (e.content && e.job === 'history' && /\.gz$/.test(e.path!)) take(e.decky.name, e.path!, gunzipSync(Buffer.from(e.content.data, 'base64')).toString('utf8'));
  }
  for (const [key, body] of live) take(key.split(' ')[0]!, key.split(' ')[1]!, body);
  return out;
}

function accessMs(m: RegExpExecArray): number {
  return Date.UTC(Number(m[5]), MONTHS.indexOf(m[4]!), Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8]));
}

test('only deckies that serve the web run nginx; its logs hold its formats in time order, from the office and the monitoring host, a day under 64 KiB, error.log there from the start (4 seeds x 21 days)', () => {
  let requests = 0;
  let checks = 0;
  for (const seed of ['web-1', 'web-2', 'web-3', 'web-4']) {
    const inp = inputsFor({ days: 21 });
    const ctx = buildContext(seed, inp);
    const events = [...planEvents(ctx)];
    const web = new Set(inp.fleet.filter((d) => d.services.some((s) => s === 'http' || s === 'https')).map((d) => d.name));
    assert.ok(web.size > 0);
    const seen = new Set<string>();
    const monitor = ctx.org.hosts.find((h) => h.role === 'monitoring')?.address ?? null;
    for (const d of nginxDays(events)) {
      seen.add(d.decky);
      assert.ok(web.has(d.decky), `${seed}: nginx logs on ${d.decky}, which serves no web`);
      assert.ok(Buffer.byteLength(d.lines.join('\n')) < 64 * 1024, `${seed} ${d.decky}: a day of ${d.log}.log over 64 KiB`);
      let last = -Infinity;
      for (const l of d.lines) {
        if (d.log === 'error') {
          assert.match(l, ERROR_LINE);
          continue;
        }
        const m = ACCESS_LINE.exec(l);
        assert.ok(m, `${seed} ${d.decky}: not a combined-format line: ${l}`);
        const ms = accessMs(m!);
        assert.ok(ms >= last, `${seed} ${d.decky}: ${l} is older than the line before it`);
        last = ms;
        if (m![1] === monitor) checks++;
        else {
          requests++;
          assert.ok(ctx.org.officeRanges.some((r) => inRange(m![1]!, r)), `${seed} ${d.decky}: a request from ${m![1]}, outside the office ranges ${ctx.org.officeRanges.join(' ')}`);
          assert.match(m![15]!, /^Mozilla\/5\.0 \(/);
        }
      }
    }
    assert.equal([...seen].sort(), [...web].sort(), `${seed}: every web decky has nginx logs`);
    // nginx opens error.log when it starts: the file is there from the start, empty or not.
    const errorLogs = new Set(events.filter((e) => e.kind === 'file' && e.job === 'history' && e.path === '/var/log/nginx/error.log').map((e) => e.decky.name));
    assert.equal([...errorLogs].sort(), [...web].sort(), `${seed}: error.log planted on every web decky`);
  }
  assert.ok(requests > 500, `only ${requests} requests from people`);
  assert.ok(checks > 200, `only ${checks} monitoring checks`);
});

test('people open the site in their office hours on workdays; the monitoring checks on a fixed interval; each 504 has its upstream timeout in error.log; browsers no newer than the release of their day; API pages in order (6 seeds x 28 days)', () => {
  let inHours = 0;
  let people = 0;
  let weekend = 0;
  let timeouts = 0;
  for (const seed of ['web-a', 'web-b', 'web-c', 'web-d', 'web-e', 'web-f']) {
    const inp = inputsFor({ days: 28 });
    const ctx = buildContext(seed, inp);
    const monitor = ctx.org.hosts.find((h) => h.role === 'monitoring')?.address ?? null;
    const days = nginxDays([...planEvents(ctx)]);
    for (const name of new Set(days.map((d) => d.decky))) {
      const decky = inp.fleet.find((d) => d.name === name)!;
      const zone = IANAZone.create(ctx.personas.get(decky.personas[0]!)!.timezone);
      const gaps = new Map<number, number>();
      let prevCheck = -1;
      const errors = new Set<string>();
      for (const d of days.filter((x) => x.decky === name && x.log === 'error')) for (const l of d.lines) {
        const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) .* client: (\S+), .*request: "GET (\S+) /.exec(l);
        if (m) errors.add(`${Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)} ${m[7]} ${m[8]}`);
      }
      const lastApi = new Map<string, string>();
      const lines = days.filter((x) => x.decky === name && x.log === 'access').flatMap((d) => d.lines).map((l) => ACCESS_LINE.exec(l)!);
      for (const m of lines.sort((a, b) => accessMs(a) - accessMs(b))) {
        const ms = accessMs(m);
        if (m[1] === monitor) {
          if (prevCheck >= 0) gaps.set(ms - prevCheck, (gaps.get(ms - prevCheck) ?? 0) + 1);
          prevCheck = ms;
          continue;
        }
        // The browser is never newer than the release of its day (Chrome 144, Firefox 147 on 2026-01-13, four-weekly).
        const released = Math.floor((ms - Date.UTC(2026, 0, 13)) / (28 * DAY));
        const v = /(?:Chrome|Firefox)\/(\d+)\./.exec(m[15]!);
        if (v) assert.ok(Number(v[1]) <= (m[15]!.includes('Firefox') ? 147 : 144) + released, `${seed} ${name}: ${m[15]} on ${new Date(ms).toISOString()}`);
        // A list's second page follows its first; a download is never a page's referer.
        const api = /^(\/api\/v1\/[^?]+)\?page=(\d+)$/.exec(m[10]!);
        if (api) {
          if (api[2] === '2') assert.equal(lastApi.get(m[1]!), `${api[1]}?page=1`, `${seed} ${name}: ${m[10]} without its first page before`);
          lastApi.set(m[1]!, m[10]!);
        }
        assert.not.match(m[14]!, /\/reports\/(export|monthly|summary)$/, `${seed} ${name}: a download as referer`);
        if (m[12] === '504') {
          timeouts++;
          assert.ok(errors.has(`${ms} ${m[1]} ${m[10]}`), `${seed} ${name}: a 504 at ${new Date(ms).toISOString()} without error.log's line`);
        }
        people++;
        const local = ms + zone.offset(ms) * 60_000;
        const hour = Math.floor((local % DAY) / 3_600_000);
        const wd = new Date(local).getUTCDay();
        if (wd === 0 || wd === 6) weekend++;
        else if (hour >= 8 && hour < 18) inHours++;
      }
      if (monitor !== null && gaps.size > 0) {
        // One interval; a longer gap only where the machine was down (a reboot).
        const [every] = [...gaps.entries()].sort((a, b) => b[1] - a[1])[0]!;
        assert.ok([600_000, 900_000].includes(every), `${seed} ${name}: checks every ${every / 1000} s`);
        for (const g of gaps.keys()) assert.ok(g % every === 0 && g <= 2 * every, `${seed} ${name}: a gap of ${g / 1000} s between checks (interval ${every / 1000} s)`);
      }
    }
  }
  assert.ok(people > 2000, `only ${people} requests from people`);
  assert.ok(inHours / people > 0.8, `${inHours} of ${people} requests inside office hours on workdays`);
  assert.ok(weekend / people < 0.05, `${weekend} of ${people} requests at weekends`);
  assert.ok(timeouts > 0, 'no upstream timeout at all');
});

test('nginx serves every scheduled check while it is up and none between its Stopping and Started lines in syslog (16 web deckies x 50 days, dozens of reboots)', () => {
  let boots = 0;
  let missed = 0;
  // Seconds from a boot's kernel line to nginx's Started: each boot its own, as units start in parallel.
  const offsets = new Set<number>();
  const fleet = Array.from({ length: 16 }, (_, i) => ({ name: `www-${i + 1}`, services: ['ssh', i % 2 ? 'https' : 'http'], address: `10.30.0.${11 + i}`, personas: ['John Smith'] }));
  const inp = inputsFor({ days: 50, fleet: { file: 'web-fleet', data: { deckies: fleet, organisation: { hosts: [{ name: 'mon', role: 'monitoring', address: '10.40.0.5' }] } } } } as never);
  const ctx = buildContext('web-boot-2', inp);
  const monitor = ctx.org.hosts.find((h) => h.role === 'monitoring')?.address;
  assert.ok(monitor, 'the organisation has a monitoring host');
  const events = [...planEvents(ctx)];
  const days = nginxDays(events);
  for (const { name } of fleet) {
    const up: Array<[number, string]> = [];
    let prev = '';
    let kernel: number | null = null;
    for (const e of events) {
      if (e.kind !== 'file' || e.decky.name !== name || e.path !== '/var/log/syslog' || !e.content) continue;
      const body = e.content.data;
      const added = body.startsWith(prev) ? body.slice(prev.length) : body;
      prev = body;
      for (const l of added.split('\n')) {
        const m = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) \S+ systemd\[1\]: (Started|Stopping) nginx\.service - A high performance web server and a reverse proxy server/.exec(l);
        if (m) up.push([Date.UTC(2026, MONTHS.indexOf(m[1]!), Number(m[2]!.trim()), +m[3]!, +m[4]!, +m[5]!), m[6]!]);
        const k = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) \S+ kernel: \[\s+0\.0+\] Linux version /.exec(l);
        if (k) kernel = Date.UTC(2026, MONTHS.indexOf(k[1]!), Number(k[2]!.trim()), +k[3]!, +k[4]!, +k[5]!);
        if (m && m[6] === 'Started' && kernel !== null) offsets.add((up[up.length - 1]![0] - kernel) / 1000);
      }
    }
    const downs = up.filter((x) => x[1] === 'Stopping').map(([stop]) => [stop, up.find((x) => x[1] === 'Started' && x[0] > stop)?.[0] ?? Infinity] as const);
    boots += downs.length;
    const checks = days.filter((d) => d.decky === name && d.log === 'access').flatMap((d) => d.lines).map((l) => ACCESS_LINE.exec(l)!).filter((m) => m[1] === monitor).map(accessMs).sort((a, b) => a - b);
    const every = Math.min(...checks.slice(1).map((c, i) => c - checks[i]!));
    const seen = new Set(checks);
    for (let t = checks[0]!; t <= checks[checks.length - 1]!; t += every) {
      const down = downs.some(([a, b]) => t >= a && t <= b);
      if (down) missed++;
      assert.equal(seen.has(t), !down, `${name}: the check at ${new Date(t).toISOString()} ${down ? 'served while nginx was down' : 'missing while nginx was up'}`);
    }
  }
  assert.ok(boots >= 16, `only ${boots} reboots of the web deckies`);
  assert.ok(missed >= 1, `no check fell in one of ${boots} reboots: the test shows nothing about downtime`);
  assert.ok(offsets.size >= 5 && [...offsets].every((o) => o >= 6 && o <= 16), `nginx starts ${[...offsets].sort((a, b) => a - b).join(', ')} s into its boots`);
});

test.run();
