// The mysql_dump lure restored into a real database server, as an intruder who finds it would:
// Debian's MariaDB, the dump unchanged except that the session SQL mode is made strict (so a bad
// date, a truncated value, a wrong column count or a duplicate key fails the load). The server
// runs in its own network namespace whose resolv.conf names 127.0.0.1, where the listener serves
// the lures' zone: the replication trap's I/O thread looks the hidden host up, and the listener
// must receive that lookup and attribute it. Nothing leaves loopback.
// A missing server (or no namespaces) skips with a notice on a developer machine; with CI=true it fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markSkipped } from './helpers/skip.js';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelineEvent } from '../src/timeline/types.js';
import { build, generateBytes } from './canary-fixtures.js';
import { BIN, cli } from './helpers/cli.js';

const SEEDS = 24;
const CI = process.env.CI === 'true';
const SERVER = '/usr/sbin/mariadbd';
const INSTALL = '/usr/bin/mariadb-install-db';
const CLIENT = '/usr/bin/mariadb';
const ZONE = 'db-lures.test';

const dir = mkdtempSync(join(tmpdir(), 'lure-sql-'));
const socket = join(dir, 'sock');
let server: ResultPromise | null = null;
let planted: TimelineEvent[] = [];

async function available(): Promise<boolean> {
  const missing = [SERVER, INSTALL, CLIENT, '/usr/bin/unshare', '/usr/sbin/ip'].filter((p) => !existsSync(p));
  const ns = missing.length === 0 && (await execa('unshare', ['--net', '--mount', '--fork', 'true'], { reject: false })).exitCode === 0;
  if (ns) return true;
  const why = missing.length > 0 ? `${missing.join(', ')} not found` : 'cannot create network namespaces (unshare --net needs root)';
  if (CI) assert.unreachable(`${why}: required when CI=true (Debian: mariadb-server-core, mariadb-client-core, util-linux, iproute2)`);
  markSkipped('canary-mysql', 'a real server restores every mysql_dump lure', why);
  return false;
}

