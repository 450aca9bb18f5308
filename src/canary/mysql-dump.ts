// /var/backups/<db>-<date>.sql: a mysqldump-shaped logical backup (header, session SETs, tables
// with CREATE and extended INSERTs of invented rows, footer). Near the end sits the trap: a
// prepared CHANGE MASTER statement followed by START SLAVE, whose source host is only ever
// present as FROM_BASE64('...'). Restoring the dump starts the replica's I/O thread, which
// resolves the host: the DNS lookup is the alert. Nothing fails, so no error shows the host.
import { between, pick, sample, token, type Rng } from '../rng/stream.js';
import { dnsCallback } from './callback.js';
import {
  ALNUM_MIXED, basename, CITIES, COMPANIES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, cleanToken, companyDomain, emailFor, humanPassword, sqlDateTime,
} from './common.js';
import type { CanaryContext, CanarySpec } from './types.js';

interface Env {
  rng: Rng;
  nowMs: number;
  domain: string;
  customers: number;
  users: number;
  /** Rows of the invoices table, or 40 in a dump without one (ids of another system's invoices). */
  invoices: number;
  /** The person a row is about, drawn afresh for each row. */
  first: string;
  last: string;
  seen: Set<string>;
}

function personEmail(e: Env, domain: string): string {
  return emailFor(`${e.first} ${e.last}`, domain);
}

function uniqueLogin(e: Env, id: number): string {
  let login = `${e.first[0]!.toLowerCase()}${e.last.toLowerCase()}`;
  if (e.seen.has(login)) login = `${e.first.toLowerCase()}.${e.last.toLowerCase()}`;
  if (e.seen.has(login)) login = `${login}${id}`;
  e.seen.add(login);
  return login;
}

interface Column {
  name: string;
  ddl: string;
  value(env: Env, id: number): string;
}

