// A small generative grammar (issue 13 item 2): rules with alternative phrasings, slots filled
// from the organisation and the persona, and number agreement. Templates are compiled once.
//
// Template syntax: `{rule}` expands a rule, `{$var}` inserts a variable, `{a|b|c}` picks one
// inline phrasing, `{be}` / `{has}` / `{was}` / `{s}` agree with the number of the most recent
// noun phrase (a rule named `n_...`; its alternatives starting `pl:` are plural). A dialect keeps a seeded share of each
// long rule's alternatives, so two deployments phrase the same thing differently.
import { type Rng, stream } from '../rng/stream.js';

type Part = string | { rule: string } | { v: string } | { inline: Alt[] } | { agree: 'be' | 'has' | 'was' | 's' };
interface Alt {
  parts: Part[];
  plural: boolean;
}

export type Vars = Readonly<Record<string, string | readonly string[] | (() => string)>>;

function parse(src: string): Alt {
  let plural = false;
  if (src.startsWith('pl:')) {
    plural = true;
    src = src.slice(3);
  }
  const parts: Part[] = [];
  let i = 0;
  let text = '';
  while (i < src.length) {
    const c = src[i]!;
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    while (j < src.length && depth > 0) {
      if (src[j] === '{') depth++;
      else if (src[j] === '}') depth--;
      j++;
    }
    const inner = src.slice(i + 1, j - 1);
    if (text) parts.push(text);
    text = '';
    if (inner.includes('|')) parts.push({ inline: splitTop(inner).map(parse) });
    else if (inner.startsWith('$')) parts.push({ v: inner.slice(1) });
    else if (inner === 'be' || inner === 'has' || inner === 'was' || inner === 's') parts.push({ agree: inner });
    else parts.push({ rule: inner });
    i = j;
  }
  if (text) parts.push(text);
  // A variable written without its braces would reach a body as it stands ("raise $ticket").
  for (const p of parts) if (typeof p === 'string' && /\$[A-Za-z]/.test(p)) throw new Error(`grammar: a variable outside braces in ${JSON.stringify(src)}`);
  return { parts, plural };
}

/** Split on top-level `|` (not inside nested braces). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const AGREE = { be: ['is', 'are'], has: ['has', 'have'], was: ['was', 'were'], s: ['s', ''] } as const;

export class Grammar {
  private readonly rules: Map<string, Alt[]>;

  constructor(rules: Readonly<Record<string, readonly string[]>> | Map<string, Alt[]>) {
    this.rules = rules instanceof Map ? rules : new Map(Object.entries(rules).map(([k, v]) => [k, v.map(parse)]));
  }

  /** Merge rule sets: later alternatives are added to earlier ones of the same name. */
  static merge(...sets: ReadonlyArray<Readonly<Record<string, readonly string[]>>>): Grammar {
    const m = new Map<string, Alt[]>();
    for (const s of sets) for (const [k, v] of Object.entries(s)) m.set(k, [...(m.get(k) ?? []), ...v.map(parse)]);
    return new Grammar(m);
  }

  /**
   * The deployment's dialect: each rule of 5 or more alternatives keeps a seeded share of them
   * (at least 4), so frequent phrasings of one deployment are rare in another.
   */
  dialect(key: string, share = 0.45): Grammar {
    const m = new Map<string, Alt[]>();
    for (const [name, alts] of this.rules) {
      const r = stream('dialect', key, name);
      m.set(name, subset(alts, r, share, 5, 4).map((a) => trimInline(a, r, share)));
    }
    return new Grammar(m);
  }

  has(rule: string): boolean {
    return this.rules.has(rule);
  }

  /** Expand a rule with the given variables. */
  expand(rule: string, rng: Rng, vars: Vars): string {
    const st = { plural: false };
    return this.rule(rule, rng, vars, st, 0);
  }

  private rule(name: string, rng: Rng, vars: Vars, st: { plural: boolean }, depth: number): string {
    const alts = this.rules.get(name);
    if (!alts) throw new Error(`grammar: no rule ${name}`);
    const a = alts[Math.floor(rng() * alts.length)]!;
    const out = this.alt(a, rng, vars, st, depth);
    // Noun rules (named n_...) set the number that later {be}/{has} agree with.
    // An alternative that only names another noun rule keeps that rule's number.
    if (name.charCodeAt(0) === 110 && name.charCodeAt(1) === 95 && !(a.parts.length === 1 && typeof a.parts[0] !== 'string' && 'rule' in a.parts[0]!)) st.plural = a.plural;
    return out;
  }

  private alt(a: Alt, rng: Rng, vars: Vars, st: { plural: boolean }, depth: number): string {
    if (depth > 12) throw new Error('grammar: too deep');
    let out = '';
    for (const p of a.parts) {
      if (typeof p === 'string') out += p;
      else if ('rule' in p) out += this.rule(p.rule, rng, vars, st, depth + 1);
      else if ('v' in p) {
        const v = vars[p.v];
        if (v === undefined) throw new Error(`grammar: no variable ${p.v}`);
        out += typeof v === 'string' ? v : typeof v === 'function' ? v() : v[Math.floor(rng() * v.length)]!;
      } else if ('inline' in p) out += this.alt(p.inline[Math.floor(rng() * p.inline.length)]!, rng, vars, st, depth + 1);
      else out += AGREE[p.agree][st.plural ? 1 : 0];
    }
    return out;
  }
}

/** A seeded subset of a list: lists of `from` or more keep `share` of it, at least `min`. */
function subset<T>(items: readonly T[], r: Rng, share: number, from: number, min: number): T[] {
  if (items.length < from) return items.slice();
  const keep = Math.max(min, Math.round(items.length * share));
  const pool = items.slice();
  const out: T[] = [];
  while (out.length < keep) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}

/** The same alternative with the dialect's share of each inline choice of 3 or more. */
function trimInline(a: Alt, r: Rng, share: number): Alt {
  if (!a.parts.some((p) => typeof p !== 'string' && 'inline' in p)) return a;
  return {
    plural: a.plural,
    parts: a.parts.map((p) => (typeof p !== 'string' && 'inline' in p ? { inline: subset(p.inline, r, share + 0.15, 3, 2).map((x) => trimInline(x, r, share)) } : p)),
  };
}

export function capitalise(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}
