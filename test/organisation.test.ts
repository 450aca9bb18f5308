// Issue 13 item 1: one seeded organisation per deployment, overridable by the fleet file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../src/errors.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { buildOrganisation, deploymentKey } from '../src/world/organisation.js';
import { isReservedHost, isSampleCompany } from '../src/world/placeholders.js';
import { SEEDS } from './helpers/plan.js';

const inputs = (data: unknown = DEFAULT_FLEET_RAW) => resolveInputs({ fleet: { file: 'f.json', data } }).inputs;

test('an organisation is complete, consistent and free of placeholders, over many seeds', () => {
  const names = new Set<string>();
  for (const seed of SEEDS) {
    const org = buildOrganisation(seed, inputs());
    names.add(org.name);
    assert.ok(!isSampleCompany(org.name), org.name);
    assert.ok(!isReservedHost(org.domain) && !isReservedHost(org.internalDomain), org.domain);
    assert.match(org.domain, /^[a-z0-9.-]+\.[a-z]{2,}$/);
    assert.ok(org.teams.length >= 3 && org.projects.length >= 3 && org.hosts.length >= 7, seed);
    for (const p of org.projects) {
      assert.match(p.name, /^[a-z0-9-]+$/);
      assert.ok(org.teams.includes(p.team));
    }
    for (const h of org.hosts) {
      assert.ok(h.fqdn.endsWith('.' + org.internalDomain), h.fqdn);
      const inRange = org.officeRanges.some((r) => {
        const [net, bits] = r.split('/');
        const toInt = (a: string) => a.split('.').reduce((v, o) => v * 256 + Number(o), 0);
        const size = 2 ** (32 - Number(bits));
        return Math.floor(toInt(h.address) / size) === Math.floor(toInt(net!) / size);
      });
      assert.ok(inRange, `${h.address} in ${org.officeRanges.join(',')}`);
    }
    assert.is(new Set(org.hosts.map((h) => h.address)).size, org.hosts.length);
    // Personas first, on the organisation's domain, then seeded colleagues.
    const personas = DEFAULT_FLEET_RAW.personas.map((p) => p.name);
    assert.equal(org.colleagues.slice(0, personas.length).map((c) => c.name), personas);
    assert.ok(org.colleagues.slice(personas.length).length >= 6);
    assert.ok(org.colleagues.slice(personas.length).every((c) => !c.persona));
    for (const c of org.colleagues) assert.match(c.email, new RegExp(`^[a-z0-9.]+@${org.domain.replace(/\./g, '\\.')}$`), c.email);
    assert.is(new Set(org.colleagues.map((c) => c.name)).size, org.colleagues.length);
  }
  assert.ok(names.size >= SEEDS.length - 2, `only ${names.size} names over ${SEEDS.length} seeds`);
});

test('same inputs give the same organisation; another seed or other people another one; adding a decky none', () => {
  const a = buildOrganisation('s', inputs());
  assert.equal(buildOrganisation('s', inputs()), a);
  assert.is.not(buildOrganisation('t', inputs()).name, a.name);
  const grown = inputs({ ...DEFAULT_FLEET_RAW, deckies: [...DEFAULT_FLEET_RAW.deckies, { name: 'mail-01', services: ['ssh'], address: '10.20.0.14' }] });
  assert.equal(buildOrganisation('s', grown), a);
  const otherPeople = inputs({ ...DEFAULT_FLEET_RAW, personas: [...DEFAULT_FLEET_RAW.personas, { name: 'Ana López', role: 'sre' }] });
  assert.is.not(deploymentKey('s', otherPeople), a.key);
  assert.is.not(buildOrganisation('s', otherPeople).name, a.name);
});

