// A decky's crontabs: the only source of cron log lines. The pre-history plants /etc/crontab
// (the run-parts entries at minutes fixed per decky), one /etc/cron.d file per local job, and
// the script each job runs; cron then fires an entry exactly at its scheduled minutes. Every
// command is a planted script or a standard tool, and the cleanup job really deletes what it
// names (the machine turns its firings into delete events).
import { DUMP_DATABASES } from '../canary/mysql-dump.js';
import { type Rng, between, sample } from '../rng/stream.js';

export interface CronEntry {
  /** Where the entry is written. */
  file: string;
  minutes: readonly number[];
  hours: readonly number[];
  /** Day of month; null is `*`. */
  dom: number | null;
  /** Day of week, 0 = Sunday; null is `*`. */
  dow: number | null;
  user: string;
  /** The command exactly as cron logs it. */
  command: string;
  /** The local job this entry runs, if any. */
  job: Job | null;
}

export interface Job {
  name: string;
  /** The script the entry runs (planted by the pre-history). */
  script: string;
  /** Its own log, one line per run; null when it writes none. */
  log: string | null;
  /** The message a run writes to its log. */
  /**
   * What one run prints (the job's log line after its tag): `r` is the run's own stream, `steady`
   * the decky's for this job (what changes slowly, like how full the disk is).
   */
  /** What a run prints: from its own stream, the job's steady one, and what the machine knows then. */
  message: (r: Rng, steady: Rng, facts: JobFacts) => string;
  /** A cleanup: files of /tmp older than this many whole days are deleted at each run. */
  deletesTmpOlderThanDays?: number;
  /** A nightly database dump: what it dumps and where (see DumpJob). */
  dump?: DumpJob;
}

/**
 * The nightly database dump (`/etc/cron.d/mysql-backup`): each run writes one
 * `/var/backups/<db>-<YYYY-MM-DD>.sql` per database (UTC date of the run), then moves it to the
 * backup host; a dump whose copy failed stays in /var/backups, and nothing deletes it (the
 * script prunes nothing locally). So the only dumps an intruder finds there are such leftovers,
 * and a leftover's mtime is the end of the run that wrote it. The dump lure is one of them.
 */
export interface DumpJob {
  databases: readonly string[];
  dir: string;
  /** Where the run ships the dumps. */
  host: string;
}

export const DUMP_SCRIPT = '/usr/local/sbin/mysql-backup.sh';
export const DUMP_CRON_FILE = '/etc/cron.d/mysql-backup';
/** A dump run lasts this many seconds (inclusive bounds): the leftover's mtime is its end. */
export const DUMP_RUN_SECONDS: readonly [number, number] = [40, 400];

/** The path a dump run of `date` (YYYY-MM-DD, UTC) writes for `db`. */
export function dumpPath(job: DumpJob, db: string, date: string): string {
  return `${job.dir}/${db}-${date}.sql`;
}

function dumpScript(job: DumpJob, style: CommentStyle): string {
  return [
    '#!/bin/sh',
    ...style.dumpScript(job),
    'set -u',
    'umask 077',
    'day=$(date +%F)',
    `for db in ${job.databases.join(' ')}; do`,
    `  out=${job.dir}/$db-$day.sql`,
    '  mysqldump --single-transaction --quick "$db" > "$out" || continue',
    `  rsync -q --remove-source-files "$out" "backup@${job.host}:dumps/$(hostname -s)/" || echo "copy of $out failed, left in ${job.dir}" >&2`,
    'done',
    '',
  ].join('\n');
}

/**
 * How this machine's admin comments crontabs and scripts: a few words in one of several ways, or
 * none. No sentence of ours is the same on every machine (a grep for it would find them all).
 */
interface CommentStyle {
  crontab: string[];
  job(name: string, script: string): string[];
  sweep(days: number): string[];
  dump(host: string): string[];
  script(name: string, log: string): string[];
  busy: string[];
  dumpScript(job: DumpJob): string[];
}

