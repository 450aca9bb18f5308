// Every lure that can fire, used the way an intruder would with the real tool, against the
// loopback listener: curl on the .env endpoint, headless Chromium on the HTML report and the
// fingerprint pages, LibreOffice headless on the DOCX, git on the working copy (log, status,
// fetch), the PDF's open action and link as qpdf and poppler read them (opened in Chromium, as a
// reader's click hands them to the browser: no viewer runs them unattended), OpenSSH on the key's ssh config (in a network namespace whose resolver is the
// listener). Each must produce a trigger naming the right token, decky and path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TimelineEvent } from '../src/timeline/types.js';
import { BIN } from './helpers/cli.js';
import { bytesOf, lab, lureOf, ZONE, type Lab } from './listen-helpers.js';

const CI = process.env.CI === 'true';
const CHROMIUM = process.env.DECNET_SIM_CHROMIUM ?? '/usr/bin/chromium';
let L: Lab;

test.before(async () => {
  L = await lab({ seed: 'a', days: 21, probability: 0.8 });
});
test.after(async () => {
  await L.stop();
  rmSync(L.dir, { recursive: true, force: true });
});

function need(bin: string): boolean {
  if (existsSync(bin)) return true;
  if (CI) assert.unreachable(`${bin} is required when CI=true`);
  console.log(`  [notice] ${bin} not found: skipping`);
  return false;
}

/** Write a lure (and its companions) under root, keeping its absolute path below it. */
function plant(root: string, ev: TimelineEvent): string {
  const put = (path: string, mode: string, body: Buffer) => {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, body);
    chmodSync(p, parseInt(mode, 8));
  };
  for (const c of ev.companions ?? []) put(c.path, c.mode, Buffer.from(c.content.data, c.content.encoding === 'base64' ? 'base64' : 'utf8'));
  put(ev.path!, ev.mode!, bytesOf(ev));
  // A key's known_hosts line goes into the home's known_hosts (an append right after the lure).
  const kh = `${ev.path!.slice(0, ev.path!.lastIndexOf('/'))}/known_hosts`;
  const at = L.events.indexOf(ev);
  const append = L.events.slice(at + 1).find((e) => e.decky.uuid === ev.decky.uuid && e.path === kh && e.content !== undefined);
  if (ev.contentClass === 'canary_ssh_key' && append) put(kh, append.mode!, bytesOf(append));
  return join(root, ev.path!);
}

async function fired(ev: TimelineEvent, ms = 60_000) {
  const t = await L.waitFor(ev.canary!.tokenId, ms);
  assert.ok(t, `no trigger for ${ev.contentClass} ${ev.canary!.callback}`);
  assert.is(t!.decky, ev.decky.name);
  assert.is(t!.path, ev.path);
  assert.is(t!.generator, ev.canary!.generator);
  return t!;
}

async function chromium(target: string, dir: string): Promise<void> {
  await execa(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'chrome')}`, '--virtual-time-budget=5000', '--dump-dom', target.includes('://') ? target : `file://${target}`], { reject: false, timeout: 90_000 });
}

