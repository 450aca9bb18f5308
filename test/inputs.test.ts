// SPEC 2 and 10: every bad input is one clear line and exit 2; logins follow SPEC 4.2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';
import { resolveInputs, type RawInputs } from '../src/inputs/resolve.js';
import { deriveLogin } from '../src/realism/login.js';
import { cli } from './helpers/cli.js';

test('logins transliterate before falling back to user', () => {
  assert.is(deriveLogin('John Smith'), 'johnsmith');
  assert.is(deriveLogin('alice'), 'alice');
  const cases: Array<[string, string]> = [['Ana López', 'analopez'], ['Björn Åström', 'bjornastrom'], ['Renée', 'renee'], ['Łukasz Wiśniewski', 'lukaszwisniewski'], ['Zoë Ødegaard', 'zoeodegaard'], ['Straße', 'strasse'], ['Çağlar Şahin', 'caglarsahin'], ['Mr. Robot', 'mrrobot'], ['C-3PO!', 'c3po'], ['Дмитрий', 'dmitriy'], ['2Pac', 'pac']];
  for (const [n, want] of cases) assert.is(deriveLogin(n), want, n);
  for (const n of ['', '...', '123', '—']) assert.is(deriveLogin(n), 'user', n);
  assert.is(deriveLogin('A'.repeat(40)), 'a'.repeat(32));
  assert.is(resolveInputs({ personas: { file: 'p.json', data: [{ name: 'Zed', login: 'zz' }] } }).inputs.personas[0]!.login, 'zz');
});

const fleet = (deckies: unknown[], personas?: unknown) => ({ fleet: { file: 'fleet.json', data: personas === undefined ? { deckies } : { deckies, personas } } });
const persona = (p: Record<string, unknown>) => ({ personas: { file: 'personas.json', data: [{ name: 'Ann', ...p }] } });
const config = (c: unknown) => ({ config: { file: 'engine.json', data: c } });

const BAD: Array<[string, RawInputs, RegExp]> = [
  ['fleet not an object', { fleet: { file: 'fleet.json', data: [] } }, /fleet\.json: \(top level\): expected an object/],
  ['deckies missing', { fleet: { file: 'fleet.json', data: {} } }, /fleet\.json: deckies: expected an array/],
  ['no deckies', fleet([]), /deckies: expected at least one decky/],
  ['bad decky name', fleet([{ name: '-rm' }]), /deckies\[0\]\.name: expected a name matching/],
  ['name too long', fleet([{ name: 'a'.repeat(64) }]), /deckies\[0\]\.name/],
  ['duplicate decky', fleet([{ name: 'a' }, { name: 'a' }]), /deckies\[1\]\.name: duplicate decky name/],
  ['uuid with a dot', fleet([{ name: 'a', uuid: 'x.y' }]), /deckies\[0\]\.uuid: expected a uuid without/],
  ['uuid with >', fleet([{ name: 'a', uuid: 'x>' }]), /deckies\[0\]\.uuid/],
  ['services not a list', fleet([{ name: 'a', services: 'ssh' }]), /deckies\[0\]\.services: expected an array/],
  ['unknown decky key', fleet([{ name: 'a', sevrices: ['ssh'] }]), /deckies\[0\]\.sevrices: expected a known key/],
  ['unknown persona reference', fleet([{ name: 'a', personas: ['Nobody'] }]), /deckies\[0\]\.personas\[0\]: expected a persona name from the pool, got "Nobody"/],
  ['bad docker endpoint', fleet([{ name: 'a', docker: 'http://x; rm -rf /' }]), /deckies\[0\]\.docker: expected a Docker context name/],
  ['bad container', fleet([{ name: 'a', container: '$(id)' }]), /deckies\[0\]\.container/],
  ['persona name empty', persona({ name: '' }), /personas\.json: \[0\]\.name: expected a string of 1\.\.128/],
  ['persona name too long', persona({ name: 'x'.repeat(129) }), /\[0\]\.name/],
  ['duplicate persona', { personas: { file: 'personas.json', data: [{ name: 'A' }, { name: 'A' }] } }, /\[1\]\.name: duplicate persona name "A"/],
  ['malformed window', persona({ active_hours: '9-17' }), /\[0\]\.active_hours: expected a window "HH:MM-HH:MM", got "9-17"/],
  ['hour out of range', persona({ active_hours: '25:00-18:00' }), /active_hours/],
  ['unknown time zone', persona({ timezone: 'Mars/Olympus' }), /\[0\]\.timezone: expected an IANA time zone name, got "Mars\/Olympus"/],
  ['bad workday', persona({ workdays: ['mon', 'funday'] }), /\[0\]\.workdays\[1\]: expected one of mon tue/],
  ['workdays not a list', persona({ workdays: 'mon' }), /\[0\]\.workdays: expected an array/],
  ['config unknown key', config({ intervall: 60 }), /engine\.json: intervall: expected a known key/],
  ['negative weight', config({ weights: { user: { note: -1, todo: 1 } } }), /weights\.user\.note: expected a non-negative integer weight, got -1/],
  ['boolean weight', config({ weights: { user: { note: true } } }), /weights\.user\.note: expected a non-negative integer weight, got true/],
  ['fractional weight', config({ weights: { system: { log_cron: 1.5 } } }), /weights\.system\.log_cron/],
  ['zero group', config({ weights: { user: { note: 0, todo: 0 } } }), /weights\.user: expected weights that sum to more than 0/],
  ['class in the wrong group', config({ weights: { system: { note: 3 } } }), /weights\.system\.note: expected a system class \(note belongs in weights\.user\)/],
  ['unknown class', config({ weights: { canary: { canary_bitcoin: 1 } } }), /weights\.canary\.canary_bitcoin: expected a canary class/],
  ['probability above 1', config({ canaryProbability: 1.5 }), /canaryProbability: expected a probability in \[0, 1\], got 1\.5/],
  ['probability as a string', config({ offHoursQuiet: '0.5' }), /offHoursQuiet: expected a probability/],
  ['negative cap', config({ canaryCapPerDecky: -1 }), /canaryCapPerDecky/],
  ['interval zero', config({ interval: 0 }), /interval: expected a whole number of seconds/],
  ['revealing http base', config({ canary: { httpBase: 'https://canary.example.org' } }), /canary\.httpBase: expected a URL that does not reveal/],
  ['http base not a URL', config({ canary: { httpBase: 'ftp://x' } }), /canary\.httpBase: expected an http\(s\) URL/],
  ['bad dns zone', config({ canary: { dnsZone: 'no spaces allowed' } }), /canary\.dnsZone: expected a DNS zone/],
  ['start garbage', { start: 'yesterday' }, /--start: expected an ISO 8601 instant/],
  ['until before start', { start: '2026-01-05T00:00:00Z', until: '2026-01-04T00:00:00Z' }, /--until: expected an instant after --start/],
  ['days zero', { days: 0 }, /--days: expected a number of days/],
  ['days and until', { days: 2, until: '2026-02-01T00:00:00Z' }, /--until and --days/],
];

