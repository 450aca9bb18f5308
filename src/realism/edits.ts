// Edit mutators (SPEC 4.4). Notes, drafts and scripts only grow at the end (the old body is a
// prefix of the new one); a TODO edit flips an open box, appends an item, or both, never drops a
// line and keeps the trailing newline exactly as it was.
import type { UserClass } from '../inputs/types.js';
import { type Rng, pick } from '../rng/stream.js';
import { draftParagraph, noteLine, todoItem } from './text.js';
import { THINGS, VERBS } from './words.js';

/** What to add after `body` so that `addition` starts on a line of its own. */
function onNewLine(body: string, addition: string): string {
  return body.length === 0 || body.endsWith('\n') ? addition : '\n' + addition;
}

export function editTodo(rng: Rng, body: string): string {
  const trailing = body.endsWith('\n');
  const lines = (trailing ? body.slice(0, -1) : body).split('\n');
  const open: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*- \[ \] /.test(l)) open.push(i);
  });
  const r = rng();
  const flip = open.length > 0 && r < 0.7;
  const add = !flip || r < 0.3;
  if (flip) {
    const i = pick(rng, open);
    lines[i] = lines[i]!.replace('- [ ] ', '- [x] ');
  }
  if (add) lines.push(`- [ ] ${todoItem(rng)}`);
  return lines.join('\n') + (trailing ? '\n' : '');
}

/** The text an edit appends to a note, draft or script (the new body is `body` + this). */
export function editAppend(cls: Exclude<UserClass, 'todo'>, rng: Rng, body: string, path: string): string {
  if (cls === 'note') {
    return onNewLine(body, rng() < 0.8 ? `- ${noteLine(rng)}\n` : `\n${noteLine(rng)}.\n`);
  }
  if (cls === 'draft') {
    return onNewLine(body, rng() < 0.6 ? `\n${draftParagraph(rng)}\n` : `\nP.S. ${draftParagraph(rng)}\n`);
  }
  const comment = `# ${pick(rng, ['TODO', 'FIXME', 'NOTE', 'later'])}: ${pick(rng, VERBS)} ${pick(rng, THINGS)}`;
  const line = path.endsWith('.py') ? comment : pick(rng, [comment, `echo "$(date -u +%FT%TZ) ${pick(rng, ['done', 'finished', 'ok'])}"`]);
  return onNewLine(body, `${line}\n`);
}