test('the fleet file organisation block sets any part; the rest is drawn', () => {
  const block = {
    name: 'Tamar Freight Ltd', domain: 'tamarfreight.co.uk', internalDomain: 'corp.tamar.lan', country: 'DE', officeRanges: ['10.44.0.0/16'],
    teams: ['Platform', 'Data'], projects: ['ledger', 'Depot App'], hosts: ['git', { name: 'wiki', role: 'wiki', address: '10.44.1.9' }],
    tools: { chat: 'Mattermost' }, colleagues: ['Jörg Bauer', { name: 'Anja Klein', email: 'anja@tamarfreight.co.uk', role: 'manager' }],
  };
  const i = inputs({ ...DEFAULT_FLEET_RAW, organisation: block });
  const org = buildOrganisation('x', i);
  assert.is(org.name, 'Tamar Freight Ltd');
  assert.is(org.shortName, 'Tamar Freight');
  assert.is(org.domain, 'tamarfreight.co.uk');
  assert.is(org.internalDomain, 'corp.tamar.lan');
  assert.is(org.locale.currency, 'EUR');
  assert.equal(org.officeRanges, ['10.44.0.0/16']);
  assert.equal(org.teams, ['Platform', 'Data']);
  assert.equal(org.projects.map((p) => p.name), ['ledger', 'depot-app']);
  assert.equal(org.hosts.map((h) => h.fqdn), ['git.corp.tamar.lan', 'wiki.corp.tamar.lan']);
  assert.is(org.hosts[1]!.address, '10.44.1.9');
  assert.is(org.tools.chat, 'Mattermost');
  assert.ok(org.tools.wiki.length > 0);
  const extra = org.colleagues.filter((c) => !c.persona);
  assert.equal(extra.map((c) => [c.name, c.email]), [['Jörg Bauer', extra[0]!.email], ['Anja Klein', 'anja@tamarfreight.co.uk']]);
  assert.match(extra[0]!.email, /^j(org)?[.a-z]*@tamarfreight\.co\.uk$/);
  // The resolved block is recorded in the header inputs and re-validates from there.
  assert.is(i.organisation.name, 'Tamar Freight Ltd');
  assert.equal(resolveInputs({ fleet: { file: 'h', data: { deckies: i.fleet, personas: i.personas, organisation: i.organisation } } }).inputs.organisation, i.organisation);
});

test('a bad organisation block is one clear error', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ nmae: 'x' }, /organisation\.nmae: expected a known key/],
    [{ domain: 'not a domain' }, /organisation\.domain: expected a mail domain/],
    [{ country: 'XX' }, /organisation\.country: expected a country code this engine knows/],
    [{ officeRanges: ['10.0.0.0/40'] }, /organisation\.officeRanges\[0\]: expected an IPv4 range/],
    [{ teams: [] }, /organisation\.teams: expected a non-empty list/],
    [{ name: 'Canary Wharf Ltd' }, /organisation\.name: expected text that does not reveal the honeypot/],
    [{ tools: { chat: 'Slack', pager: 'x' } }, /organisation\.tools\.pager: expected a known key/],
  ];
  for (const [block, re] of bad) {
    assert.throws(() => inputs({ ...DEFAULT_FLEET_RAW, organisation: block }), (e: unknown) => e instanceof InputError && re.test((e as Error).message), JSON.stringify(block));
  }
});

test('persona emails keep their domain; persona locales give the organisation its country', () => {
  const personas = [
    { name: 'Ana López', email: 'ana@lopez-asociados.es', locale: 'es-ES' },
    { name: 'Raúl Sanz', email: 'raul@lopez-asociados.es', locale: 'es-ES' },
    { name: 'Sam Reid', timezone: 'Europe/London' },
  ];
  const org = buildOrganisation('l', inputs({ deckies: DEFAULT_FLEET_RAW.deckies.map(({ personas: _, ...d }) => d), personas }));
  assert.is(org.domain, 'lopez-asociados.es');
  assert.is(org.country, 'ES');
  assert.is(org.colleagues[0]!.email, 'ana@lopez-asociados.es');
  assert.match(org.colleagues[2]!.email, /@lopez-asociados\.es$/);
  assert.is(org.colleagues[2]!.country, 'GB');
});

test.run();
