// What one author writes with (issue 13 items 2 and 3): the deployment's dialect of the
// grammar for the author's role and the decky's services, the organisation's names in its
// slots, and the author's own habits (greeting, sign-off, bullets, date style).
import type { Decky, Persona } from '../inputs/types.js';
import { type Rng, between, int, pick, stream } from '../rng/stream.js';
import { addDays, formatDate, formatMoney, formatPhone, localeFacts, type LocaleFacts } from '../world/locale.js';
import { type Colleague, type Organisation, personaCountry } from '../world/organisation.js';
import { Grammar, type Vars } from './grammar.js';
import { ROLES, SERVICES, SHARED, TOPICS, roleKind } from './lexicon.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const GREETINGS = ['Hi', 'Hello', 'Hey', 'Morning', 'Dear'];
const SIGNOFFS = ['Thanks,', 'Cheers,', 'Best,', 'Regards,', 'Kind regards,', 'Many thanks,', 'Thank you,', 'Best regards,', 'Speak soon,', 'Ta,'];

export function isSignoff(line: string): boolean {
  return SIGNOFFS.includes(line);
}

/** The author's habits, fixed per (deployment, persona). */
export interface Style {
  greeting: string;
  signoff: string;
  bullet: '-' | '*';
  /** Sign with the first name only, or the full name and a phone line. */
  fullSignature: boolean;
  phone: string;
}

/** Shared per plan: one compiled dialect per (role, services) combination. */
/** A tool's name as a noun's modifier: "the GitLab board" is "GitLab board" before "queue" (names may come from the organisation's config). */
function bareName(name: string): string {
  return name.replace(/^(the|an?) /i, '');
}

export class GrammarCache {
  private readonly cache = new Map<string, Grammar>();
  constructor(private readonly org: Organisation) {}

  get(role: string, services: readonly string[]): Grammar {
    const kind = roleKind(role);
    const svc = services.filter((s) => s in SERVICES && s !== 'default').sort();
    const key = `${kind}|${svc.join(',')}`;
    let g = this.cache.get(key);
    if (g === undefined) {
      const service = svc.length > 0 ? svc.flatMap((s) => SERVICES[s]!) : SERVICES.default!;
      g = Grammar.merge(SHARED, ROLES[kind], { n_service: service, topic: TOPICS }).dialect(`${this.org.key}|${key}`);
      this.cache.set(key, g);
    }
    return g;
  }
}

/**
 * What typing leaves: an optional part of a template that came out empty must not leave its
 * space behind ("check the config ." or a line ending in a blank), which one grep would find
 * in every deployment.
 */
export function tidy(s: string): string {
  return s.replace(/(\S) {2,}/g, '$1 ').replace(/ +([.,?!])(?=\s|$)/g, '$1').replace(/ +$/, '');
}

export class Writer {
  readonly grammar: Grammar;
  readonly style: Style;
  readonly locale: LocaleFacts;
  readonly me: Colleague;
  /** Other people: fleet personas first (drafts go to them), then the seeded colleagues. */
  readonly others: readonly Colleague[];
  private readonly firstNames: string[];
  private readonly hosts: string[];
  private readonly projects: string[];
  private readonly ticketPrefixes: string[];
  /** Tool names as a noun's modifier (see bareName): the same for every document. */
  private readonly bare: { wiki: string; tickets: string; paging: string };