function commentStyle(r: Rng): CommentStyle {
  const one = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const crontab = one([[], ['# m h dom mon dow user\tcommand'], ['# m h dom mon dow user  command'], ['# min hour dom mon dow user cmd']]);
  const job = one([(n: string, sc: string) => [`# ${n}: see ${sc}`], (n: string) => [`# ${n}`], (_n: string, sc: string) => [`# -> ${sc}`], () => [] as string[]]);
  const sweep = one([(d: number) => [`# /tmp: older than ${d}d`], () => ['# tmp cleanup'], () => ['# clean /tmp'], () => [] as string[]]);
  const dump = one([(h: string) => [`# db dumps -> ${h}`], (h: string) => [`# nightly mysqldump, shipped to ${h}`], () => ['# backups'], () => [] as string[]]);
  const script = one([(n: string, l: string) => [`# ${n}: cron job, appends to ${l}`], (n: string) => [`# called from /etc/cron.d/${n}`], (_n: string, l: string) => [`# log: ${l}`], () => [] as string[]]);
  const busy = one([['# busy box: keep this run apart too'], ['# load >= 2: keep a copy of the run'], [] as string[]]);
  const dumpScript = one([
    (j: DumpJob) => [`# dumps to ${j.dir}, then rsync to ${j.host}`, '# (a failed copy stays behind)'],
    (j: DumpJob) => [`# mysqldump -> ${j.dir} -> ${j.host}`],
    () => ['# nightly dumps'],
    () => [] as string[],
  ]);
  return { crontab, job, sweep, dump, script, busy, dumpScript };
}

export interface PlantedFile {
  path: string;
  body: string;
  mode: string;
}

export interface Crontab {
  entries: CronEntry[];
  /** Crontab files and job scripts, as the pre-history plants them. */
  files: PlantedFile[];
  /** Scripts the entries run (planted), and the standard tools they call. */
  commands: string[];
}

/** Standard tools a crontab may call without the pre-history planting them. */
export const STANDARD_TOOLS: readonly string[] = ['cd', 'run-parts', 'test', 'find', '/usr/sbin/anacron'];

/**
 * Whether a decky runs the nightly database dump: always with a `mysql` service, otherwise when
 * its own draw says so (a local database behind an application). `r` is the decky's dump stream.
 */
export function runsDump(services: readonly string[], r: Rng): boolean {
  const p = r();
  return services.includes('mysql') || p < 0.4;
}

// Each script prints exactly what its log shows: `work` makes the whole message.
/** What the machine knows when a job runs, for the jobs whose output reports it. */
export interface JobFacts {
  /** Packages `apt list --upgradable` shows (a kernel on the mirror, not yet installed). */
  upgradable: number;
}

const JOB_CATALOGUE: ReadonlyArray<{ name: string; every: 'hourly' | 'daily' | 'weekly'; message: (r: Rng, steady: Rng, facts: JobFacts) => string; work: string }> = [
  {
    name: 'report-disk',
    every: 'daily',
    // A container's / and /var are one file system: one figure, steady from day to day.
    message: (r, steady) => {
      const pct = between(steady, 18, 71) + between(r, 0, 2);
      return `/ ${pct}% used, /var ${pct}% used`;
    },
    work: `df -P / /var | awk 'NR == 2 { r = $5 } NR == 3 { v = $5 } END { printf "/ %s used, /var %s used", r, v }'`,
  },
  { name: 'queue-gc', every: 'hourly', message: (r) => `removed ${between(r, 0, 14)} stale entries`, work: `echo "removed $(find /var/spool/app/queue -type f -mmin +120 -print -delete 2>/dev/null | wc -l) stale entries"` },
  {
    name: 'apt-refresh',
    every: 'daily',
    // unattended-upgrades installs every morning what the mirror has: only a kernel published since waits.
    message: (_r, _steady, facts) => `package lists refreshed, ${facts.upgradable} upgradable`,
    work: `apt-get -qq update && echo "package lists refreshed, $(apt list --upgradable 2>/dev/null | tail -n +2 | wc -l) upgradable"`,
  },
  {
    name: 'ntp-check',
    every: 'weekly',
    // systemd-timesyncd's offset as `timedatectl timesync-status` prints it.
    message: (r) => `clock synchronized: yes, offset ${r() < 0.5 ? '+' : '-'}${between(r, 0, 4)}.${String(between(r, 0, 999)).padStart(3, '0')}ms`,
    work: `timedatectl timesync-status | awk '/Offset:/ { o = $2 } END { printf "clock synchronized: %s, offset %s", o == "" ? "no" : "yes", o }'`,
  },
];