test('every invalid input names the file, the field and what was expected', () => {
  for (const [what, raw, message] of BAD) {
    let err: unknown;
    try {
      resolveInputs(raw);
    } catch (e) {
      err = e;
    }
    assert.instance(err, InputError, what);
    assert.match((err as Error).message, message, what);
    assert.not.match((err as Error).message, /\n/, `${what}: one line`);
  }
});

test('personas mapping to user or root are warned about; root is refused unless the config allows it', () => {
  const r = resolveInputs({ personas: { file: 'p.json', data: [{ name: '...' }, { name: 'Ana López' }] } });
  assert.is(r.inputs.personas[1]!.login, 'analopez');
  assert.ok(r.warnings.some((w) => /"\.\.\." maps to the login "user"/.test(w)), r.warnings.join('\n'));
  for (const p of [{ name: 'Root' }, { name: 'Ops', login: 'root' }]) {
    assert.throws(() => resolveInputs({ personas: { file: 'p.json', data: [p] } }), (e: unknown) => e instanceof InputError && /login "root".*allowRootPersona/.test((e as Error).message));
    const ok = resolveInputs({ personas: { file: 'p.json', data: [p] }, config: { file: 'c.json', data: { allowRootPersona: true } } });
    assert.is(ok.inputs.personas[0]!.login, 'root');
    assert.ok(ok.warnings.some((w) => /login "root"/.test(w)));
  }
});

test('Python persona files load unchanged; duplicate logins are a warning', () => {
  const raw = [
    { name: 'Sam Lee', email: 's@x.org', role: 'dev', tone: 'friendly', active_hours: '22:00-06:00', timezone: 'Asia/Tokyo' },
    { name: 'samlee', email: 't@x.org', role: 'ops' },
  ];
  const r = resolveInputs({ personas: { file: 'email_personas.json', data: raw } });
  assert.is(r.inputs.personas.length, 2);
  assert.is(r.inputs.personas[0]!.active_hours, '22:00-06:00');
  assert.is(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /share the login "samlee"/);
});

test('the embedded default fleet resolves: three SSH deckies and a handful of personas', () => {
  const { inputs } = resolveInputs({});
  assert.is(inputs.fleet.length, 3);
  assert.ok(inputs.fleet.every((d) => d.services.includes('ssh') && d.address));
  assert.is(inputs.personas.length, DEFAULT_FLEET_RAW.personas.length);
  assert.is(inputs.start, '2026-01-05T00:00:00Z');
  assert.is(inputs.end, '2026-01-12T00:00:00Z');
});

test('CLI: bad input exits 2 with one line, no stack trace, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-inputs-'));
  const bad = join(dir, 'fleet.json');
  writeFileSync(bad, JSON.stringify({ deckies: [{ name: 'ok', personas: ['Ghost'] }] }));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"deckies": [');
  const out = join(dir, 'out.json');
  const cases: Array<[string[], RegExp]> = [
    [['plan', '--fleet', bad, '--out', out], /fleet\.json: deckies\[0\]\.personas\[0\]: expected a persona name from the pool, got "Ghost"/],
    [['plan', '--fleet', broken, '--out', out], /broken\.json: not valid JSON/],
    [['plan', '--fleet', join(dir, 'missing.json'), '--out', out], /missing\.json: cannot read \(no such file\)/],
    [['plan', '--days', 'seven', '--out', out], /--days: expected a number of days/],
    [['plan', '--interval', '0', '--out', out], /^error: --interval: expected a whole number of seconds from 1 to 604800, got "0"$/m],
    [['plan', '--interval', '1.5', '--out', out], /--interval: expected a whole number of seconds from 1 to 604800, got "1\.5"/],
    [['plan', '--days', '-1', '--out', out], /--days: expected a number of days from 0 \(exclusive\) to 3660, got "-1"/],
    [['plan', '--workers', 'two', '--out', out], /--workers.*two/],
    [['verify'], /^error: Missing 1 required arg: file \(timeline file/],
    [['plan', '--format', 'xml', '--out', out], /format/i],
    [['plan', '--no-such-flag'], /Nonexistent flag|no-such-flag/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.is(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    assert.is(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.is(r.stdout, '');
    assert.not.ok(existsSync(out), 'nothing written');
  }
});

test.run();
