// Script bodies that do what their names say (issue 13 item 3): backup-db dumps a database,
// check-disk checks disks, rotate-logs rotates logs. Hosts, projects and paths come from the
// organisation, so two deployments' scripts differ in what they name.
import { type Rng, between, pick } from '../rng/stream.js';
import { capitalise } from '../text/grammar.js';
import type { Writer } from '../text/writer.js';
import { hostFor } from '../world/organisation.js';

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.(sh|py)$/, '');
}

interface Facts {
  project: string;
  host: string;
  backupHost: string;
  dbHost: string;
  monHost: string;
  dir: string;
  keep: number;
  limit: number;
  user: string;
  db: string;
  /** A line about the script that is not its purpose (a ticket, who to ask), or ''. */
  note: string;
}

function facts(rng: Rng, w: Writer): Facts {
  const org = w.org;
  const project = pick(rng, org.projects).name;
  const host = pick(rng, org.hosts);
  const fq = (role: string) => hostFor(org, role)?.fqdn ?? host.fqdn;
  const note = rng() < 0.4 ? w.line('p_script_note', rng, w.vars(rng, '2000-01-01')) : '';
  return {
    project, host: host.fqdn, backupHost: fq('backup'), dbHost: fq('database'), monHost: fq('monitoring'),
    dir: pick(rng, [`/srv/${project}`, `/opt/${project}`, `/var/lib/${project}`, `/data/${project}`]),
    keep: between(rng, 3, 30), limit: between(rng, 75, 95), user: w.me.login, db: project.replace(/-/g, '_'), note,
  };
}

type Body = (f: Facts, rng: Rng) => string[];

const SH: Record<string, Body> = {
  'backup-db': (f, r) => [`DB=${f.db}`, `OUT=/var/backups/${pick(r, ['mysql', 'db', 'dumps'])}`, `KEEP=${f.keep}`, '', 'mkdir -p "$OUT"', 'stamp=$(date +%F)', `mysqldump --single-transaction -h ${f.dbHost} "$DB" | gzip > "$OUT/$DB-$stamp.sql.gz"`, 'find "$OUT" -name "$DB-*.sql.gz" -mtime +"$KEEP" -delete'],
  'rotate-logs': (f) => [`LOGDIR=${f.dir}/log`, `KEEP=${f.keep}`, '', 'for log in "$LOGDIR"/*.log; do', '  [ -s "$log" ] || continue', '  mv "$log" "$log.$(date +%F)"', '  gzip "$log.$(date +%F)"', 'done', 'find "$LOGDIR" -name "*.gz" -mtime +"$KEEP" -delete'],
  'check-disk': (f) => [`LIMIT=${f.limit}`, '', "df -P | awk 'NR>1 {gsub(\"%\",\"\",$5); print $5, $6}' | while read -r used mount; do", '  if [ "$used" -ge "$LIMIT" ]; then', '    echo "$(hostname): $mount at ${used}%"', '  fi', 'done'],
  'sync-reports': (f, r) => [`SRC=${f.dir}/reports`, `DEST=${pick(r, ['reports', 'backup', f.user])}@${f.backupHost}:/srv/reports/${f.project}`, '', 'rsync -az --delete "$SRC/" "$DEST/"', 'echo "reports synced: $?"'],
  deploy: (f, r) => [`APP=${f.project}`, `TARGET=${f.host}`, `REF=\${1:-${pick(r, ['main', 'master', 'release'])}}`, '', 'git -C "$HOME/$APP" fetch --quiet origin', 'git -C "$HOME/$APP" checkout --quiet "$REF"', `rsync -az --exclude .git "$HOME/$APP/" "deploy@$TARGET:${f.dir}/"`, 'ssh "deploy@$TARGET" "sudo systemctl restart $APP"'],
  'cleanup-tmp': (f) => [`AGE=${between2(f.keep)}`, '', `find /tmp ${f.dir}/tmp -xdev -type f -mtime +"$AGE" -print -delete 2>/dev/null | wc -l | xargs echo "removed files:"`],
  'health-check': (f, r) => [`URL=https://${f.host}/${pick(r, ['healthz', 'health', 'status', 'ping'])}`, '', 'code=$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 "$URL")', 'if [ "$code" != "200" ]; then', `  echo "${f.project} unhealthy: HTTP $code"`, '  exit 1', 'fi'],
  'export-users': (f) => [`OUT=$HOME/exports/users-$(date +%F).csv`, '', 'mkdir -p "$(dirname "$OUT")"', "getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 {print $1\",\"$5}' > \"$OUT\"", 'echo "wrote $(wc -l < "$OUT") users to $OUT"'],
  'renew-certs': (f) => [`DOMAINS="${f.host}"`, '', 'for d in $DOMAINS; do', '  certbot certonly --quiet --keep-until-expiring --webroot -w /var/www/html -d "$d"', 'done', 'systemctl reload nginx'],
  'restart-workers': (f, r) => [`UNIT=${f.project}-worker`, `COUNT=${between(r, 2, 6)}`, '', 'for i in $(seq 1 "$COUNT"); do', '  systemctl restart "$UNIT@$i"', '  sleep 2', 'done', 'systemctl --no-pager list-units "$UNIT@*"'],
  'fetch-metrics': (f) => [`PROM=http://${f.monHost}:9090`, `QUERY='up{job="${f.project}"}'`, '', 'curl -sG "$PROM/api/v1/query" --data-urlencode "query=$QUERY" | python3 -m json.tool'],
  'prune-images': (f) => [`KEEP_HOURS=${f.keep * 24}`, '', 'docker image prune --all --force --filter "until=${KEEP_HOURS}h"', 'docker builder prune --force --filter "until=${KEEP_HOURS}h"'],
  'archive-logs': (f) => [`SRC=${f.dir}/log`, `DEST=/mnt/archive/${f.project}`, '', 'mkdir -p "$DEST"', 'month=$(date +%Y-%m)', 'tar -czf "$DEST/logs-$month.tar.gz" -C "$SRC" .', 'echo "archived to $DEST/logs-$month.tar.gz"'],
};

