// Canary generators: shape, placement, callback embedding, purity and stealth, over many seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import vm from 'node:vm';
import { unzipSync, unzlibSync } from 'fflate';
import type { CanaryClass } from '../src/inputs/types.js';
import { CANARY_SPECS } from '../src/canary/registry.js';
import { callbackStyle, drawSlug, slugCandidates } from '../src/canary/callback.js';
import { stream } from '../src/rng/stream.js';
import type { CanarySettings } from '../src/canary/types.js';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { ed25519PublicKey } from '../src/canary/ssh-key.js';
import { beaconScript } from '../src/canary/fingerprint.js';
import { ascii85Decode, ascii85Encode } from '../src/util/ascii85.js';
import { DEFAULT_FLEET_RAW } from '../src/inputs/defaults.js';
import { resolveInputs } from '../src/inputs/resolve.js';
import { buildOrganisation } from '../src/world/organisation.js';
import { build, CLASSES, generateBytes, SETTINGS, slugFor } from './canary-fixtures.js';

const SEEDS = 200;
const MAX_BODY = 64 * 1024;
const FORBIDDEN = /decnet|canary/i;
const DASHES = /[\u2013\u2014]/;

const EXPECTED: Record<CanaryClass, { kind: string; mode: string; generator: string; path: RegExp }> = {
  canary_aws_creds: { kind: 'aws_passive', mode: '0600', generator: 'aws_creds', path: /^\/home\/[a-z0-9]+\/\.aws\/credentials$/ },
  canary_env_file: { kind: 'http', mode: '0600', generator: 'env_file', path: /^\/home\/[a-z0-9]+\/[a-z0-9-]+\/\.env$/ },
  canary_git_config: { kind: 'http', mode: '0644', generator: 'git_config', path: /^\/home\/[a-z0-9]+\/[a-z0-9-]+\/\.git\/config$/ },
  canary_ssh_key: { kind: 'dns', mode: '0600', generator: 'ssh_key', path: /^\/home\/[a-z0-9]+\/\.ssh\/id_ed25519$/ },
  canary_honeydoc: { kind: 'http', mode: '0644', generator: 'honeydoc', path: /^\/home\/[a-z0-9]+\/Documents\/[a-z][a-z0-9_-]*\.html$/ },
  canary_honeydoc_docx: { kind: 'http', mode: '0644', generator: 'honeydoc_docx', path: /^\/home\/[a-z0-9]+\/Documents\/[A-Z][A-Za-z0-9_-]*\.docx$/ },
  canary_honeydoc_pdf: { kind: 'http', mode: '0644', generator: 'honeydoc_pdf', path: /^\/home\/[a-z0-9]+\/Documents\/[a-z][a-z0-9_-]*\.pdf$/ },
  canary_mysql_dump: { kind: 'dns', mode: '0600', generator: 'mysql_dump', path: /^\/var\/backups\/[a-z][a-z0-9_-]*\.sql$/ },
  canary_fingerprint_html: { kind: 'http', mode: '0644', generator: 'fingerprint_html', path: /^\/home\/[a-z0-9]+\/Documents\/[a-z][a-z0-9_-]*\.html$/ },
  canary_fingerprint_svg: { kind: 'http', mode: '0644', generator: 'fingerprint_svg', path: /^\/home\/[a-z0-9]+\/Documents\/[a-z][a-z0-9_-]*\.svg$/ },
};

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Raw streams of a PDF, inflated when Flate-encoded. */
function pdfStreams(bytes: Uint8Array): string[] {
  const text = latin1(bytes);
  const out: string[] = [];
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const len = Number(/\/Length (\d+)/.exec(m[1]!)![1]);
    const start = m.index + m[0].length;
    const data = bytes.subarray(start, start + len);
    assert.ok(text.startsWith('\nendstream', start + len) || text.startsWith('endstream', start + len), 'stream /Length is exact');
    let body: Uint8Array = data;
    if (/\/ASCII85Decode/.test(m[1]!)) body = ascii85Decode(latin1(body))!;
    if (/\/FlateDecode/.test(m[1]!)) body = unzlibSync(body);
    out.push(latin1(body));
  }
  return out;
}

function decodedBase64Runs(text: string): string[] {
  const out: string[] = [];
  for (const run of text.replace(/\r?\n(?=[A-Za-z0-9+/=])/g, '').match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    out.push(Buffer.from(run, 'base64').toString('latin1'));
  }
  return out;
}

