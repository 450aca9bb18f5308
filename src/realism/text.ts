// Bodies of user files: notes, TODO lists, drafts and scripts. Template text written for this
// project; no em or en dashes, no calendar date that is not taken from the clock.
import { type Rng, between, chance, int, pick, sample } from '../rng/stream.js';
import { COLLEAGUES, DRAFT_PARAGRAPHS, DRAFT_SUBJECTS, OBSERVATIONS, PROJECTS, SERVICES, THINGS, TODO_ITEMS, TOPICS, VERBS, WHEN } from './words.js';

export interface UserBodyContext {
  rng: Rng;
  path: string;
  login: string;
  personaName: string;
  /** The persona's local date, YYYY-MM-DD. */
  date: string;
}

function firstName(name: string): string {
  const f = name.split(/\s+/)[0] ?? name;
  return f.length > 0 ? f[0]!.toUpperCase() + f.slice(1) : 'me';
}

function capitalise(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const STATES = ['is fine now', 'needs another look', 'can wait', 'is on their list', 'was never finished'];
const ASIDES = ['remember', 'note to self', 'idea'];

export function noteLine(rng: Rng): string {
  const when = pick(rng, WHEN);
  // int(rng, n) is the index pick() would draw: a switch instead of an array of closures.
  switch (int(rng, 4)) {
    case 0: return `${pick(rng, VERBS)} ${pick(rng, THINGS)}${when ? ' ' + when : ''}`;
    case 1: return pick(rng, OBSERVATIONS);
    case 2: return `${pick(rng, COLLEAGUES)} says ${pick(rng, THINGS)} ${pick(rng, STATES)}`;
    default: return `${pick(rng, ASIDES)}: ${pick(rng, VERBS)} ${pick(rng, THINGS)}`;
  }
}

export function noteBody(c: UserBodyContext): string {
  const { rng } = c;
  const topic = pick(rng, TOPICS);
  const lines: string[] = [];
  if (c.path.endsWith('.md')) lines.push(`# ${capitalise(topic)}`, '');
  else lines.push(`${topic} (${c.date})`, '');
  const n = between(rng, 3, 9);
  for (let i = 0; i < n; i++) lines.push(`- ${noteLine(rng)}`);
  if (chance(rng, 0.4)) lines.push('', `${capitalise(noteLine(rng))}.`);
  return lines.join('\n') + '\n';
}

export function todoItem(rng: Rng): string {
  switch (int(rng, 3)) {
    case 0: return pick(rng, TODO_ITEMS);
    case 1: return `${pick(rng, VERBS)} ${pick(rng, THINGS)}`;
    default: return `${pick(rng, TODO_ITEMS)} (${pick(rng, COLLEAGUES)})`;
  }
}

export function todoBody(c: UserBodyContext): string {
  const { rng } = c;
  const lines: string[] = [pick(rng, ['# TODO', '# todo', `# ${capitalise(pick(rng, PROJECTS))} tasks`, 'TODO']), ''];
  const n = between(rng, 4, 10);
  for (let i = 0; i < n; i++) lines.push(`- [${rng() < 0.33 ? 'x' : ' '}] ${todoItem(rng)}`);
  return lines.join('\n') + '\n';
}

export function draftParagraph(rng: Rng): string {
  return sample(rng, DRAFT_PARAGRAPHS, between(rng, 1, 3)).join(' ');
}

export function draftBody(c: UserBodyContext): string {
  const { rng } = c;
  const to = pick(rng, COLLEAGUES);
  // The subject matches the file name when the name came from a subject.
  const named = DRAFT_SUBJECTS.find((s) => c.path.includes(s.replace(/ /g, '-')));
  const lines = [`Subject: ${capitalise(named ?? pick(rng, DRAFT_SUBJECTS))}`, `To: ${to.toLowerCase()}@${pick(rng, ['office', 'corp', 'team'])}.lan`, '', `${pick(rng, ['Hi', 'Hello', 'Hey'])} ${to},`, ''];
  // Sentences drawn without repeats across the whole draft, grouped into paragraphs.
  const sentences = sample(rng, DRAFT_PARAGRAPHS, between(rng, 2, 6));
  while (sentences.length > 0) lines.push(sentences.splice(0, between(rng, 1, 3)).join(' '), '');
  lines.push(pick(rng, ['Thanks,', 'Cheers,', 'Best,', 'Regards,']), firstName(c.personaName));
  return lines.join('\n') + '\n';
}

export function scriptBody(c: UserBodyContext): string {
  return c.path.endsWith('.py') ? pythonScript(c.rng) : shellScript(c.rng);
}

function shellScript(rng: Rng): string {
  const svc = pick(rng, SERVICES);
  const dir = pick(rng, ['/srv/backup', '/var/backups/app', '/data/exports', '/opt/reports']);
  const keep = between(rng, 3, 30);
  const body = pick(rng, [
    () => [`BACKUP_DIR=${dir}`, `KEEP_DAYS=${keep}`, '', 'mkdir -p "$BACKUP_DIR"', 'stamp=$(date +%F)', `tar -czf "$BACKUP_DIR/${svc}-$stamp.tar.gz" /etc/${svc} 2>/dev/null || echo "nothing to archive for ${svc}"`, 'find "$BACKUP_DIR" -name "*.tar.gz" -mtime +"$KEEP_DAYS" -delete'],
    () => [`LIMIT=${between(rng, 75, 95)}`, '', "df -P | awk 'NR>1 {gsub(\"%\",\"\",$5); print $5, $6}' | while read -r used mount; do", '  if [ "$used" -ge "$LIMIT" ]; then', '    echo "$(hostname): $mount is at ${used}%"', '  fi', 'done'],
    () => [`SERVICE=${svc}`, '', 'if ! systemctl is-active --quiet "$SERVICE"; then', '  echo "restarting $SERVICE"', '  systemctl restart "$SERVICE"', 'fi', 'systemctl --no-pager status "$SERVICE" | head -n 5'],
    () => [`SRC=${dir}`, `DEST=backup@${pick(rng, ['nas01', 'store-02', 'vault'])}.lan:/volume1/${pick(rng, PROJECTS)}`, '', 'rsync -az --delete "$SRC/" "$DEST/"', 'echo "sync finished with status $?"'],
  ])();
  const shell = pick(rng, ['#!/bin/bash', '#!/usr/bin/env bash', '#!/bin/sh']);
  const strict = shell === '#!/bin/sh' ? 'set -eu' : 'set -euo pipefail';
  return [shell, `# ${capitalise(pick(rng, VERBS))} ${pick(rng, THINGS)}`, strict, '', ...body].join('\n') + '\n';
}

function pythonScript(rng: Rng): string {
  const body = pick(rng, [
    () => ['import json', 'import sys', '', '', 'def main(path):', '    with open(path) as fh:', '        rows = json.load(fh)', `    total = sum(r.get("${pick(rng, ['bytes', 'count', 'amount'])}", 0) for r in rows)`, '    print(f"{len(rows)} rows, total {total}")', '', '', 'if __name__ == "__main__":', '    main(sys.argv[1])'],
    () => ['import os', 'import shutil', '', `LIMIT = ${between(rng, 70, 95)}`, '', '', 'def check(mount="/"):', '    usage = shutil.disk_usage(mount)', '    pct = usage.used * 100 // usage.total', '    return pct', '', '', 'if __name__ == "__main__":', '    pct = check()', '    if pct >= LIMIT:', '        print(f"{os.uname().nodename}: disk at {pct}%")'],
    () => ['import csv', 'import sys', 'from collections import Counter', '', '', 'def summarise(path):', '    seen = Counter()', '    with open(path, newline="") as fh:', '        for row in csv.DictReader(fh):', `            seen[row.get("${pick(rng, ['team', 'owner', 'status'])}", "unknown")] += 1`, '    for key, n in seen.most_common():', '        print(f"{key:20} {n}")', '', '', 'if __name__ == "__main__":', '    summarise(sys.argv[1])'],
  ])();
  return ['#!/usr/bin/env python3', `"""${capitalise(pick(rng, VERBS))} ${pick(rng, THINGS)}."""`, ...body].join('\n') + '\n';
}