interface Table {
  name: string;
  columns: Column[];
  rows: [number, number];
  extra?: string[];
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function pastDate(env: Env, maxDays: number): string {
  return q(sqlDateTime(env.nowMs - between(env.rng, 3600, maxDays * 86_400) * 1000));
}

const id: Column = { name: 'id', ddl: 'int unsigned NOT NULL AUTO_INCREMENT', value: (_e, i) => String(i) };

const BCRYPT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./';

const TABLES: Record<string, Table> = {
  customers: {
    name: 'customers',
    rows: [18, 40],
    columns: [
      id,
      { name: 'company', ddl: 'varchar(120) NOT NULL', value: (e) => q(`${pick(e.rng, COMPANIES)}${e.rng() < 0.3 ? ` ${pick(e.rng, CITIES)}` : ''}`) },
      { name: 'contact_name', ddl: 'varchar(80) DEFAULT NULL', value: (e) => q(`${e.first} ${e.last}`) },
      { name: 'email', ddl: 'varchar(190) NOT NULL', value: (e, i) => q(personEmail(e, `${pick(e.rng, ['harbour', 'fieldway', 'brightmoor', 'oakfield', 'redland', 'westby'])}-${pick(e.rng, ['trading', 'group', 'supplies', 'services'])}${i}.${pick(e.rng, ['com', 'net', 'co.uk', 'de', 'eu'])}`)) },
      { name: 'phone', ddl: 'varchar(32) DEFAULT NULL', value: (e) => (e.rng() < 0.15 ? 'NULL' : q(`+1-${between(e.rng, 201, 989)}-${between(e.rng, 200, 999)}-${between(e.rng, 1000, 9999)}`)) },
      { name: 'city', ddl: 'varchar(64) DEFAULT NULL', value: (e) => q(pick(e.rng, CITIES)) },
      { name: 'created_at', ddl: 'datetime NOT NULL DEFAULT CURRENT_TIMESTAMP', value: (e) => pastDate(e, 900) },
    ],
    extra: ['UNIQUE KEY `uq_customers_email` (`email`)'],
  },
  orders: {
    name: 'orders',
    rows: [25, 60],
    columns: [
      id,
      { name: 'customer_id', ddl: 'int unsigned NOT NULL', value: (e) => String(between(e.rng, 1, e.customers)) },
      { name: 'total', ddl: 'decimal(10,2) NOT NULL', value: (e) => `${between(e.rng, 12, 9800)}.${String(between(e.rng, 0, 99)).padStart(2, '0')}` },
      { name: 'status', ddl: "enum('new','paid','shipped','cancelled','refunded') NOT NULL DEFAULT 'new'", value: (e) => q(pick(e.rng, ['paid', 'paid', 'shipped', 'shipped', 'new', 'cancelled', 'refunded'])) },
      { name: 'created_at', ddl: 'datetime NOT NULL', value: (e) => pastDate(e, 400) },
    ],
    extra: ['KEY `idx_orders_customer` (`customer_id`)'],
  },
  invoices: {
    name: 'invoices',
    rows: [20, 50],
    columns: [
      id,
      { name: 'number', ddl: 'varchar(20) NOT NULL', value: (e, i) => q(`INV-${new Date(e.nowMs).getUTCFullYear()}-${String(1000 + i * 3).padStart(5, '0')}`) },
      { name: 'customer_id', ddl: 'int unsigned NOT NULL', value: (e) => String(between(e.rng, 1, e.customers)) },
      { name: 'amount', ddl: 'decimal(12,2) NOT NULL', value: (e) => `${between(e.rng, 90, 48000)}.${String(between(e.rng, 0, 99)).padStart(2, '0')}` },
      { name: 'currency', ddl: "char(3) NOT NULL DEFAULT 'USD'", value: (e) => q(pick(e.rng, ['USD', 'USD', 'USD', 'EUR', 'GBP'])) },
      { name: 'due_date', ddl: 'date NOT NULL', value: (e) => pastDate(e, 120).slice(0, 11) + "'" },
      { name: 'paid_at', ddl: 'datetime DEFAULT NULL', value: (e) => (e.rng() < 0.35 ? 'NULL' : pastDate(e, 90)) },
    ],
    extra: ['UNIQUE KEY `uq_invoices_number` (`number`)'],
  },
  payments: {
    name: 'payments',
    rows: [15, 40],
    columns: [
      id,
      { name: 'invoice_id', ddl: 'int unsigned NOT NULL', value: (e) => String(between(e.rng, 1, e.invoices)) },
      { name: 'method', ddl: "varchar(16) NOT NULL", value: (e) => q(pick(e.rng, ['card', 'ach', 'wire', 'check'])) },
      { name: 'amount', ddl: 'decimal(12,2) NOT NULL', value: (e) => `${between(e.rng, 90, 48000)}.${String(between(e.rng, 0, 99)).padStart(2, '0')}` },
      { name: 'reference', ddl: 'varchar(40) DEFAULT NULL', value: (e) => q(`${pick(e.rng, ['ch_', 'tr_', 'py_'])}${cleanToken(e.rng, 18, ALNUM_MIXED)}`) },
      { name: 'received_at', ddl: 'datetime NOT NULL', value: (e) => pastDate(e, 90) },
    ],
  },
  users: {
    name: 'users',
    rows: [8, 25],
    columns: [
      id,
      { name: 'username', ddl: 'varchar(64) NOT NULL', value: (e, i) => q(i === 1 ? 'admin' : uniqueLogin(e, i)) },
      { name: 'email', ddl: 'varchar(190) NOT NULL', value: (e, i) => q(i === 1 ? `admin@${e.domain}` : personEmail(e, e.domain)) },
      { name: 'password_hash', ddl: 'varchar(255) NOT NULL', value: (e) => q(`$2y$${pick(e.rng, ['10', '10', '12'])}$${cleanToken(e.rng, 53, BCRYPT)}`) },
      { name: 'is_admin', ddl: 'tinyint(1) NOT NULL DEFAULT 0', value: (e, i) => (i === 1 || e.rng() < 0.12 ? '1' : '0') },
      { name: 'last_login', ddl: 'datetime DEFAULT NULL', value: (e) => (e.rng() < 0.1 ? 'NULL' : pastDate(e, 60)) },
    ],
    extra: ['UNIQUE KEY `uq_users_username` (`username`)'],
  },
  pages: {
    name: 'pages',
    rows: [10, 30],
    columns: [
      id,
      { name: 'title', ddl: 'varchar(200) NOT NULL', value: (e) => q(`${pick(e.rng, ['How to', 'Policy:', 'Guide:', 'FAQ:', 'Notes on'])} ${pick(e.rng, ['VPN access', 'expense claims', 'printer setup', 'holiday requests', 'password resets', 'new laptops', 'parking', 'remote work', 'the staff wiki', 'on-call rota'])}`) },
      { name: 'author_id', ddl: 'int unsigned NOT NULL', value: (e) => String(between(e.rng, 1, e.users)) },
      { name: 'views', ddl: 'int unsigned NOT NULL DEFAULT 0', value: (e) => String(between(e.rng, 0, 4000)) },
      { name: 'updated_at', ddl: 'datetime NOT NULL', value: (e) => pastDate(e, 500) },
    ],
  },
  tickets: {
    name: 'tickets',
    rows: [20, 50],
    columns: [
      id,
      { name: 'subject', ddl: 'varchar(200) NOT NULL', value: (e) => q(pick(e.rng, ['Cannot log in to VPN', 'Printer on 2nd floor jammed', 'Request access to finance share', 'Laptop very slow', 'Outlook keeps asking for password', 'New starter account', 'Monitor flickering', 'Reset MFA token', 'Teams calls dropping', 'Install software request', 'Shared mailbox missing', 'Phone not ringing'])) },
      { name: 'requester', ddl: 'varchar(120) NOT NULL', value: (e) => q(personEmail(e, e.domain)) },
      { name: 'status', ddl: "enum('open','pending','resolved','closed') NOT NULL", value: (e) => q(pick(e.rng, ['open', 'pending', 'resolved', 'closed', 'closed'])) },
      { name: 'priority', ddl: 'tinyint unsigned NOT NULL DEFAULT 3', value: (e) => String(between(e.rng, 1, 4)) },
      { name: 'created_at', ddl: 'datetime NOT NULL', value: (e) => pastDate(e, 200) },
    ],
  },
  employees: {
    name: 'employees',
    rows: [15, 40],
    columns: [
      id,
      { name: 'first_name', ddl: 'varchar(60) NOT NULL', value: (e) => q(e.first) },
      { name: 'last_name', ddl: 'varchar(60) NOT NULL', value: (e) => q(e.last) },
      { name: 'department', ddl: 'varchar(60) NOT NULL', value: (e) => q(pick(e.rng, DEPARTMENTS)) },
      { name: 'salary', ddl: 'decimal(10,2) NOT NULL', value: (e) => `${between(e.rng, 38, 160) * 1000}.00` },
      { name: 'hired_on', ddl: 'date NOT NULL', value: (e) => pastDate(e, 3000).slice(0, 11) + "'" },
    ],
  },
};

const DATABASES: Record<string, string[]> = {
  crm: ['customers', 'orders', 'users'],
  billing: ['customers', 'invoices', 'payments'],
  intranet: ['employees', 'pages', 'users'],
  helpdesk: ['tickets', 'users'],
  shop: ['customers', 'orders', 'payments'],
  hr: ['employees', 'users'],
};
const DB_NAMES = Object.keys(DATABASES);
/** The databases a nightly dump job may dump (src/machine/crontab.ts): the ones a dump lure can hold. */
export const DUMP_DATABASES: readonly string[] = DB_NAMES;

// What wrote the dump: Debian's MariaDB mostly, an Ubuntu MySQL 8 sometimes. The statements
// are the ones both servers accept (utf8mb4_unicode_ci, CHANGE MASTER / START SLAVE), so the
// dump restores on either and the header only says which tool wrote it.
const MARIADB_VERSIONS = [
  ['10.19', '10.11.6-MariaDB', '10.11.6-MariaDB-0+deb12u1-log'],
  ['10.19', '10.11.11-MariaDB', '10.11.11-MariaDB-0+deb12u1'],
  ['10.19', '10.11.14-MariaDB', '10.11.14-MariaDB-0+deb12u1-log'],
  ['10.19', '10.5.23-MariaDB', '10.5.23-MariaDB-0+deb11u1'],
] as const;

const VERSIONS = [
  ['8.0.36', '8.0.36-0ubuntu0.22.04.1'],
  ['8.0.39', '8.0.39-0ubuntu0.24.04.2'],
  ['8.0.40', '8.0.40-0ubuntu0.24.04.1'],
  ['8.0.35', '8.0.35'],
  ['8.0.41', '8.0.41-0ubuntu0.22.04.1'],
] as const;

function createTable(t: Table, rng: Rng, autoInc: number): string {
  const defs = t.columns.map((c) => `  \`${c.name}\` ${c.ddl}`);
  defs.push('  PRIMARY KEY (`id`)');
  for (const x of t.extra ?? []) defs.push(`  ${x}`);
  void rng;
  return `CREATE TABLE \`${t.name}\` (\n${defs.join(',\n')}\n) ENGINE=InnoDB AUTO_INCREMENT=${autoInc} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`;
}

function dumpCompleted(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${String(d.getUTCHours()).padStart(2, ' ')}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function dbFromPath(path: string): string | undefined {
  const stem = basename(path).toLowerCase();
  return DB_NAMES.find((n) => stem === `${n}.sql` || stem.startsWith(`${n}-`) || stem.startsWith(`${n}_`));
}

export function generateMysqlDump(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const db = dbFromPath(ctx.path) ?? pick(rng, DB_NAMES);
  const maria = rng() < 0.65;
  const [distrib, server] = pick(rng, VERSIONS);
  const [mVer, mDistrib, mServer] = pick(rng, MARIADB_VERSIONS);
  const env: Env = { rng, nowMs: ctx.mtimeMs, domain: ctx.org?.domain ?? companyDomain(pick(rng, COMPANIES), rng), customers: 0, users: 0, invoices: 40, first: '', last: '', seen: new Set() };
  const out: string[] = [];
  out.push(maria ? `-- MariaDB dump ${mVer}  Distrib ${mDistrib}, for debian-linux-gnu (x86_64)` : `-- MySQL dump 10.13  Distrib ${distrib}, for Linux (x86_64)`);
  out.push('--');
  out.push(`-- Host: ${pick(rng, ['localhost', 'localhost', '127.0.0.1'])}    Database: ${db}`);
  out.push('-- ------------------------------------------------------');
  out.push(`-- Server version\t${maria ? mServer : server}`);
  out.push('');
  out.push('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;');
  out.push('/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;');
  out.push('/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;');
  out.push(maria ? '/*!40101 SET NAMES utf8mb4 */;' : '/*!50503 SET NAMES utf8mb4 */;');
  out.push('/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;');
  out.push("/*!40103 SET TIME_ZONE='+00:00' */;");
  out.push('/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;');
  out.push('/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;');
  out.push("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;");
  out.push('/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;');

  const tables = DATABASES[db]!.map((n) => TABLES[n]!);
  // Row counts first, so foreign ids point at rows that exist.
  const counts = tables.map((t) => between(rng, t.rows[0], t.rows[1]));
  tables.forEach((t, i) => {
    if (t.name === 'customers') env.customers = counts[i]!;
    if (t.name === 'users') env.users = counts[i]!;
    if (t.name === 'invoices') env.invoices = counts[i]!;
  });
  if (env.customers === 0) env.customers = between(rng, 20, 60);
  if (env.users === 0) env.users = between(rng, 5, 20);

  tables.forEach((t, ti) => {
    const n = counts[ti]!;
    out.push('');
    out.push('--');
    out.push(`-- Table structure for table \`${t.name}\``);
    out.push('--');
    out.push('');
    out.push(`DROP TABLE IF EXISTS \`${t.name}\`;`);
    out.push('/*!40101 SET @saved_cs_client     = @@character_set_client */;');
    out.push(maria ? '/*!40101 SET character_set_client = utf8 */;' : '/*!50503 SET character_set_client = utf8mb4 */;');
    out.push(createTable(t, rng, n + 1));
    out.push('/*!40101 SET character_set_client = @saved_cs_client */;');
    out.push('');
    out.push('--');
    out.push(`-- Dumping data for table \`${t.name}\``);
    out.push('--');
    out.push('');
    out.push(`LOCK TABLES \`${t.name}\` WRITE;`);
    out.push(`/*!40000 ALTER TABLE \`${t.name}\` DISABLE KEYS */;`);
    const rows: string[] = [];
    env.seen = new Set();
    for (let i = 1; i <= n; i++) {
      env.first = pick(rng, FIRST_NAMES);
      env.last = pick(rng, LAST_NAMES);
      rows.push(`(${t.columns.map((c) => c.value(env, i)).join(',')})`);
    }
    out.push(`INSERT INTO \`${t.name}\` VALUES ${rows.join(',')};`);
    out.push(`/*!40000 ALTER TABLE \`${t.name}\` ENABLE KEYS */;`);
    out.push('UNLOCK TABLES;');
  });

  // The replication-source trap: host only as base64, the statement assembled at run time.
  const v = token(rng, 3, 'abcdefghijklmnopqrstuvwxyz');
  const hostVar = `@${pick(rng, ['src', 'rpl', 'repl', 'upstream'])}_${v}_host`;
  const stmtVar = `@${pick(rng, ['src', 'rpl', 'repl', 'upstream'])}_${v}_sql`;
  const prepared = `${pick(rng, ['resume', 'attach', 'repl'])}_${v}`;
  const user = pick(rng, ['repl', 'replicator', 'repl_ro', 'backup_repl']);
  const password = rng() < 0.5 ? humanPassword(rng) : cleanToken(rng, 20, ALNUM_MIXED);
  const binlog = `${pick(rng, ['binlog', 'mysql-bin'])}.${String(between(rng, 3, 480)).padStart(6, '0')}`;
  const pos = between(rng, 157, 98_000_000);
  const b64 = Buffer.from(ctx.callback, 'utf8').toString('base64');
  out.push('');
  out.push('--');
  out.push(`-- ${pick(rng, ['Re-attach the reporting replica to its source after a restore', 'Resume replication from the primary once the data is loaded', 'Point this server back at the upstream source (restore procedure)'])}`);
  out.push('--');
  out.push('');
  out.push('STOP SLAVE;');
  out.push(`SET ${hostVar} = FROM_BASE64('${b64}');`);
  out.push(
    `SET ${stmtVar} = CONCAT('CHANGE MASTER TO MASTER_HOST=''', ${hostVar}, ''', MASTER_PORT=3306, ` +
      `MASTER_USER=''${user}'', MASTER_PASSWORD=''${password.replace(/'/g, "''")}'', MASTER_LOG_FILE=''${binlog}'', MASTER_LOG_POS=${pos}, ` +
      `MASTER_CONNECT_RETRY=${pick(rng, [10, 30, 60])}');`,
  );
  out.push(`PREPARE ${prepared} FROM ${stmtVar};`);
  out.push(`EXECUTE ${prepared};`);
  out.push(`DEALLOCATE PREPARE ${prepared};`);
  // The I/O thread resolves the source host as it connects: the lookup reaches the zone's server.
  out.push('START SLAVE;');

  out.push('/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;');
  out.push('');
  out.push('/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;');
  out.push('/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;');
  out.push('/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;');
  out.push('/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;');
  out.push('/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;');
  out.push('/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;');
  out.push('/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;');
  out.push('');
  out.push(`-- Dump completed on ${dumpCompleted(ctx.mtimeMs)}`);
  return out.join('\n') + '\n';
}

export const mysqlDumpSpec: CanarySpec = {
  cls: 'canary_mysql_dump',
  generator: 'mysql_dump',
  kind: 'dns',
  mode: '0600',
  systemOwned: true,
  placements: (_home, rng, date) => {
    const dbs = sample(rng, DB_NAMES, 4);
    return [...dbs.map((d) => `/var/backups/${d}-${date}.sql`), ...dbs.slice(0, 2).map((d) => `/var/backups/${d}.sql`)];
  },
  // Named for the day it ran: a nightly job, a few hours before the event.
  ageSeconds: (rng) => between(rng, 1_800, 6 * 3_600),
  needs: 'dns',
  callback: (slug, settings, style, r) => dnsCallback(slug, settings, style, r),
  generate: generateMysqlDump,
};