/** Every view of a planted artifact that must be stealthy: raw bytes, inflated ZIP members,
 * decoded PDF streams and decoded base64 blobs. */
function views(cls: CanaryClass, bytes: Uint8Array): string[] {
  const out = [latin1(bytes), utf8(bytes)];
  if (cls === 'canary_honeydoc_docx') for (const data of Object.values(unzipSync(bytes))) out.push(utf8(data));
  if (cls === 'canary_honeydoc_pdf') out.push(...pdfStreams(bytes));
  for (const v of out.slice()) out.push(...decodedBase64Runs(v));
  return out;
}

function beaconOf(cls: CanaryClass, text: string): string {
  const m = cls === 'canary_fingerprint_svg' ? /<!\[CDATA\[([^]*?)\]\]>/.exec(text) : /<script>([^]*?)<\/script>/.exec(text);
  assert.ok(m, 'inline script present');
  return m![1]!;
}

/** Runs a beacon script against fake browser objects; returns the URLs it requested. */
function runBeacon(script: string): string[] {
  const requested: string[] = [];
  class FakeImage {
    set src(v: string) {
      requested.push(v);
    }
  }
  const sandbox = {
    navigator: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', language: 'en-GB', platform: 'Linux x86_64' },
    screen: { width: 1920, height: 1080, colorDepth: 24 },
    location: { href: 'file:///home/someone/Documents/page.html' },
    Image: FakeImage,
  };
  vm.runInNewContext(script, sandbox, { timeout: 1000 });
  return requested;
}

