// MariaDB on a decky that has a database: one it serves (a `mysql` service) or one its nightly
// dump job dumps (crontab.ts), Debian 12's mariadb-server, which systemd starts at each boot and
// stops at each shutdown. Debian's unit sends the server's own error log to the journal, so its
// lines reach syslog and daemon.log (facility daemon) as `mariadbd[pid]: <its own stamp> 0 [Note]
// ...`, and /etc/mysql/debian-start logs its checks after each start through logger (a process
// each). Nothing else: Debian keeps the general and slow query logs off, and the nightly dump
// connects without a line.
//
// What an intruder can hold against each other: one mariadbd PID per boot (boot.ts), the InnoDB
// redo log's sequence number, which grows with the decky's writes and at each start resumes
// exactly where the last shutdown left it, the server's server_uid (from the port and the MAC),
// and the version, which is the package Debian 12 carried in 2026.
import { createHash } from 'node:crypto';
import { between, stream } from '../rng/stream.js';

const SEC = 1000;
const DAY = 86_400_000;

/** Debian 12's MariaDB package and the upstream commit it was built from. */
export const MARIADB_VERSION = '10.11.14';
const SERVER_VERSION = `${MARIADB_VERSION}-MariaDB-0+deb12u2`;
const SOURCE_REVISION = '053f9bcb5b147bf00edb99e1310bae9125b7f125';
/** The unit as systemd names it in its lines. */
export const MARIADB_UNIT = `mariadb.service - MariaDB ${MARIADB_VERSION} database server`;
/** The server's lines in syslog: its tag and its own stamp (`2026-01-05  3:14:12 0 [Note] ...`). */
export const MARIADB_LINE = /^mariadbd\[(\d+)\]: (?:(\d{4}-\d{2}-\d{2} [ \d]\d:\d{2}:\d{2}) 0 \[(Note|Warning)\] .+|Version: '[^']+' {2}socket: '[^']+' {2}port: \d+ {2}.+)$/;

/** One line for the machine's logs (facility daemon), at a whole second. */
export interface DatabaseLine {
  ms: number;
  text: string;
}