  constructor(readonly org: Organisation, persona: Persona, decky: Decky, grammars: GrammarCache) {
    this.grammar = grammars.get(persona.role, decky.services);
    this.me = org.colleagues.find((c) => c.name === persona.name)!;
    this.others = org.colleagues.filter((c) => c.name !== persona.name);
    this.locale = localeFacts(personaCountry(persona, org.country));
    const r = stream('style', org.key, persona.name);
    const digits = () => Math.floor(r() * 10);
    this.style = { greeting: pick(r, GREETINGS.slice(0, 4)), signoff: pick(r, SIGNOFFS), bullet: r() < 0.75 ? '-' : '*', fullSignature: r() < 0.4, phone: formatPhone(this.locale, digits) };
    this.firstNames = this.others.map((c) => c.first);
    if (this.firstNames.length === 0) this.firstNames.push('the team');
    this.hosts = org.hosts.map((h) => h.name);
    this.projects = org.projects.map((p) => p.name);
    this.ticketPrefixes = [...new Set(org.projects.map((p) => p.name.replace(/[^a-z]/g, '').slice(0, 4).toUpperCase()).filter((p) => p.length >= 2))];
    if (this.ticketPrefixes.length === 0) this.ticketPrefixes.push('OPS');
    this.bare = { wiki: bareName(org.tools.wiki), tickets: bareName(org.tools.tickets), paging: bareName(org.tools.paging) };
  }

  /** A sign-off block: the line people sign with, then the name (and a phone line). */
  signature(): string[] {
    return this.style.fullSignature ? [this.style.signoff, this.me.name, this.style.phone] : [this.style.signoff, this.me.first];
  }

  /** Variables for one document dated `date` (the author's local YYYY-MM-DD). */
  vars(rng: Rng, date: string, extra: Record<string, string> = {}): Vars {
    // A figure, and one set against it ("went from 40 to 55", "took 62 min, expected 45"): the
    // second is within a factor of two of the first, as compared figures are.
    let last = 0;
    let lastPct = 0;
    const n = () => String((last = between(rng, 2, 95) * (rng() < 0.3 ? 10 : 1)));
    const m = () => (last === 0 ? n() : String(Math.max(1, Math.round((last * between(rng, 50, 180)) / 100))));
    // A percentage, and one set against it: a share stays between 1 and 99.
    const pct = () => String((lastPct = between(rng, 5, 99)));
    const pm = () => String(Math.min(99, Math.max(1, Math.round(((lastPct || between(rng, 5, 99)) * between(rng, 50, 180)) / 100))));
    const ds = this.locale.dateStyle;
    return {
      project: this.projects,
      host: this.hosts,
      colleague: this.firstNames,
      team: this.org.teams,
      vendor: this.org.vendors.length > 0 ? this.org.vendors : [this.org.shortName],
      chat: this.org.tools.chat,
      tickets: this.org.tools.tickets,
      wiki: this.org.tools.wiki,
      // Before a noun ("the GitLab wiki page"), a tool named with its article goes without it.
      wikiName: this.bare.wiki,
      ticketsName: this.bare.tickets,
      vcs: this.org.tools.vcs,
      ci: this.org.tools.ci,
      monitoring: this.org.tools.monitoring,
      paging: this.bare.paging,
      backup: this.org.tools.backup,
      passwords: this.org.tools.passwords,
      biz: this.org.tradeNouns,
      paper: this.locale.paper,
      money: () => formatMoney(between(rng, 12, 980) * (rng() < 0.5 ? 10 : 1), this.locale),
      ticket: () => `${pick(rng, this.ticketPrefixes)}-${between(rng, 40, 4999)}`,
      n,
      m,
      pct,
      pm,
      day: WEEKDAYS,
      date: formatDate(date, ds),
      // Dates a document looks forward to: never before its own date.
      due: () => formatDate(addDays(date, between(rng, 1, 21)), ds),
      ...extra,
    };
  }

  line(rule: string, rng: Rng, vars: Vars): string {
    return tidy(this.grammar.expand(rule, rng, vars));
  }

  /** A recipient for a draft: another fleet persona when there is one, never the author. */
  recipient(rng: Rng): Colleague {
    const personas = this.others.filter((c) => c.persona);
    const pool = personas.length > 0 && rng() < 0.8 ? personas : this.others;
    return pool.length > 0 ? pick(rng, pool) : { ...this.me, name: 'Service Desk', first: 'all', email: `servicedesk@${this.org.domain}`, persona: false };
  }

  int(rng: Rng, n: number): number {
    return int(rng, n);
  }
}