function between2(keep: number): number {
  return Math.max(2, Math.min(14, keep));
}

const PY: Record<string, Body> = {
  'check-disk': (f) => ['import os', 'import shutil', '', `LIMIT = ${f.limit}`, '', '', 'def used_pct(mount):', '    u = shutil.disk_usage(mount)', '    return u.used * 100 // u.total', '', '', 'if __name__ == "__main__":', '    for mount in ("/", "/var"):', '        pct = used_pct(mount)', '        if pct >= LIMIT:', '            print(f"{os.uname().nodename}: {mount} at {pct}%")'],
  'export-users': () => ['import csv', 'import pwd', 'import sys', '', '', 'def main(out):', '    with open(out, "w", newline="") as fh:', '        w = csv.writer(fh)', '        for p in pwd.getpwall():', '            if 1000 <= p.pw_uid < 60000:', '                w.writerow([p.pw_name, p.pw_gecos])', '', '', 'if __name__ == "__main__":', '    main(sys.argv[1] if len(sys.argv) > 1 else "users.csv")'],
  'fetch-metrics': (f) => ['import json', 'import urllib.parse', 'import urllib.request', '', `PROM = "http://${f.monHost}:9090"`, '', '', 'def query(q):', '    url = PROM + "/api/v1/query?" + urllib.parse.urlencode({"query": q})', '    with urllib.request.urlopen(url, timeout=10) as r:', '        return json.load(r)["data"]["result"]', '', '', 'if __name__ == "__main__":', `    for row in query('up{job="${f.project}"}'):`, '        print(row["metric"].get("instance"), row["value"][1])'],
  'health-check': (f) => ['import sys', 'import urllib.request', '', `URL = "https://${f.host}/healthz"`, '', '', 'try:', '    with urllib.request.urlopen(URL, timeout=5) as r:', '        ok = r.status == 200', 'except OSError:', '    ok = False', `print("${f.project}", "ok" if ok else "down")`, 'sys.exit(0 if ok else 1)'],
  'sync-reports': (f) => ['import subprocess', '', `SRC = "${f.dir}/reports/"`, `DEST = "reports@${f.backupHost}:/srv/reports/${f.project}/"`, '', 'subprocess.run(["rsync", "-az", "--delete", SRC, DEST], check=True)', 'print("reports synced")'],
  'backup-db': (f, r) => [
    'import datetime', 'import gzip', 'import pathlib', 'import shutil', 'import subprocess', 'import time', '',
    `DB = "${f.db}"`, `OUT = pathlib.Path("/var/backups/${pick(r, ['mysql', 'db', 'dumps'])}")`, `KEEP_DAYS = ${f.keep}`, '', '',
    'def dump():', '    OUT.mkdir(parents=True, exist_ok=True)', '    target = OUT / f"{DB}-{datetime.date.today():%Y-%m-%d}.sql.gz"', '    with gzip.open(target, "wb") as fh:',
    `        proc = subprocess.Popen(["mysqldump", "--single-transaction", "-h", "${f.dbHost}", DB], stdout=subprocess.PIPE)`, '        shutil.copyfileobj(proc.stdout, fh)', '        if proc.wait() != 0:', '            raise SystemExit(f"mysqldump failed for {DB}")', '    return target', '', '',
    'def prune():', '    cutoff = time.time() - KEEP_DAYS * 86400', '    for old in OUT.glob(f"{DB}-*.sql.gz"):', '        if old.stat().st_mtime < cutoff:', '            old.unlink()', '', '',
    'if __name__ == "__main__":', '    print(dump())', '    prune()',
  ],
  'rotate-logs': (f) => [
    'import datetime', 'import gzip', 'import pathlib', 'import shutil', 'import time', '', `LOGDIR = pathlib.Path("${f.dir}/log")`, `KEEP_DAYS = ${f.keep}`, '',
    'stamp = datetime.date.today().isoformat()', 'for log in LOGDIR.glob("*.log"):', '    if log.stat().st_size == 0:', '        continue', '    with log.open("rb") as src, gzip.open(f"{log}.{stamp}.gz", "wb") as dst:', '        shutil.copyfileobj(src, dst)', '    log.write_bytes(b"")',
    'cutoff = time.time() - KEEP_DAYS * 86400', 'for old in LOGDIR.glob("*.gz"):', '    if old.stat().st_mtime < cutoff:', '        old.unlink()',
  ],
  deploy: (f, r) => [
    'import subprocess', 'import sys', 'from pathlib import Path', '', `APP = "${f.project}"`, `TARGET = "deploy@${f.host}"`, 'SRC = Path.home() / APP', '', '',
    'def run(*cmd):', '    print("+", " ".join(cmd))', '    subprocess.run(cmd, check=True)', '', '',
    'if __name__ == "__main__":', `    ref = sys.argv[1] if len(sys.argv) > 1 else "${pick(r, ['main', 'master', 'release'])}"`, '    run("git", "-C", str(SRC), "fetch", "--quiet", "origin")', '    run("git", "-C", str(SRC), "checkout", "--quiet", ref)',
    `    run("rsync", "-az", "--exclude", ".git", f"{SRC}/", f"{TARGET}:${f.dir}/")`, '    run("ssh", TARGET, f"sudo systemctl restart {APP}")',
  ],
  'cleanup-tmp': (f) => [
    'import os', 'import time', '', `AGE_DAYS = ${between2(f.keep)}`, `ROOTS = ["/tmp", "${f.dir}/tmp"]`, '', 'cutoff = time.time() - AGE_DAYS * 86400', 'removed = 0', 'for root in ROOTS:', '    for dirpath, _dirs, files in os.walk(root):', '        for name in files:',
    '            path = os.path.join(dirpath, name)', '            try:', '                if os.lstat(path).st_mtime < cutoff:', '                    os.unlink(path)', '                    removed += 1', '            except OSError:', '                pass', 'print("removed files:", removed)',
  ],
  'renew-certs': (f) => [
    'import subprocess', '', `DOMAINS = ["${f.host}"]`, '', 'for domain in DOMAINS:', '    subprocess.run(["certbot", "certonly", "--quiet", "--keep-until-expiring", "--webroot", "-w", "/var/www/html", "-d", domain], check=True)', 'subprocess.run(["systemctl", "reload", "nginx"], check=True)',
  ],
  'restart-workers': (f, r) => [
    'import subprocess', 'import time', '', `UNIT = "${f.project}-worker"`, `COUNT = ${between(r, 2, 6)}`, '', 'for i in range(1, COUNT + 1):', '    subprocess.run(["systemctl", "restart", f"{UNIT}@{i}"], check=True)', '    time.sleep(2)', 'subprocess.run(["systemctl", "--no-pager", "list-units", f"{UNIT}@*"])',
  ],
  'prune-images': (f) => [
    'import subprocess', '', `KEEP_HOURS = ${f.keep * 24}`, '', 'for what in (["image", "prune", "--all"], ["builder", "prune"]):', '    subprocess.run(["docker", *what, "--force", "--filter", f"until={KEEP_HOURS}h"], check=True)',
  ],
  'archive-logs': (f) => [
    'import datetime', 'import pathlib', 'import tarfile', '', `SRC = pathlib.Path("${f.dir}/log")`, `DEST = pathlib.Path("/mnt/archive/${f.project}")`, '', 'DEST.mkdir(parents=True, exist_ok=True)', 'target = DEST / f"logs-{datetime.date.today():%Y-%m}.tar.gz"',
    'with tarfile.open(target, "w:gz") as tar:', '    tar.add(SRC, arcname=".")', 'print("archived to", target)',
  ],
};