const TMP_SWEEP_DAYS = 3;

/** How many whole days a job's dated reports are kept (its script's `find -mtime +N -delete`). */
export const REPORT_KEEP_DAYS = 14;

function scriptBody(name: string, work: string, log: string, style: CommentStyle): string {
  const dir = log.slice(0, log.lastIndexOf('/'));
  return [
    '#!/bin/sh',
    ...style.script(name, log),
    'set -u',
    'started=$(date -u +%F-%H%M)',
    `stamp() { date '+%b %e %H:%M:%S'; }`,
    `out=$(${work})`,
    `line="$(stamp) $(hostname -s) ${name}: $out"`,
    `printf '%s\\n' "$line" >> ${log}`,
    // The dated reports a run leaves (Machine.datedReport): a run on a busy machine is kept on its
    // own too, under the minute it started; nothing left on the machine tells what its load was.
    ...style.busy,
    'if [ "$(cut -d. -f1 /proc/loadavg)" -ge 2 ]; then',
    `\tprintf '%s\\n' "$line" > "${dir}/${name}-$started.log"`,
    'fi',
    `find ${dir} -name '${name}-*.log' -mtime +${REPORT_KEEP_DAYS} -delete`,
    '',
  ].join('\n');
}

// Hours every `step` from midnight as a crontab writes them (a star, or a star-slash step), else the list.
function hoursField(v: readonly number[]): string {
  const step = v.length > 1 ? v[1]! - v[0]! : 0;
  const every = step > 0 && v[0] === 0 && v.length === Math.ceil(24 / step) && v.every((h, k) => h === k * step);
  return every ? (step === 1 ? '*' : `*/${step}`) : v.join(',');
}

function line(e: CronEntry): string {
  const f = (v: readonly number[] | number | null): string => (v === null ? '*' : typeof v === 'number' ? String(v) : v.length === 0 ? '*' : v.join(','));
  return `${f(e.minutes)} ${e.hours.length > 0 ? hoursField(e.hours) : '*'}\t${f(e.dom)} * ${f(e.dow)}\t${e.user}\t${e.command}`;
}

/**
 * The crontabs of one decky (draws from its own crontab stream only; the dump job, when the decky
 * runs one, from its own stream `dump`, shipping to `host`).
 */
