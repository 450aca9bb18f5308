// Bodies of user files: notes, TODO lists, drafts and scripts, from the grammar of src/text
// through the author's Writer (organisation, role, locale, habits). No line repeats within a
// file; dates inside a document never precede its own date; drafts go to someone else.
import { type Rng, between, chance, pick } from '../rng/stream.js';
import { capitalise } from '../text/grammar.js';
import { type Writer, isSignoff } from '../text/writer.js';
import { scriptFor } from './scripts.js';
import { DRAFT_SUBJECTS, DRAFT_SUBJECT_TOPIC, TOPICS as TOPIC_NAMES } from './words.js';

export interface UserBodyContext {
  rng: Rng;
  path: string;
  writer: Writer;
  /** The persona's local date, YYYY-MM-DD. */
  date: string;
  /** To-do items this persona ticked lately and has not yet written down as done (consumed). */
  done: string[];
}

/** Draw lines of a rule until one is new to the file (a few tries), or null. */
export function freshLine(w: Writer, rule: string, rng: Rng, vars: ReturnType<Writer['vars']>, seen: Set<string>, prefix = ''): string | null {
  for (let i = 0; i < 6; i++) {
    const l = prefix + w.line(rule, rng, vars);
    if (!seen.has(l)) {
      seen.add(l);
      return l;
    }
  }
  return null;
}

function topicOf(c: UserBodyContext): string {
  // A file named after a topic is about that topic.
  const named = TOPIC_NAMES.find((t) => c.path.includes(t.replace(/ /g, '-')));
  return named ?? c.writer.line('topic', c.rng, c.writer.vars(c.rng, c.date));
}

export function noteLine(c: UserBodyContext, seen: Set<string>, vars = c.writer.vars(c.rng, c.date)): string | null {
  const b = c.writer.style.bullet;
  if (c.done.length > 0 && chance(c.rng, 0.5)) {
    const item = c.done.shift()!;
    const l = `${b} ${c.writer.line('done', c.rng, { ...vars, item })}`;
    if (!seen.has(l)) {
      seen.add(l);
      return l;
    }
  }
  return freshLine(c.writer, 'obs', c.rng, vars, seen, `${b} `);
}

export function noteBody(c: UserBodyContext): string {
  const { rng, writer: w } = c;
  const topic = topicOf(c);
  const vars = w.vars(rng, c.date, { topic });
  const seen = new Set<string>();
  const head = capitalise(w.line('heading', rng, vars));
  const lines: string[] = c.path.endsWith('.md') ? [`# ${head}`, ''] : [head, ''];
  const n = between(rng, 3, 9);
  for (let i = 0; i < n; i++) {
    const l = noteLine(c, seen, vars);
    if (l !== null) lines.push(l);
  }
  if (chance(rng, 0.4)) {
    const l = freshLine(w, 'idea', rng, vars, seen);
    if (l !== null) lines.push('', `${capitalise(l)}${/[.?!]$/.test(l) ? '' : '.'}`);
  }
  return lines.join('\n') + '\n';
}

export function todoItem(w: Writer, rng: Rng, date: string, seen: Set<string>): string | null {
  return freshLine(w, 'todo', rng, w.vars(rng, date), seen);
}

export function todoBody(c: UserBodyContext): string {
  const { rng, writer: w } = c;
  const vars = w.vars(rng, c.date);
  const seen = new Set<string>();
  const lines: string[] = [w.line('todo_heading', rng, vars), ''];
  const n = between(rng, 4, 10);
  for (let i = 0; i < n; i++) {
    const item = freshLine(w, 'todo', rng, vars, seen);
    if (item !== null) lines.push(`- [${rng() < 0.33 ? 'x' : ' '}] ${item}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The keys under which a draft's `seen` set remembers its sentences (sentences of four words or
 * more, split after . ? or ! and at line breaks): how each opens (its first three words) and what
 * it is about (its second to fourth words, figures aside), so that neither "Can we do Friday? ...
 * Can we do Monday?" nor "The quote from Orvik was 173. Their quote from Orvik was 576." is
 * written in one message.
 */
export function sentenceKeys(text: string): string[] {
  const out: string[] = [];
  for (const x of text.split(/(?<=[.?!])\s+|\n+/)) {
    const words = x.toLowerCase().split(' ');
    if (words.length < 4) continue;
    out.push(`\u0000${words.slice(0, 3).join(' ')}`, `\u0001${words.slice(1, 4).join(' ').replace(/[0-9.,$\u00a3\u20ac\u20b9]+/g, '#')}`);
  }
  return out;
}

/** One paragraph of a draft: 1 to 3 sentences new to the file. */
export function draftParagraph(w: Writer, rng: Rng, vars: ReturnType<Writer['vars']>, seen: Set<string>): string | null {
  const out: string[] = [];
  const n = between(rng, 1, 3);
  for (let i = 0; i < n; i++) {
    // Nobody writes "Can we do Friday? ... Can we do Monday?" in one message: a sentence may
    // not open like an earlier one of the draft, nor say the same thing (sentenceKeys).
    for (let k = 0; k < 4; k++) {
      const s = freshLine(w, 'd_body', rng, vars, seen);
      if (s === null) break;
      const keys = sentenceKeys(s);
      if (keys.some((o) => seen.has(o))) continue;
      for (const o of keys) seen.add(o);
      out.push(capitalise(s));
      break;
    }
  }
  const p = out.join(' ');
  if (p === '' || seen.has(p)) return null;
  seen.add(p);
  return p;
}

export function draftBody(c: UserBodyContext): string {
  const { rng, writer: w } = c;
  // The subject is what the draft is about; the file name came from it when it names one.
  const named = DRAFT_SUBJECTS.find((s) => c.path.includes(s.replace(/ /g, '-')));
  const topic = named ?? topicOf(c);
  // The subject line is the topic; the sentences name what it is about ("Quick question about
  // the export", not about "quick question about the export").
  const vars = w.vars(rng, c.date, { topic: named !== undefined ? DRAFT_SUBJECT_TOPIC[named]! : topic });
  const to = w.recipient(rng);
  const seen = new Set<string>();
  const lines = [`Subject: ${capitalise(topic)}`, `To: ${to.email}`];
  if (chance(rng, 0.25)) {
    const cc = w.others.filter((o) => o.name !== to.name);
    if (cc.length > 0) lines.push(`Cc: ${pick(rng, cc).email}`);
  }
  lines.push('', `${w.style.greeting} ${to.first},`, '');
  // The opening names the topic; it must not say the subject line again ("Quick question about
  // the export" under that very subject).
  let open = '';
  for (let k = 0; k < 6; k++) {
    open = capitalise(w.line('d_open', rng, vars));
    if (!open.toLowerCase().includes(topic.toLowerCase())) break;
  }
  seen.add(open);
  for (const o of sentenceKeys(open)) seen.add(o);
  const first = draftParagraph(w, rng, vars, seen);
  lines.push(first ? `${open} ${first}` : open, '');
  const more = between(rng, 0, 2);
  for (let i = 0; i < more; i++) {
    const p = draftParagraph(w, rng, vars, seen);
    if (p) lines.push(p, '');
  }
  lines.push(...w.signature());
  return lines.join('\n') + '\n';
}

/** Index of the sign-off line of a draft (edits go before it), or -1. */
export function signoffIndex(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (isSignoff(lines[i]!)) return i;
  return -1;
}

export function scriptBody(c: UserBodyContext): string {
  return scriptFor(c.path, c.rng, c.writer);
}
