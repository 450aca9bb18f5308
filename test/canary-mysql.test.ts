// The mysql_dump lure restored into a real database server, as an intruder who finds it would.
// Debian ships MariaDB, not MySQL 8, so two MySQL-8-only pieces are adapted before the load (and
// nothing else): the utf8mb4_0900_ai_ci collation name, and the replication trap, which is
// assembled by the server but only selected, not prepared (MariaDB spells the statement
// CHANGE MASTER, and the test must not try to replicate from anywhere). The load runs in strict
// mode, so a bad date, a truncated value, a wrong column count or a duplicate key fails it.
// A missing server skips with a notice on a developer machine; with CI=true it fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markSkipped } from './helpers/skip.js';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, generateBytes } from './canary-fixtures.js';

const SEEDS = 24;
const CI = process.env.CI === 'true';
const SERVER = '/usr/sbin/mariadbd';
const INSTALL = '/usr/bin/mariadb-install-db';
const CLIENT = '/usr/bin/mariadb';

const dir = mkdtempSync(join(tmpdir(), 'lure-sql-'));
const socket = join(dir, 'sock');
let server: ResultPromise | null = null;

function available(): boolean {
  const missing = [SERVER, INSTALL, CLIENT].filter((p) => !existsSync(p));
  if (missing.length === 0) return true;
  if (CI) assert.unreachable(`${missing.join(', ')} required when CI=true (Debian: mariadb-server-core, mariadb-client-core)`);
  markSkipped('canary-mysql', 'a real server restores every mysql_dump lure', `${missing.join(', ')} not found (install mariadb-server-core and mariadb-client-core)`);
  return false;
}

async function start(): Promise<void> {
  const data = join(dir, 'data');
  const init = await execa(INSTALL, ['--no-defaults', '--user=root', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { reject: false });
  assert.is(init.exitCode, 0, `mariadb-install-db: ${init.stderr}`);
  // No TCP listener, no binary log: a private server on a socket in the test's directory.
  server = execa(SERVER, ['--no-defaults', '--user=root', `--datadir=${data}`, `--socket=${socket}`, '--skip-networking', '--skip-log-bin', `--pid-file=${join(dir, 'pid')}`, `--log-error=${join(dir, 'error.log')}`, '--innodb-buffer-pool-size=16M'], { reject: false });
  for (let i = 0; i < 300; i++) {
    const r = await execa(CLIENT, ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', 'SELECT 1'], { reject: false });
    if (r.exitCode === 0) return;
    if (server.exitCode !== null && server.exitCode !== undefined) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
  assert.unreachable(`mariadbd did not come up: ${log.slice(-2000)}`);
}

async function sql(db: string | null, input: string): Promise<string[][]> {
  const args = ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', '--raw'];
  if (db !== null) args.push(db);
  const r = await execa(CLIENT, args, { input, reject: false });
  assert.is(r.exitCode, 0, `mariadb: ${r.stderr}`);
  return r.stdout === '' ? [] : r.stdout.split('\n').map((l) => l.split('\t'));
}

/** The dump as MariaDB can restore it (see the top of this file); fails if the trap is not as shipped. */
function adapt(dump: string): string {
  const trap = /\nPREPARE (\w+) FROM (@\w+);\nEXECUTE \1;\nDEALLOCATE PREPARE \1;\nSTART REPLICA;\n/.exec(dump);
  assert.ok(trap, 'PREPARE / EXECUTE / DEALLOCATE / START REPLICA in that order');
  const mode = "SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;";
  assert.ok(dump.includes(mode), 'the session SQL_MODE line of mysqldump');
  return dump
    .replaceAll('utf8mb4_0900_ai_ci', 'utf8mb4_unicode_520_ci')
    .replace(mode, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO' */;")
    .replace(trap[0], `\nSELECT 'trap', ${trap[2]};\n`);
}

/** Rows of each INSERT as the dump states them: AUTO_INCREMENT is one past the last id. */
function declared(dump: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of dump.matchAll(/\nCREATE TABLE `(\w+)` \([\s\S]*?\) ENGINE=InnoDB AUTO_INCREMENT=(\d+) /g)) out.set(m[1]!, Number(m[2]) - 1);
  return out;
}

// Columns that point at another table of the same dump: column -> table.
const REFERENCES: Record<string, string> = { customer_id: 'customers', invoice_id: 'invoices', author_id: 'users' };

test('a real server restores every mysql_dump lure, rows, keys and trap intact', async () => {
  if (!available()) return;
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
    const out = await sql(name, adapt(dump));
    // The server rebuilt the replication statement from base64: the callback host is in it.
    const trap = out.find((r) => r[0] === 'trap');
    assert.ok(trap, `seed ${i}: trap statement selected`);
    assert.ok(trap![1]!.startsWith(`CHANGE REPLICATION SOURCE TO SOURCE_HOST='${b.ctx.callback}', SOURCE_PORT=3306, SOURCE_USER='`), `seed ${i}: ${trap![1]}`);
    assert.match(trap![1]!, /SOURCE_LOG_FILE='(binlog|mysql-bin)\.\d{6}', SOURCE_LOG_POS=\d+, SOURCE_CONNECT_RETRY=\d+, GET_SOURCE_PUBLIC_KEY=1$/);

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

test.after(async () => {
  if (server !== null) {
    server.kill('SIGTERM');
    await server;
  }
  rmSync(dir, { recursive: true, force: true });
});

test.run();
