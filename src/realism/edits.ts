// Edit mutators (SPEC 4.4, issue 13 item 3). A TODO edit ticks an open box, adds an item, or
// both, never drops a line and keeps the trailing newline; the ticked item is handed back so
// the author's later notes can say it is done. Notes and scripts grow at the end; a draft's
// new paragraph goes before its sign-off. No edit adds a line the file already has.
import type { UserClass } from '../inputs/types.js';
import { type Rng, pick } from '../rng/stream.js';
import type { Writer } from '../text/writer.js';
import { draftParagraph, freshLine, noteLine, sentenceKeys, signoffIndex, todoItem, type UserBodyContext } from './text.js';
import { scriptEdit } from './scripts.js';

function linesOf(body: string): Set<string> {
  return new Set(body.split('\n'));
}

/** What to add after `body` so that `addition` starts on a line of its own. */
function onNewLine(body: string, addition: string): string {
  return body.length === 0 || body.endsWith('\n') ? addition : '\n' + addition;
}

export interface TodoEdit {
  body: string;
  /** The item text of the box that was ticked, if one was. */
  ticked: string | null;
}

export function editTodo(rng: Rng, body: string, w: Writer, date: string): TodoEdit {
  const trailing = body.endsWith('\n');
  const lines = (trailing ? body.slice(0, -1) : body).split('\n');
  const open: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*- \[ \] /.test(l)) open.push(i);
  });
  const r = rng();
  const flip = open.length > 0 && r < 0.7;
  const add = !flip || r < 0.3;
  let ticked: string | null = null;
  if (flip) {
    const i = pick(rng, open);
    ticked = lines[i]!.replace(/^\s*- \[ \] /, '').replace(/ \([^)]*\)$/, '').replace(/, see .*$/, '').replace(/ due .*$/, '');
    lines[i] = lines[i]!.replace('- [ ] ', '- [x] ');
  }
  if (add) {
    const seen = new Set(lines.map((l) => l.replace(/^\s*- \[[ x]\] /, '')));
    const item = todoItem(w, rng, date, seen);
    if (item !== null) lines.push(`- [ ] ${item}`);
  }
  return { body: lines.join('\n') + (trailing ? '\n' : ''), ticked };
}

/** The new body of a note, draft or script after an edit. */
export function editText(cls: Exclude<UserClass, 'todo'>, c: UserBodyContext, body: string): string {
  const { rng, writer: w } = c;
  const seen = linesOf(body);
  if (cls === 'note') {
    let l = noteLine(c, seen);
    for (let k = 2; l === null; k++) if (!seen.has(`${w.style.bullet} update ${k}`)) l = `${w.style.bullet} update ${k}`;
    return body + onNewLine(body, `${l}\n`);
  }
  if (cls === 'draft') {
    const vars = w.vars(rng, c.date);
    // What the draft already says: a new paragraph neither opens a sentence the way one there does
    // nor says the same thing again (sentenceKeys).
    for (const o of sentenceKeys(body)) seen.add(o);
    let p = draftParagraph(w, rng, vars, seen) ?? freshLine(w, 'd_ps', rng, vars, seen);
    // Something new always goes in: an edit that changes nothing is not an edit.
    for (let k = 2; p === null; k++) if (!seen.has(`Update ${k}: ${vars.date}.`)) p = `Update ${k}: ${vars.date}.`;
    const trailing = body.endsWith('\n');
    const lines = (trailing ? body.slice(0, -1) : body).split('\n');
    const at = signoffIndex(lines);
    if (at < 0) return body + onNewLine(body, `\n${p}\n`);
    // Before the sign-off, separated by a blank line from the paragraph above.
    lines.splice(at, 0, p, '');
    return lines.join('\n') + (trailing ? '\n' : '');
  }
  return body + onNewLine(body, `${scriptEdit(c.path, rng, w, seen)}\n`);
}