const short = (fqdn: string): string => fqdn.split('.')[0]!;

// What the script is for, as its author would put it in the first comment.
const PURPOSE: Record<string, (f: Facts) => string[]> = {
  'backup-db': (f) => [`nightly dump of ${f.db}`, `dump ${f.db} and keep ${f.keep} days`, 'database backup'],
  'rotate-logs': (f) => [`rotate the ${f.project} logs`, "compress yesterday's logs"],
  'check-disk': (f) => [`warn when a disk passes ${f.limit}%`, 'disk space check'],
  'sync-reports': (f) => [`copy the ${f.project} reports to ${short(f.backupHost)}`, 'push reports to the backup box'],
  deploy: (f) => [`deploy ${f.project} to ${short(f.host)}`, 'usage: deploy [ref]'],
  'cleanup-tmp': (f) => ['clean old files out of tmp', `delete temp files older than ${between2(f.keep)} days`],
  'health-check': (f) => [`${f.project} health probe`, 'exit 1 when the health endpoint is not 200'],
  'export-users': () => ['list human accounts as CSV', 'users export for the access review'],
  'renew-certs': (f) => ['renew the certificates (certbot)', `certs for ${short(f.host)}`],
  'restart-workers': (f) => [`restart the ${f.project} workers one by one`, 'rolling restart of the workers'],
  'fetch-metrics': (f) => [`ask Prometheus which ${f.project} targets are up`, 'quick up/down from Prometheus'],
  'prune-images': (f) => ['free disk: prune old docker images', `drop images older than ${f.keep} days`],
  'archive-logs': (f) => ['monthly log archive', `tar up the ${f.project} logs for the month`],
};