/** `2026-01-05  3:14:12`: the server's stamp (the hour padded with a space). */
function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${String(Number(iso.slice(11, 13))).padStart(2, ' ')}:${iso.slice(14, 19)}`;
}

/** A line of the server's own log, as the journal passes it on. */
function serverLine(pid: number, ms: number, msg: string, level: 'Note' | 'Warning' = 'Note'): DatabaseLine {
  return { ms, text: `mariadbd[${pid}]: ${stamp(ms)} 0 [${level}] ${msg}` };
}

/** `260105  3:14:12`: the buffer pool's load and dump stamps. */
function shortStamp(ms: number): string {
  const s = stamp(ms);
  return `${s.slice(2, 4)}${s.slice(5, 7)}${s.slice(8, 10)} ${s.slice(11)}`;
}

export class DatabaseServer {
  /** The data directory's server_uid: base64 of a SHA-1, fixed since the server was installed. */
  private readonly serverUid: string;
  /** The redo log's sequence number at `epochMs`, and how fast the decky's writes move it. */
  private readonly lsn0: number;
  private readonly lsnPerDay: number;
  private readonly trx0: number;
  private readonly trxPerDay: number;
  private readonly epochMs: number;

  /** Whether clients reach it over the network (a `mysql` service) or only this machine's own jobs do. */
  private readonly bindAddress: string;

  /**
   * `epochMs`: any fixed instant before the first boot (the numbers grow from it); `exposed`: the
   * decky serves the database (bind-address 0.0.0.0; otherwise Debian's 127.0.0.1, a local
   * database behind the machine's own jobs); `address`: the decky's IPv4 address, from which
   * Docker's bridge derives the interface's MAC (02:42 and the address's four bytes).
   */
  constructor(seed: string, uuid: string, epochMs: number, opts: { exposed: boolean; address: string | null }) {
    const r = stream(seed, uuid, 'database');
    // The server's server_uid is base64(SHA-1(port, little-endian, then the first interface's
    // MAC)): anyone on the machine can compute it again from /sys/class/net/eth0/address.
    const octets = opts.address?.split('.').map(Number) ?? [];
    const mac = octets.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255) ? [0x02, 0x42, ...octets] : [0x02, 0x42, ...Array.from({ length: 4 }, () => between(r, 0, 255))];
    this.serverUid = createHash('sha1').update(Buffer.from([3306 & 0xff, 3306 >> 8, ...mac])).digest('base64');
    this.bindAddress = opts.exposed ? '0.0.0.0' : '127.0.0.1';
    this.lsn0 = between(r, 40_000_000, 9_000_000_000);
    this.lsnPerDay = between(r, 400_000, 60_000_000);
    this.trx0 = between(r, 2_000, 4_000_000);
    this.trxPerDay = between(r, 40, 9_000);
    this.epochMs = epochMs;
  }

  /** The redo log's end at t (a clean shutdown at t leaves it there). */
  lsnAt(t: number): number {
    return this.lsn0 + Math.floor(((t - this.epochMs) / DAY) * this.lsnPerDay);
  }

  private trxAt(t: number): number {
    return this.trx0 + Math.floor(((t - this.epochMs) / DAY) * this.trxPerDay);
  }

  /**
   * A start at `at` (whole second) as mariadbd `pid`, after a clean shutdown at `lastDownMs`:
   * InnoDB finds the log's end where that shutdown left it. The server is up from `readyMs`.
   */
  start(at: number, pid: number, lastDownMs: number): { lines: DatabaseLine[]; readyMs: number } {
    const lsn = this.lsnAt(lastDownMs);
    const trx = this.trxAt(lastDownMs);
    const note = (ms: number, msg: string): DatabaseLine => serverLine(pid, ms, msg);
    const a = at;
    const b = at + SEC;
    const lines: DatabaseLine[] = [
      note(a, `Starting MariaDB ${SERVER_VERSION} source revision ${SOURCE_REVISION} server_uid ${this.serverUid} as process ${pid}`),
      note(a, 'InnoDB: Compressed tables use zlib 1.2.13'),
      note(a, 'InnoDB: Number of transaction pools: 1'),
      note(a, 'InnoDB: Using crc32 + pclmulqdq instructions'),
      note(a, 'InnoDB: Using io_uring'),
      note(a, 'InnoDB: innodb_buffer_pool_size_max=128m, innodb_buffer_pool_size=128m'),
      note(a, 'InnoDB: Completed initialization of buffer pool'),
      note(a, 'InnoDB: File system buffers for log disabled (block size=512 bytes)'),
      note(a, `InnoDB: End of log at LSN=${lsn}`),
      note(b, 'InnoDB: 128 rollback segments are active.'),
      note(b, "InnoDB: Setting file './ibtmp1' size to 12.000MiB. Physically writing the file full; Please wait ..."),
      note(b, "InnoDB: File './ibtmp1' size is now 12.000MiB."),
      note(b, `InnoDB: log sequence number ${lsn}; transaction id ${trx}`),
      note(b, "Plugin 'FEEDBACK' is disabled."),
      note(b, 'InnoDB: Loading buffer pool(s) from /var/lib/mysql/ib_buffer_pool'),
      // Debian's 50-server.cnf sets expire_logs_days while the binary log stays off.
      serverLine(pid, b, 'You need to use --log-bin to make --expire-logs-days or --binlog-expire-logs-seconds work.', 'Warning'),
      note(b, `Server socket created on IP: '${this.bindAddress}', port: '3306'.`),
      note(b, '/usr/sbin/mariadbd: ready for connections.'),
      { ms: b, text: `mariadbd[${pid}]: Version: '${SERVER_VERSION}'  socket: '/run/mysqld/mysqld.sock'  port: 3306  Debian 12` },
    ];
    return { lines, readyMs: b };
  }

  /** The buffer pool's load, which ends after the unit has started (a second or two). */
  loaded(at: number, pid: number): DatabaseLine {
    return serverLine(pid, at, `InnoDB: Buffer pool(s) load completed at ${shortStamp(at)}`);
  }

  /** A clean shutdown (systemd's SIGTERM) beginning at `down`, over `down` and the second after. */
  stop(down: number, pid: number): DatabaseLine[] {
    const b = down + SEC;
    const note = (ms: number, msg: string): DatabaseLine => serverLine(pid, ms, msg);
    return [
      note(down, '/usr/sbin/mariadbd (initiated by: unknown): Normal shutdown'),
      note(down, 'InnoDB: FTS optimize thread exiting.'),
      note(down, 'InnoDB: Starting shutdown...'),
      note(down, 'InnoDB: Dumping buffer pool(s) to /var/lib/mysql/ib_buffer_pool'),
      note(b, `InnoDB: Buffer pool(s) dump completed at ${shortStamp(b)}`),
      note(b, 'InnoDB: Removed temporary tablespace data file: "./ibtmp1"'),
      note(b, `InnoDB: Shutdown completed; log sequence number ${this.lsnAt(down)}; transaction id ${this.trxAt(down)}`),
      note(b, '/usr/sbin/mariadbd: Shutdown complete'),
    ];
  }
}