function sshBlob(text: string): Buffer {
  const body = text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

test('specs: kind, mode, generator name and system ownership', () => {
  for (const cls of CLASSES) {
    const spec = CANARY_SPECS[cls];
    const want = EXPECTED[cls];
    assert.is(spec.cls, cls);
    assert.is(spec.kind, want.kind, cls);
    assert.is(spec.mode, want.mode, cls);
    assert.is(spec.generator, want.generator, cls);
    assert.is(spec.systemOwned, cls === 'canary_mysql_dump', cls);
  }
});

test('placements: shape from the login, candidates, no long digit runs, nothing revealing', () => {
  for (const cls of CLASSES) {
    for (let i = 0; i < SEEDS; i++) {
      const b = build(cls, i);
      assert.ok(b.placements.length >= 1, cls);
      assert.match(b.placements[0]!, EXPECTED[cls].path, `${cls} ${b.placements[0]}`);
      assert.is(new Set(b.placements).size, b.placements.length, `${cls} distinct candidates`);
      for (const p of b.placements) {
        assert.ok(p.startsWith('/') && !p.includes('..') && !/[\u0000-\u001f]/.test(p), p);
        assert.not.match(basename(p), /\d{8}/, p);
        assert.not.match(p, FORBIDDEN, p);
        if (!CANARY_SPECS[cls].systemOwned) assert.ok(p.startsWith(`${b.home}/`), p);
        else assert.ok(p.startsWith('/var/backups/'), p);
      }
    }
  }
  assert.is(build('canary_aws_creds', 0).placements[0], '/home/johnsmith/.aws/credentials');
  assert.is(build('canary_ssh_key', 0).placements[0], '/home/johnsmith/.ssh/id_ed25519');
});

test('ages: credentials weeks, documents a day to 200 days (the homes\' spread), never negative', () => {
  for (const cls of CLASSES) {
    for (let i = 0; i < SEEDS; i++) {
      const b = build(cls, i);
      const ageDays = (b.ctx.atMs - b.ctx.mtimeMs) / 86_400_000;
      assert.ok(ageDays > 0, cls);
      if (cls === 'canary_aws_creds' || cls === 'canary_ssh_key' || cls === 'canary_git_config' || cls === 'canary_env_file') assert.ok(ageDays >= 7, `${cls} ${ageDays}`);
      if (cls.startsWith('canary_honeydoc') || cls.startsWith('canary_fingerprint')) assert.ok(ageDays >= 1 && ageDays <= 200, `${cls} ${ageDays}`);
    }
  }
});

test('callbacks: the slug is one whole [a-z0-9] run of the URL or DNS name; null without a base or zone', () => {
  for (let i = 0; i < 200; i++) {
    const style = callbackStyle(`dep-${i}`);
    const r = stream('cb', i);
    const s = drawSlug(r);
    assert.ok(/^[a-z][a-z0-9]{9,19}$/.test(s), s);
    for (const cls of CLASSES) {
      const spec = CANARY_SPECS[cls];
      const cb = spec.callback(s, SETTINGS, style, r, '/home/u/infra/.git/config')!;
      if (spec.needs === 'dns') {
        assert.ok(cb.endsWith(`.${SETTINGS.dnsZone}`) && /^[a-z0-9.-]+$/.test(cb), cb);
        assert.is(spec.callback(s, { ...SETTINGS, dnsZone: null }, style, r, '/x'), null);
      } else if (spec.needs === 'http') {
        assert.ok(cb.startsWith(`${SETTINGS.httpBase}/`), `${cls} ${cb}`);
        assert.not.ok(new URL(cb).pathname.includes('//'), cb);
        assert.is(spec.callback(s, { ...SETTINGS, httpBase: null }, style, r, '/x'), null);
      } else continue;
      const own = spec.needs === 'http' ? cb.slice(SETTINGS.httpBase!.length) : cb.slice(0, -SETTINGS.dnsZone!.length);
      assert.ok(slugCandidates(own).includes(s), `${cls} ${cb}`);
      assert.not.match(cb, FORBIDDEN);
    }
  }
});

test('every artifact: deterministic, bounded, stealthy, no dashes, slug-dependent', () => {
  for (const cls of CLASSES) {
    for (let i = 0; i < SEEDS; i++) {
      const a = generateBytes(build(cls, i));
      const again = generateBytes(build(cls, i));
      assert.ok(equalBytes(a, again), `${cls} seed ${i}: same input, same bytes`);
      assert.ok(a.length > 0 && a.length <= MAX_BODY, `${cls} seed ${i}: size ${a.length}`);
      for (const v of views(cls, a)) {
        assert.not.match(v, FORBIDDEN, `${cls} seed ${i}`);
        assert.not.match(v, DASHES, `${cls} seed ${i}`);
      }
      const texts =
        cls === 'canary_honeydoc_docx' ? Object.values(unzipSync(a)).map(utf8) : cls === 'canary_honeydoc_pdf' ? [...pdfStreams(a), latin1(a).replace(/stream\n[^]*?endstream/g, '')] : [utf8(a)];
      for (const text of texts) assert.not.match(text, /(?<!['"])undefined|\[object |(^|[^A-Za-z0-9/+.$])NaN([^A-Za-z0-9/+.]|$)/, `${cls} seed ${i}: template hole`);
      const other = generateBytes(build(cls, i, { slug: slugFor(i + 10_000) }));
      assert.not.ok(equalBytes(a, other), `${cls} seed ${i}: a different slug changes the artifact`);
    }
  }
});

test('generators take the slug and settings as given', () => {
  const settings: CanarySettings = { httpBase: 'http://files.internal.example.org:8443/static/v2', dnsZone: 'res.example.org', awsKeys: [] };
  const s = 'zz00aa11bb22cc33';
  for (const cls of CLASSES) {
    const b = build(cls, 3, { slug: s, settings });
    const cb = b.ctx.callback;
    const bytes = generateBytes(b);
    const all = views(cls, bytes).join('\n');
    if (cls === 'canary_aws_creds') continue;
    if (cls === 'canary_fingerprint_html' || cls === 'canary_fingerprint_svg') {
      const urls = runBeacon(beaconOf(cls, utf8(bytes)));
      assert.ok(urls[0]!.startsWith(cb.includes('?') ? `${cb}&` : `${cb}?`), urls[0]);
      continue;
    }
    assert.ok(all.includes(cb), `${cls} carries ${cb}`);
  }
});

test('aws_creds: INI profiles with well-formed key pairs', () => {
  const ids = new Set<string>();
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_aws_creds', i);
    const text = utf8(generateBytes(b));
    const sections = [...text.matchAll(/^\[([a-z0-9-]+)\]$/gm)].map((m) => m[1]);
    assert.ok(sections.length >= 2, 'several profiles');
    assert.is(sections[0], 'default');
    const keyIds = [...text.matchAll(/^aws_access_key_id = (.*)$/gm)].map((m) => m[1]!);
    const secrets = [...text.matchAll(/^aws_secret_access_key = (.*)$/gm)].map((m) => m[1]!);
    assert.is(keyIds.length, sections.length);
    assert.is(secrets.length, sections.length);
    for (const k of keyIds) {
      assert.match(k, /^AKIA[A-Z2-7]{16}$/);
      ids.add(k);
    }
    for (const s of secrets) assert.match(s, /^[A-Za-z0-9/+]{40}$/);
    for (const line of text.split('\n')) assert.ok(line === '' || /^(\[[a-z0-9-]+\]|#.*|[a-z_]+ = \S+)$/.test(line), line);
    assert.not.ok(text.includes(b.ctx.slug), 'aws_passive: slug not in plain text');
  }
  assert.ok(ids.size > SEEDS * 2, 'key ids vary');
});

test('env_file: dotenv lines, the callback as a service URL', () => {
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_env_file', i);
    const text = utf8(generateBytes(b));
    for (const line of text.split('\n')) assert.ok(line === '' || /^(#.*|[A-Z][A-Z0-9_]*=\S*)$/.test(line), line);
    assert.match(text, new RegExp(`^[A-Z_]+_URL=${b.ctx.callback.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    assert.match(text, /^DATABASE_URL=(postgres|mysql):\/\//m);
  }
});

test('git_config: core, origin remote at the callback, tracking branch', () => {
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_git_config', i);
    const text = utf8(generateBytes(b));
    assert.ok(text.startsWith('[core]\n'));
    assert.ok(text.includes(`[remote "origin"]\n\turl = ${b.ctx.callback}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`));
    assert.match(text, /\[branch "(main|master)"\]\n\tremote = origin\n\tmerge = refs\/heads\/(main|master)\n/);
  }
});

test('ssh_key: openssh-key-v1 structure, check ints, DNS name in the comment', () => {
  const pubs = new Set<string>();
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_ssh_key', i);
    const text = utf8(generateBytes(b));
    assert.ok(text.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n'));
    assert.ok(text.endsWith('-----END OPENSSH PRIVATE KEY-----\n'));
    for (const line of text.split('\n').slice(1, -2)) assert.ok(line.length <= 70);
    assert.not.ok(text.includes(b.ctx.callback), 'DNS name is inside the key, not in the armour');
    const blob = sshBlob(text);
    assert.is(blob.subarray(0, 15).toString('latin1'), 'openssh-key-v1\u0000');
    let off = 15;
    const str = () => {
      const n = blob.readUInt32BE(off);
      const s = blob.subarray(off + 4, off + 4 + n);
      off += 4 + n;
      return s;
    };
    assert.is(str().toString(), 'none');
    assert.is(str().toString(), 'none');
    assert.is(str().length, 0);
    assert.is(blob.readUInt32BE(off), 1);
    off += 4;
    const pub = str();
    const priv = str();
    assert.is(off, blob.length);
    assert.is(priv.length % 8, 0);
    assert.is(priv.readUInt32BE(0), priv.readUInt32BE(4), 'check ints match');
    const pubKey = pub.subarray(pub.length - 32);
    pubs.add(pubKey.toString('hex'));
    const comment = `${b.ctx.owner.login}@${b.ctx.callback}`;
    assert.ok(priv.includes(Buffer.from(comment)), 'comment holds the DNS name');
    assert.ok(priv.includes(pubKey));
  }
  assert.is(pubs.size, SEEDS, 'keys differ between seeds');
});

test('ssh_key: ed25519 public keys match RFC 8032 and the PKCS#8 route, first call or later', () => {
  // RFC 8032 section 7.1, test 1.
  const rfc = ed25519PublicKey(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
  assert.is(rfc.toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  for (let i = 0; i < 50; i++) {
    const seed = createHash('sha256').update(`seed-${i}`).digest();
    const spki = createPublicKey(createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
    assert.is(ed25519PublicKey(seed).toString('hex'), spki.subarray(spki.length - 32).toString('hex'));
  }
});

test('honeydoc: HTML report with a 1x1 remote image at the callback', () => {
  const titles = new Set<string>();
  const names = new Set<string>();
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_honeydoc', i);
    const text = utf8(generateBytes(b));
    assert.ok(text.startsWith('<!DOCTYPE html>'));
    assert.ok(text.includes(`<img src="${b.ctx.callback}" width="1" height="1"`));
    assert.ok(text.includes('<table>') && text.includes('</html>'));
    titles.add(/<title>([^<]*)<\/title>/.exec(text)![1]!);
    names.add(basename(b.ctx.path));
  }
  assert.ok(titles.size >= 20, `titles vary (${titles.size})`);
  assert.ok(names.size >= 20, `names vary (${names.size})`);
});

test('honeydoc_docx: fixed entry order and stamps; the remote logo in the page header at a logo\'s size, linked through the header\'s external image relationship; Word\'s namespaces; TZ independent', () => {
  const order = [
    '[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'word/header1.xml', 'word/_rels/header1.xml.rels',
    'word/theme/theme1.xml', 'word/settings.xml', 'word/styles.xml', 'word/webSettings.xml', 'word/fontTable.xml',
    'docProps/core.xml', 'docProps/app.xml',
  ];
  // The namespaces Word 2013 and later declare on a story part's root, in its order.
  const wordNs = ['wpc', 'mc', 'o', 'r', 'm', 'v', 'wp14', 'wp', 'w10', 'w', 'w14', 'w15', 'wpg', 'wpi', 'wne', 'wps'];
  const rootNs = (xml: string, tag: string) => [...new RegExp(`<w:${tag} ([^>]*)>`).exec(xml)![1]!.matchAll(/xmlns:([a-z0-9]+)=/g)].map((m) => m[1]);
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_honeydoc_docx', i);
    const bytes = generateBytes(b);
    const files = unzipSync(bytes);
    assert.equal(Object.keys(files), order);
    // Every local header: DOS time 00:00:00, date 1980-01-01.
    const buf = Buffer.from(bytes);
    let headers = 0;
    for (let at = buf.indexOf('PK\u0003\u0004', 0, 'latin1'); at >= 0; at = buf.indexOf('PK\u0003\u0004', at + 4, 'latin1')) {
      assert.is(buf.readUInt16LE(at + 10), 0);
      assert.is(buf.readUInt16LE(at + 12), 0x21);
      headers++;
    }
    assert.ok(headers >= order.length);
    // document -> header part -> external picture.
    const docRels = utf8(files['word/_rels/document.xml.rels']!);
    assert.not.match(docRels, /TargetMode="External"/, 'the body links nothing remote');
    const h = /<Relationship Id="(rId\d+)" Type="[^"]+\/header" Target="header1.xml"\/>/.exec(docRels);
    assert.ok(h, 'header relationship');
    const doc = utf8(files['word/document.xml']!);
    assert.ok(doc.includes(`<w:sectPr><w:headerReference w:type="default" r:id="${h![1]}"/>`), 'the section uses the header');
    assert.not.ok(doc.includes('<w:drawing>'), 'no picture in the body');
    const rels = utf8(files['word/_rels/header1.xml.rels']!);
    const m = /<Relationship Id="(rId\d+)" Type="[^"]+\/image" Target="([^"]+)" TargetMode="External"\/>/.exec(rels);
    assert.ok(m, 'external image relationship');
    assert.is(m![2], b.ctx.callback.replace(/&/g, '&amp;'));
    const hdr = utf8(files['word/header1.xml']!);
    assert.ok(hdr.includes(`<a:blip r:link="${m![1]}">`));
    assert.match(hdr, /<wp:docPr id="\d+" name="Picture \d+"\/>/);
    assert.match(hdr, /<w:pStyle w:val="Header"\/>/);
    assert.match(utf8(files['word/styles.xml']!), /<w:style w:type="paragraph" w:styleId="Header">/);
    assert.match(utf8(files['[Content_Types].xml']!), /<Override PartName="\/word\/header1.xml" ContentType="[^"]+wordprocessingml.header\+xml"\/>/);
    // A logo's size: 110 to 220 px wide at 96 dpi, wider than tall (never the 1x1 beacon).
    const ext = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(hdr)!;
    const [cx, cy] = [Number(ext[1]) / 9525, Number(ext[2]) / 9525];
    assert.ok(cx >= 110 && cx <= 220 && cy >= 20 && cy < cx, `${cx}x${cy} px`);
    assert.equal(rootNs(doc, 'document'), wordNs);
    assert.equal(rootNs(hdr, 'hdr'), wordNs);
    assert.match(doc, /mc:Ignorable="w14 w15 wp14">/);
    assert.match(utf8(files['docProps/core.xml']!), /<dcterms:modified xsi:type="dcterms:W3CDTF">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/dcterms:modified>/);
  }
  // An ordinary document (no callback): no header part, nothing remote.
  const plain = build('canary_honeydoc_docx', 3);
  const ordinary = unzipSync(generateBytes({ ...plain, ctx: { ...plain.ctx, callback: '' } }));
  assert.not.ok('word/header1.xml' in ordinary);
  assert.not.match(utf8(ordinary['word/_rels/document.xml.rels']!), /External|header/);
  const saved = process.env.TZ;
  try {
    process.env.TZ = 'UTC';
    const utc = generateBytes(build('canary_honeydoc_docx', 7));
    process.env.TZ = 'Pacific/Kiritimati';
    const far = generateBytes(build('canary_honeydoc_docx', 7));
    process.env.TZ = 'America/Los_Angeles';
    const west = generateBytes(build('canary_honeydoc_docx', 7));
    assert.ok(equalBytes(utc, far) && equalBytes(utc, west), 'bytes do not depend on the time zone');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test('ascii85: round trip over lengths 0 to 40, all-zero groups as z, the end marker', () => {
  const r = stream('a85-test');
  for (let n = 0; n <= 40; n++) {
    const data = new Uint8Array(n);
    for (let k = 0; k < n; k++) data[k] = r() < 0.2 ? 0 : Math.floor(r() * 256);
    const text = ascii85Encode(data);
    assert.ok(text.endsWith('~>'));
    assert.match(text.slice(0, -2), /^[!-uz]*$/);
    assert.equal([...ascii85Decode(text)!], [...data], `length ${n}`);
  }
  assert.is(ascii85Encode(new Uint8Array(8)), 'zz~>');
  // The example every description of the format uses.
  assert.is(ascii85Encode(Buffer.from('Man ')), '9jqo^~>');
  assert.is(ascii85Decode('9jqo^~>') && Buffer.from(ascii85Decode('9jqo^~>')!).toString(), 'Man ');
  assert.is(ascii85Decode('abc{'), null, 'a character outside the alphabet');
});

test('honeydoc_pdf: laid out as ReportLab writes a file (object order, sorted dictionaries, A85+Flate streams), URI open action and link, xref offsets, slug-derived /ID', () => {
  const sizes = new Set<string>();
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_honeydoc_pdf', i);
    const bytes = generateBytes(b);
    const text = latin1(bytes);
    assert.ok(text.startsWith('%PDF-1.4\n%\x93\x8c\x8b\x9e ReportLab Generated PDF document http://www.reportlab.com\n'));
    assert.ok(text.endsWith('%%EOF\n'));
    // Object 1 is the font resource dictionary, 2 and 3 the standard fonts, never embedded.
    assert.ok(text.includes('1 0 obj\n<<\n/F1 2 0 R /F2 3 0 R\n>>\nendobj\n'));
    assert.ok(text.includes('2 0 obj\n<<\n/BaseFont /Helvetica /Encoding /WinAnsiEncoding /Name /F1 /Subtype /Type1 /Type /Font\n>>'));
    assert.ok(text.includes('3 0 obj\n<<\n/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding /Name /F2 /Subtype /Type1 /Type /Font\n>>'));
    assert.not.match(text, /FontFile|FontDescriptor|TrueType|CIDFont/);
    const action = `<<\n/S /URI /Type /Action /URI (${b.ctx.callback})\n>>`;
    assert.ok(text.includes(`<<\n/OpenAction ${action} /PageMode /UseNone /Pages `), 'catalog with the open action');
    assert.match(text, new RegExp(`<<\\n/A ${action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} /Border \\[ 0 0 0 \\] /Rect \\[ [\\d. ]+ \\] /Subtype /Link /Type /Annot\\n>>`), 'a link annotation to the callback');
    const info = /\/Author \(([^)]*|\\\(anonymous\\\))\) \/CreationDate \((D:\d{14}\+00'00')\) \/Creator \([^\n]*\) \/Keywords \(\) \/ModDate \((D:\d{14}\+00'00')\) \/Producer \(ReportLab PDF Library - www\.reportlab\.com\) \n  \/Subject \([^\n]*\) \/Title \([^\n]+\) \/Trapped \/False\n>>/.exec(text);
    assert.ok(info, 'Info dictionary as ReportLab writes it');
    assert.is(info![2], info![3], 'one generation time');
    const box = /\/MediaBox \[ 0 0 ([\d.]+ [\d.]+) \]/.exec(text)![1]!;
    assert.ok(box === '595.2756 841.8898' || box === '612 792', box);
    sizes.add(box);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    assert.ok(text.startsWith('xref\n', startxref));
    const xm = /^xref\n0 (\d+)\n/.exec(text.slice(startxref))!;
    const count = Number(xm[1]);
    const table = text.slice(startxref + xm[0].length).split('\n').slice(0, count);
    assert.is(table[0], '0000000000 65535 f ');
    const kinds: string[] = [];
    for (let n = 1; n < count; n++) {
      const off = Number(table[n]!.slice(0, 10));
      assert.ok(text.startsWith(`${n} 0 obj\n<<\n`, off), `object ${n} at ${off}`);
      const body = text.slice(off, text.indexOf('\nendobj\n', off));
      kinds.push(/\/Type \/(\w+)\n>>(\nstream|$)/.exec(body.replace(/\nstream\n[^]*$/, ''))?.[1] ?? (body.includes('\nstream\n') ? 'stream' : 'dict'));
    }
    // ReportLab's order: resources, fonts, (annotations and) pages, catalog, Info, page tree, streams.
    const order = kinds.join(' ');
    assert.match(order, /^dict Font Font (Annot )?Page( (Annot )?Page)* Catalog dict Pages( stream)+$/, order);
    const trailer = new RegExp(`trailer\\n<<\\n/ID \\n\\[<([0-9a-f]{32})><([0-9a-f]{32})>\\]\\n% ReportLab generated PDF document -- digest \\(http://www\\.reportlab\\.com\\)\\n\\n/Info \\d+ 0 R\\n/Root \\d+ 0 R\\n/Size ${count}\\n>>\\nstartxref\\n`).exec(text);
    assert.ok(trailer, 'trailer');
    assert.is(trailer![1], trailer![2]);
    assert.match(text, /<<\n\/Filter \[ \/ASCII85Decode \/FlateDecode \] \/Length \d+\n>>\nstream\n[!-uz]+~>endstream/);
    const streams = pdfStreams(bytes);
    assert.ok(streams.length >= 1 && streams.every((s) => s.startsWith('BT /F1 12 Tf 14.4 TL ET\n') && / Tm \(.+\) Tj T\* ET\n/.test(s)));
    assert.ok(bytes.length > 2000 && bytes.length < 40_000, `size ${bytes.length}`);
  }
  assert.ok(sizes.size === 2, 'both page sizes occur');
  // /ID follows the slug, not the time or the stream.
  const a = latin1(generateBytes(build('canary_honeydoc_pdf', 1, { slug: 'abcabcabcabcabc1' })));
  const b2 = latin1(generateBytes(build('canary_honeydoc_pdf', 2, { slug: 'abcabcabcabcabc1' })));
  assert.is(/\/ID \n\[<(\w+)>/.exec(a)![1], /\/ID \n\[<(\w+)>/.exec(b2)![1]);
});

test('office lures draw on the organisation: the PDF and HTML reports name its company', () => {
  const inputs = resolveInputs({ fleet: { file: 'f.json', data: DEFAULT_FLEET_RAW } }).inputs;
  let named = 0;
  for (let i = 0; i < 12; i++) {
    const org = buildOrganisation(`org-lure-${i}`, inputs);
    const b = build('canary_honeydoc_pdf', i);
    b.ctx.org = org;
    const text = pdfStreams(generateBytes(b)).join('\n') + latin1(generateBytes(b));
    const company = org.name.replace(/[()\\]/g, '\\$&');
    if (text.includes(company)) named++;
    const drawnAlone = build('canary_honeydoc_pdf', i);
    assert.not.ok(equalBytes(generateBytes(b), generateBytes(drawnAlone)), 'the organisation changes the document');
    const html = build('canary_honeydoc', i);
    html.ctx.org = org;
    assert.ok(utf8(generateBytes(html)).includes(org.name.replace(/&/g, '&amp;')), `html names ${org.name}`);
  }
  assert.is(named, 12, 'every PDF names the organisation');
});

test('mysql_dump: dump-shaped, replication trap host only in base64', () => {
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_mysql_dump', i);
    const text = utf8(generateBytes(b));
    assert.match(text, /^(-- MySQL dump 10\.13  Distrib 8\.0\.\d+, for Linux \(x86_64\)|-- MariaDB dump 10\.19  Distrib 10\.\d+\.\d+-MariaDB, for debian-linux-gnu \(x86_64\))\n/);
    assert.match(text, /\nCREATE TABLE `[a-z_]+` \(\n/);
    assert.match(text, /\nINSERT INTO `[a-z_]+` VALUES \(1,/);
    assert.match(text, /\n-- Dump completed on \d{4}-\d\d-\d\d [ \d]\d:\d\d:\d\d\n$/);
    assert.ok(text.includes("CONCAT('CHANGE MASTER TO MASTER_HOST='''"));
    assert.ok(text.includes('\nSTART SLAVE;\n'));
    assert.not.ok(text.includes(b.ctx.callback), 'host not in plain text');
    assert.not.ok(text.includes(b.ctx.slug), 'slug not in plain text');
    const m = /FROM_BASE64\('([A-Za-z0-9+/=]+)'\)/.exec(text);
    assert.ok(m, 'FROM_BASE64 payload');
    assert.is(Buffer.from(m![1]!, 'base64').toString('utf8'), b.ctx.callback);
    const db = /Database: ([a-z]+)/.exec(text)![1]!;
    assert.ok(basename(b.ctx.path).startsWith(db), `${db} named in ${b.ctx.path}`);
  }
});

for (const cls of ['canary_fingerprint_html', 'canary_fingerprint_svg'] as const) {
  test(`${cls}: obfuscated beacon rebuilds the callback and reports traits`, () => {
    const scripts = new Set<string>();
    for (let i = 0; i < SEEDS; i++) {
      const b = build(cls, i);
      const text = utf8(generateBytes(b));
      const host = new URL(b.ctx.settings.httpBase!).host;
      for (const secret of [b.ctx.slug, b.ctx.callback, b.ctx.settings.httpBase, host]) assert.not.ok(text.toLowerCase().includes(secret!.toLowerCase()), `${cls} ${i} leaks ${secret}`);
      const script = beaconOf(cls, text);
      scripts.add(script);
      const urls = runBeacon(script);
      assert.is(urls.length, 1);
      const u = new URL(urls[0]!);
      // The callback (its own query included) comes first; the traits follow it.
      assert.ok(urls[0]!.startsWith(b.ctx.callback + (b.ctx.callback.includes('?') ? '&' : '?')), urls[0]);
      const values = [...u.searchParams.values()];
      assert.ok(values.includes('1920x1080x24'), 'screen size');
      assert.ok(values.includes('Mozilla/5.0 (X11; Linux x86_64)'), 'user agent');
      assert.ok(values.some((v) => /^[A-Za-z_]+\/[A-Za-z_]+|^UTC$|^Etc\//.test(v)), 'time zone');
      if (cls === 'canary_fingerprint_svg') {
        assert.ok(text.startsWith('<?xml version="1.0"'));
        assert.ok(text.includes('<svg xmlns="http://www.w3.org/2000/svg"'));
      } else {
        assert.ok(text.startsWith('<!DOCTYPE html>') && text.includes('</html>'));
        assert.not.ok(script.includes('</script'));
      }
    }
    assert.is(scripts.size, SEEDS, 'every script is different');
  });
}

test('document names and contents vary from seed to seed', () => {
  for (const cls of ['canary_honeydoc_docx', 'canary_honeydoc_pdf', 'canary_fingerprint_html', 'canary_fingerprint_svg', 'canary_mysql_dump', 'canary_env_file', 'canary_git_config'] as const) {
    const names = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < SEEDS; i++) {
      const b = build(cls, i);
      names.add(b.ctx.path);
      bodies.add(Buffer.from(generateBytes(b)).toString('hex'));
    }
    assert.ok(names.size >= 6, `${cls} names vary (${names.size})`);
    assert.is(bodies.size, SEEDS, `${cls} bodies differ`);
  }
});


test('beacon obfuscation: every scheme and key form rebuilds the URL, and none shows it', () => {
  const url = 'https://cdn.harbourline-cdn.net/s/collect/c.gif?sid=k3x9q0w8e7r6t5y4&rev=3';
  const shapes = new Set<string>();
  for (let scheme = 0; scheme < 4; scheme++) {
    for (let form = 0; form < 3; form++) {
      for (let i = 0; i < 5; i++) {
        const script = beaconScript(url, stream('obf', scheme, form, i), scheme, form);
        assert.not.ok(script.includes('harbourline') || script.includes('k3x9q0w8e7r6t5y4'), `scheme ${scheme} form ${form} shows the URL`);
        const urls = runBeacon(script);
        assert.is(urls.length, 1);
        assert.ok(urls[0]!.startsWith(`${url}&`), `scheme ${scheme} form ${form}: ${urls[0]}`);
        shapes.add(script.split('\n').slice(1, 4).map((l) => l.replace(/[$_a-z0-9]+/gi, 'x').replace(/x( x)+/g, 'x')).join('|'));
      }
    }
  }
  assert.ok(shapes.size >= 4, `${shapes.size} distinct decoder layouts`);
});

test.run();