test('.env: curl on the service URL it names fires', async () => {
  const ev = lureOf(L.events, 'canary_env_file');
  const line = bytesOf(ev).toString('utf8').split('\n').find((l) => l.includes(ev.canary!.callback))!;
  const url = line.slice(line.indexOf('=') + 1);
  const r = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', url], { reject: false });
  assert.ok(['200', '401'].includes(String(r.stdout)), String(r.stdout));
  const t = await fired(ev);
  assert.match(t.http!.userAgent ?? '', /^curl\//);
});

test('HTML report and fingerprint pages: headless Chromium fires them; the beacon reports the browser', async () => {
  if (!need(CHROMIUM)) return;
  for (const cls of ['canary_honeydoc', 'canary_fingerprint_html', 'canary_fingerprint_svg']) {
    const ev = lureOf(L.events, cls);
    const file = plant(join(L.dir, 'disk'), ev);
    await chromium(file, L.dir);
    const t = await fired(ev, 30_000);
    assert.match(t.http!.userAgent ?? '', /Chrome\//);
    if (cls !== 'canary_honeydoc') {
      assert.ok(t.fingerprint, `${cls}: no fingerprint data`);
      assert.match(t.fingerprint!.screen ?? '', /^\d+x\d+x\d+$/);
      assert.ok(t.fingerprint!.timeZone, 'time zone reported');
      assert.match(t.fingerprint!.location ?? '', /^file:/);
    }
  }
});

// No viewer at hand fires a URI open action unattended: Chromium's PDF viewer (also headless),
// LibreOffice and poppler's tools do not, and Acrobat Reader shows a security prompt before it
// opens a URL. What reaches the callback is the reader's own browser opening the URL the viewer
// hands it (a click on the link, or "Allow" at the prompt). So the test reads the open action and the link as real PDF
// tools parse them (qpdf for the catalog, poppler's pdfinfo for the link annotations) and opens
// each URL in headless Chromium, as that click or "Allow" would.
test('PDF: the open action and the link a reader clicks (as qpdf and poppler read them), opened in the browser, reach the listener', async () => {
  if (!need('/usr/bin/pdfinfo') || !need('/usr/bin/qpdf') || !need(CHROMIUM)) return;
  const ev = lureOf(L.events, 'canary_honeydoc_pdf');
  const file = plant(join(L.dir, 'disk'), ev);
  // The link annotation, as poppler lists it (what a viewer hands to the browser on a click).
  const urls = await execa('pdfinfo', ['-url', file], { reject: false });
  assert.is(urls.exitCode, 0, urls.stderr);
  const link = /^\s*1\s+Annotation\s+(\S+)$/m.exec(urls.stdout)?.[1];
  assert.ok(link, urls.stdout);
  // The catalog's open action, as qpdf parses it.
  const json = JSON.parse((await execa('qpdf', ['--json=2', '--json-key=qpdf', file])).stdout) as { qpdf: [unknown, Record<string, { value: Record<string, unknown> }>] };
  const objs = json.qpdf[1];
  const catalog = Object.values(objs).find((o) => o.value && (o.value as Record<string, unknown>)['/Type'] === '/Catalog')!.value;
  const open = catalog['/OpenAction'] as Record<string, string>;
  assert.is(open['/S'], '/URI');
  const action = open['/URI']!.replace(/^u:/, '');
  assert.is(action, ev.canary!.callback);
  for (const url of new Set([link!, action])) {
    const before = L.triggers.filter((t) => t.tokenId === ev.canary!.tokenId).length;
    await chromium(url, L.dir);
    await fired(ev);
    for (let i = 0; i < 50 && L.triggers.filter((t) => t.tokenId === ev.canary!.tokenId).length <= before; i++) await new Promise((res) => setTimeout(res, 100));
    const mine = L.triggers.filter((t) => t.tokenId === ev.canary!.tokenId);
    assert.ok(mine.length > before, `no new trigger for ${url}`);
    assert.match(mine[mine.length - 1]!.http!.userAgent ?? '', /Chrome\//);
  }
});

test('DOCX: LibreOffice headless fetches the logo the page header links', async () => {
  if (!need('/usr/bin/soffice')) return;
  const ev = lureOf(L.events, 'canary_honeydoc_docx');
  const file = plant(join(L.dir, 'disk'), ev);
  const out = join(L.dir, 'pdf');
  await execa('soffice', [`-env:UserInstallation=file://${join(L.dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file], { reject: false, timeout: 180_000 });
  await fired(ev, 30_000);
});

test('git: a real working copy; log and status work; fetch calls home', async () => {
  const ev = lureOf(L.events, 'canary_git_config');
  const config = plant(join(L.dir, 'disk'), ev);
  const repo = dirname(dirname(config));
  const env = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: L.dir };
  const fsck = await execa('git', ['-C', repo, 'fsck', '--strict'], { env, reject: false });
  assert.is(fsck.exitCode, 0, String(fsck.stderr));
  const log = await execa('git', ['-C', repo, 'log', '--format=%H %an %s'], { env });
  const commits = String(log.stdout).split('\n');
  assert.ok(commits.length >= 3, `history of ${commits.length}`);
  const status = await execa('git', ['-C', repo, 'status', '--porcelain'], { env });
  assert.is(String(status.stdout), '', 'clean work tree');
  const remote = await execa('git', ['-C', repo, 'remote', 'get-url', 'origin'], { env });
  assert.is(String(remote.stdout).trim(), ev.canary!.callback);
  assert.match(ev.canary!.callback, new RegExp(`/${repo.slice(repo.lastIndexOf('/') + 1)}(\\.git)?$`), 'the remote is named after the project folder');
  const fetch = await execa('git', ['-C', repo, 'fetch', 'origin'], { env, reject: false, timeout: 30_000 });
  assert.ok(fetch.exitCode !== 0, 'the server asks for credentials');
  const t = await fired(ev);
  assert.match(t.http!.path, /\/info\/refs\?service=git-upload-pack$/);
  assert.match(t.http!.userAgent ?? '', /^git\//);
});

test('SSH key: .pub beside it, known_hosts matches; `ssh <alias>` resolves the callback through the listener', async () => {
  const ev = lureOf(L.events, 'canary_ssh_key');
  const key = plant(join(L.dir, 'disk'), ev);
  const sshDir = dirname(key);
  const pub = readFileSync(`${key}.pub`, 'utf8').trim().split(' ');
  const derived = String((await execa('ssh-keygen', ['-y', '-f', key])).stdout).trim().split(' ');
  assert.equal(pub.slice(0, 2), derived.slice(0, 2), '.pub is the public half');
  const conf = readFileSync(join(sshDir, 'config'), 'utf8');
  const alias = /^Host (\S+)$/m.exec(conf)![1]!;
  assert.match(conf, new RegExp(`^\\s+HostName ${ev.canary!.callback.replace(/\./g, '\\.')}$`, 'm'));
  const port = /^\s+Port (\d+)$/m.exec(conf)?.[1];
  const name = port ? `[${ev.canary!.callback}]:${port}` : ev.canary!.callback;
  const found = await execa('ssh-keygen', ['-F', name, '-f', join(sshDir, 'known_hosts')], { reject: false });
  assert.is(found.exitCode, 0, 'known_hosts holds the host (hashed)');
  if (!need('/usr/bin/unshare')) return;
  // A network namespace with loopback only, its resolv.conf naming a listener on 127.0.0.1:53.
  const ns = join(L.dir, 'ns');
  mkdirSync(ns, { recursive: true });
  writeFileSync(join(ns, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  const script = [
    'ip link set lo up',
    `mount --bind ${join(ns, 'resolv.conf')} /etc/resolv.conf`,
    `node ${BIN} listen --dns 127.0.0.1:53 --sinkhole 127.0.0.1 --timeline ${L.timeline} --allow-test-callbacks > ${join(ns, 'triggers')} 2> ${join(ns, 'err')} &`,
    'LP=$!',
    `for i in $(seq 200); do grep -q listening ${join(ns, 'err')} 2>/dev/null && break; sleep 0.05; done`,
    `ssh -F ${join(sshDir, 'config')} -o ConnectTimeout=1 -o BatchMode=yes -o UserKnownHostsFile=${join(sshDir, 'known_hosts')} -o StrictHostKeyChecking=yes ${alias} true; echo "ssh exit $?"`,
    'kill -TERM $LP; wait $LP',
  ].join('\n');
  const r = await execa('unshare', ['--net', '--mount', '--fork', 'bash', '-c', script], { reject: false, timeout: 60_000 });
  assert.match(String(r.stdout), /ssh exit 255/, String(r.stderr));
  const lines = readFileSync(join(ns, 'triggers'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const t = lines.find((x) => x.tokenId === ev.canary!.tokenId);
  assert.ok(t, `no DNS trigger: ${readFileSync(join(ns, 'err'), 'utf8')}`);
  assert.is(t.path, ev.path);
  assert.is(t.decky, ev.decky.name);
  assert.is(t.dns.name.toLowerCase(), ev.canary!.callback);
  assert.ok(t.dns.name.endsWith(ZONE));
});

test.run();