export function plantCrontab(r: Rng, dump: { r: Rng; host: string } | null = null, styleRng?: Rng): Crontab {
  // Comments come from a stream of their own (the schedule's draws stay where they were).
  const style = commentStyle(styleRng ?? r);
  // Debian's packaged /etc/crontab runs the run-parts directories at 17 past every hour and at
  // 06:25, 06:47 on Sundays (day 7) and 06:52 on the 1st, on every machine that kept it.
  between(r, 1, 59); // (two draws that once moved those minutes; kept so later draws stay put)
  between(r, 2, 58);
  const main: CronEntry[] = [
    { file: '/etc/crontab', minutes: [17], hours: [], dom: null, dow: null, user: 'root', command: 'cd / && run-parts --report /etc/cron.hourly', job: null },
    { file: '/etc/crontab', minutes: [25], hours: [6], dom: null, dow: null, user: 'root', command: 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }', job: null },
    { file: '/etc/crontab', minutes: [47], hours: [6], dom: null, dow: 7, user: 'root', command: 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }', job: null },
    { file: '/etc/crontab', minutes: [52], hours: [6], dom: 1, dow: null, user: 'root', command: 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }', job: null },
  ];
  const crontab = [
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin',
    '',
    ...style.crontab,
    ...main.map(line),
    '',
  ].join('\n');
  const files: PlantedFile[] = [{ path: '/etc/crontab', body: crontab, mode: '0644' }];
  const entries = [...main];
  const commands: string[] = [];
  // The frequent job (every few hours) is on every decky; the others are a seeded choice.
  const frequent = JOB_CATALOGUE.filter((j) => j.every === 'hourly');
  const others = JOB_CATALOGUE.filter((j) => j.every !== 'hourly');
  for (const j of [...frequent, ...sample(r, others, between(r, 1, others.length))]) {
    const script = `/usr/local/sbin/${j.name}.sh`;
    const log = `/var/log/cron-jobs/${j.name}.log`;
    const minute = between(r, 0, 59);
    // "Hourly" local jobs run every few hours: the run-parts entry is the only one every hour.
    const step = between(r, 1, 3);
    const hours = j.every === 'hourly' ? Array.from({ length: Math.ceil(24 / step) }, (_, k) => k * step).filter((h) => h < 24) : [between(r, 0, 5)];
    const e: CronEntry = { file: `/etc/cron.d/${j.name}`, minutes: [minute], hours, dom: null, dow: j.every === 'weekly' ? between(r, 0, 6) : null, user: 'root', command: script, job: { name: j.name, script, log, message: j.message } };
    entries.push(e);
    files.push({ path: e.file, body: [...style.job(j.name, script), line(e), ''].join('\n'), mode: '0644' });
    files.push({ path: script, body: scriptBody(j.name, j.work, log, style), mode: '0755' });
    commands.push(script);
  }
  const sweep: CronEntry = {
    file: '/etc/cron.d/tmp-sweep',
    minutes: [between(r, 0, 59)],
    hours: [between(r, 3, 5)],
    dom: null,
    dow: null,
    user: 'root',
    command: `find /tmp -xdev -type f -mtime +${TMP_SWEEP_DAYS} -delete`,
    job: { name: 'tmp-sweep', script: 'find', log: null, message: () => '', deletesTmpOlderThanDays: TMP_SWEEP_DAYS },
  };
  entries.push(sweep);
  files.push({ path: sweep.file, body: [...style.sweep(TMP_SWEEP_DAYS), line(sweep), ''].join('\n'), mode: '0644' });
  if (dump !== null) {
    const d = dump.r;
    const job: DumpJob = { databases: sample(d, DUMP_DATABASES, between(d, 1, 2)), dir: '/var/backups', host: dump.host };
    // A fixed minute between 01:00 and 04:59 UTC.
    const at = between(d, 60, 299);
    const e: CronEntry = { file: DUMP_CRON_FILE, minutes: [at % 60], hours: [Math.floor(at / 60)], dom: null, dow: null, user: 'root', command: DUMP_SCRIPT, job: { name: 'mysql-backup', script: DUMP_SCRIPT, log: null, message: () => '', dump: job } };
    entries.push(e);
    files.push({ path: e.file, body: [...style.dump(job.host), line(e), ''].join('\n'), mode: '0644' });
    files.push({ path: DUMP_SCRIPT, body: dumpScript(job, style), mode: '0755' });
    commands.push(DUMP_SCRIPT);
  }
  return { entries, files, commands: [...commands, ...STANDARD_TOOLS] };
}

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Whether the entry fires at the minute starting at m (UTC ms, a whole minute). */
export function firesAt(e: CronEntry, m: number): boolean {
  const d = new Date(m);
  if (!e.minutes.includes(d.getUTCMinutes())) return false;
  if (e.hours.length > 0 && !e.hours.includes(d.getUTCHours())) return false;
  if (e.dom !== null && d.getUTCDate() !== e.dom) return false;
  if (e.dow !== null && d.getUTCDay() !== e.dow % 7) return false;
  return true;
}

const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The first minute strictly after `after` at which the entry fires (UTC; deckies keep UTC). */
export function nextFire(e: CronEntry, after: number): number {
  const hours = e.hours.length > 0 ? e.hours : ALL_HOURS; // both lists ascend (plantCrontab)
  const minutes = e.minutes;
  // Day by day (a monthly entry needs a month at most), then the first hour and minute past `after`.
  for (let day = Math.floor(after / DAY_MS), guard = 0; guard < 400; day++, guard++) {
    const d = new Date(day * DAY_MS);
    if (e.dom !== null && d.getUTCDate() !== e.dom) continue;
    if (e.dow !== null && d.getUTCDay() !== e.dow % 7) continue;
    const base = day * DAY_MS;
    if (base + DAY_MS <= after) continue;
    for (const h of hours) {
      if (base + (h + 1) * HOUR_MS <= after) continue;
      for (const m of minutes) {
        const at = base + h * HOUR_MS + m * MIN_MS;
        if (at > after) return at;
      }
    }
  }
  return Infinity;
}