async function start(): Promise<void> {
  const data = join(dir, 'data');
  const init = await execa(INSTALL, ['--no-defaults', '--user=root', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { reject: false });
  assert.is(init.exitCode, 0, `mariadb-install-db: ${init.stderr}`);
  // Lures for the listener: a plan of dumps whose DNS zone it serves.
  const cfg = join(dir, 'config.json');
  writeFileSync(cfg, JSON.stringify({ canaryProbability: 0.8, canaryCapPerDecky: 12, weights: { canary: { canary_mysql_dump: 1 } }, canary: { dnsZone: ZONE } }));
  const tl = join(dir, 'timeline.ndjson');
  const p = await cli(['plan', '--seed', 'sql-dns', '--days', '14', '--config', cfg, '--format', 'ndjson', '--out', tl]);
  assert.is(p.exitCode, 0, p.stderr);
  planted = readFileSync(tl, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"id"'))
    .map((l) => JSON.parse(l) as TimelineEvent)
    .filter((e) => e.canary);
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  // A private network namespace (loopback only) and a resolv.conf naming the listener; the
  // listener starts first, then the server takes the shell's place. No TCP listener, no binlog.
  const script = [
    'set -e',
    'ip link set lo up',
    `mount --bind ${join(dir, 'resolv.conf')} /etc/resolv.conf`,
    `node ${BIN} listen --dns 127.0.0.1:53 --sinkhole 127.0.0.1 --timeline ${tl} --allow-test-callbacks > ${join(dir, 'triggers.ndjson')} 2> ${join(dir, 'listen.err')} &`,
    `echo $! > ${join(dir, 'listen.pid')}`,
    `exec ${SERVER} --no-defaults --user=root --datadir=${data} --socket=${socket} --skip-networking --skip-log-bin --pid-file=${join(dir, 'pid')} --log-error=${join(dir, 'error.log')} --innodb-buffer-pool-size=16M`,
  ].join('\n');
  server = execa('unshare', ['--net', '--mount', '--fork', 'bash', '-c', script], { reject: false });
  for (let i = 0; i < 300; i++) {
    const r = await execa(CLIENT, ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', 'SELECT 1'], { reject: false });
    const listening = existsSync(join(dir, 'listen.err')) && readFileSync(join(dir, 'listen.err'), 'utf8').includes('listening');
    if (r.exitCode === 0 && listening) return;
    if (server.exitCode !== null && server.exitCode !== undefined) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
  assert.unreachable(`mariadbd or the listener did not come up: ${log.slice(-2000)}`);
}

async function run(db: string | null, input: string): Promise<{ rows: string[][]; stderr: string }> {
  const args = ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', '--raw'];
  if (db !== null) args.push(db);
  const r = await execa(CLIENT, args, { input, reject: false });
  assert.is(r.exitCode, 0, `mariadb: ${r.stderr}`);
  return { rows: r.stdout === '' ? [] : String(r.stdout).split('\n').map((l) => l.split('\t')), stderr: String(r.stderr) };
}

async function sql(db: string | null, input: string): Promise<string[][]> {
  return (await run(db, input)).rows;
}

const TRAP = /\nSTOP SLAVE;\nSET @\w+ = FROM_BASE64\('[A-Za-z0-9+/=]+'\);\nSET @\w+ = CONCAT\('CHANGE MASTER TO MASTER_HOST=''', @\w+, [^\n]+\nPREPARE (\w+) FROM @\w+;\nEXECUTE \1;\nDEALLOCATE PREPARE \1;\nSTART SLAVE;\n/;

/** The dump in strict mode: only the session SQL_MODE line of mysqldump changes. */
function strict(dump: string): string {
  const mode = "SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;";
  assert.ok(dump.includes(mode), 'the session SQL_MODE line of mysqldump');
  assert.match(dump, TRAP);
  return dump.replace(mode, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO' */;");
}

/** The source host of the replica the restore configured (SHOW SLAVE STATUS: column 2). */
async function masterHost(): Promise<string> {
  const r = await sql(null, 'SHOW SLAVE STATUS;');
  return r[0]?.[1] ?? '';
}

/** Rows of each INSERT as the dump states them: AUTO_INCREMENT is one past the last id. */
function declared(dump: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of dump.matchAll(/\nCREATE TABLE `(\w+)` \([\s\S]*?\) ENGINE=InnoDB AUTO_INCREMENT=(\d+) /g)) out.set(m[1]!, Number(m[2]) - 1);
  return out;
}

// Columns that point at another table of the same dump: column -> table.
const REFERENCES: Record<string, string> = { customer_id: 'customers', invoice_id: 'invoices', author_id: 'users' };

test('a real server restores every mysql_dump lure, rows and keys intact, and the trap points the replica at the hidden host', async () => {
  if (!(await available())) return;
  await start();
  const databases = new Set<string>();
  let rows = 0;
  let references = 0;
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_mysql_dump', i);
    const dump = new TextDecoder().decode(generateBytes(b));
    const db = /Database: ([a-z]+)/.exec(dump)![1]!;
    databases.add(db);
    const name = `restore_${i}`;
    await sql(null, `CREATE DATABASE ${name};`);
    const out = await run(name, strict(dump));
    assert.not.ok(out.stderr.includes(b.ctx.callback), `seed ${i}: the host shows in the client's output`);
    assert.is(await masterHost(), b.ctx.callback, `seed ${i}: replica source`);
    const tables = declared(dump);
    assert.ok(tables.size >= 2, `seed ${i}: tables`);
    const present = (await sql(name, 'SHOW TABLES;')).map((r) => r[0]!);
    assert.equal(present.sort(), [...tables.keys()].sort(), `seed ${i}: tables restored`);
    for (const [table, n] of tables) {
      const [[count, min, max]] = (await sql(name, `SELECT COUNT(*), MIN(id), MAX(id) FROM \`${table}\`;`)) as [[string, string, string]];
      assert.equal([Number(count), Number(min), Number(max)], [n, 1, n], `seed ${i} ${db}.${table}: rows 1..${n}`);
      rows += n;
      // Every column that names another table of this dump points at a row that exists.
      const columns = (await sql(name, `SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='${name}' AND TABLE_NAME='${table}';`)).map((r) => r[0]!);
      for (const col of columns) {
        const target = REFERENCES[col];
        if (target === undefined || !tables.has(target)) continue;
        const [[dangling]] = (await sql(name, `SELECT COUNT(*) FROM \`${table}\` t LEFT JOIN \`${target}\` r ON r.id = t.\`${col}\` WHERE r.id IS NULL;`)) as [[string]];
        assert.is(Number(dangling), 0, `seed ${i} ${db}.${table}.${col}: ids without a row in ${target}`);
        references++;
      }
    }
    await sql(null, `DROP DATABASE ${name};`);
  }
  assert.ok(databases.size >= 5, `database kinds covered: ${[...databases].join(', ')}`);
  console.log(`  mariadb restored ${SEEDS} dumps (${[...databases].sort().join(', ')}): ${rows} rows, ${references} reference columns checked`);
});

test('importing a planted dump as it is makes the server look its hidden host up; the listener attributes the lookup', async () => {
  if (server === null) return;
  assert.ok(planted.length >= 2, `only ${planted.length} dumps planned`);
  for (const [k, ev] of planted.slice(0, 3).entries()) {
    const dump = Buffer.from(ev.content!.data, ev.content!.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    assert.not.ok(dump.includes(ev.canary!.callback), 'the host is only in base64');
    await sql(null, `CREATE DATABASE planted_${k};`);
    const out = await run(`planted_${k}`, dump);
    assert.is(out.stderr.trim(), '', 'a clean restore: nothing printed on stderr');
    let hit: { tokenId: string; decky: string; path: string; dns: { name: string } } | undefined;
    for (let i = 0; i < 150 && !hit; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const lines = readFileSync(join(dir, 'triggers.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      hit = lines.find((t) => t.tokenId === ev.canary!.tokenId);
    }
    assert.ok(hit, `no DNS trigger for ${ev.canary!.callback}`);
    assert.is(hit!.decky, ev.decky.name);
    assert.is(hit!.path, ev.path);
    assert.is(hit!.dns.name.toLowerCase(), ev.canary!.callback);
  }
});

test.after(async () => {
  if (existsSync(join(dir, 'listen.pid'))) {
    try {
      process.kill(Number(readFileSync(join(dir, 'listen.pid'), 'utf8')), 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (server !== null) {
    server.kill('SIGTERM');
    await server;
  }
  rmSync(dir, { recursive: true, force: true });
});

test.run();