/** The opening comment lines (without their comment marks): purpose, note, or nothing. */
function header(name: string, f: Facts, rng: Rng): string[] {
  const purposes = (PURPOSE[name] ?? PURPOSE['check-disk']!)(f);
  const style = rng();
  const purpose = pick(rng, purposes);
  const label = name.replace(/-/g, ' ');
  // "name: purpose" unless that would stutter ("deploy: deploy ...") or stack colons.
  const labelled = purpose.includes(':') || purpose.startsWith(label.split(' ')[0]!) ? purpose : `${label}: ${purpose}`;
  const lines = style < 0.5 ? [purpose] : style < 0.75 ? [labelled] : [];
  if (f.note !== '') lines.push(f.note);
  return lines;
}

export function scriptFor(path: string, rng: Rng, w: Writer): string {
  const name = basename(path);
  const f = facts(rng, w);
  if (path.endsWith('.py')) {
    const body = (PY[name] ?? PY['check-disk']!)(f, rng);
    const doc = header(name, f, rng);
    const top = doc.length === 0 ? [] : doc.length === 1 ? [`"""${capitalise(doc[0]!)}."""`] : [`"""${capitalise(doc[0]!)}.`, '', `${capitalise(doc[1]!)}.`, '"""'];
    return ['#!/usr/bin/env python3', ...top, ...body].join('\n') + '\n';
  }
  const shell = pick(rng, ['#!/bin/bash', '#!/usr/bin/env bash', '#!/bin/sh']);
  const strict = shell === '#!/bin/sh' ? 'set -eu' : 'set -euo pipefail';
  const body = (SH[name] ?? SH['check-disk']!)(f, rng);
  return [shell, ...header(name, f, rng).map((l) => `# ${l}`), strict, '', ...body].join('\n') + '\n';
}

/** A comment or log line appended to a script by an edit. */
export function scriptEdit(path: string, rng: Rng, w: Writer, seen: Set<string>): string {
  for (let i = 0; i < 6; i++) {
    const c = `# ${pick(rng, ['TODO', 'FIXME', 'NOTE', 'later'])}: ${w.line('p_comment', rng, w.vars(rng, '2000-01-01'))}`;
    if (!seen.has(c)) return c;
  }
  return path.endsWith('.py') ? `# checked ${between(rng, 2, 9)} times` : `echo "${basename(path)} finished"`;
}
