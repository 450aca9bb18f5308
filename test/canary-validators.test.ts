// Canary artifacts checked by the real tools an intruder (or a defender) would use on them:
// ssh-keygen, unzip, xmllint, python-docx, qpdf and git. A missing tool skips its check with a
// notice on a developer machine; with CI=true a missing tool fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markSkipped } from './helpers/skip.js';
import { execa } from 'execa';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildDocument } from '../src/canary/doc-content.js';
import { writePdf } from '../src/canary/honeydoc-pdf.js';
import { build, generateBytes } from './canary-fixtures.js';

const SEEDS = 20;
const CI = process.env.CI === 'true';
const dir = mkdtempSync(join(tmpdir(), 'lure-validate-'));
const checked: Record<string, number> = {};

async function have(tool: string, title: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await execa('which', [tool], { reject: false });
    if (r.exitCode === 0) return true;
    if (!CI) break;
    await new Promise((res) => setTimeout(res, 2000));
  }
  if (CI) assert.unreachable(`${tool} is required when CI=true`);
  markSkipped('canary-validators', title, `${tool} not found (install it, or set CI=true to make this fail)`);
  return false;
}

function write(name: string, data: Uint8Array | string, mode = 0o644): string {
  const p = join(dir, name);
  writeFileSync(p, data, { mode });
  chmodSync(p, mode);
  return p;
}

const count = (k: string) => {
  checked[k] = (checked[k] ?? 0) + 1;
};

test('ssh-keygen accepts and fingerprints the ssh_key lure', async () => {
  if (!(await have('ssh-keygen', 'ssh-keygen accepts and fingerprints the ssh_key lure'))) return;
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_ssh_key', i);
    const file = write(`id_ed25519_${i}`, generateBytes(b), 0o600);
    const pub = await execa('ssh-keygen', ['-y', '-f', file], { reject: false, stdin: 'ignore' });
    assert.is(pub.exitCode, 0, `ssh-keygen -y seed ${i}: ${pub.stderr}`);
    assert.match(pub.stdout, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}/);
    const fp = await execa('ssh-keygen', ['-l', '-f', file], { reject: false, stdin: 'ignore' });
    assert.is(fp.exitCode, 0, `ssh-keygen -l seed ${i}: ${fp.stderr}`);
    assert.match(fp.stdout, /^256 SHA256:[A-Za-z0-9+/]{43} .*\(ED25519\)$/);
    assert.ok(fp.stdout.includes(`@${b.ctx.callback} `), 'comment with the DNS name');
    count('ssh-keygen -y/-l');
  }
});

test('unzip -t and xmllint pass on every DOCX and its XML parts', async () => {
  const unzip = await have('unzip', 'unzip -t and xmllint pass on every DOCX and its XML parts');
  const xmllint = await have('xmllint', 'unzip -t and xmllint pass on every DOCX and its XML parts');
  for (let i = 0; i < SEEDS; i++) {
    const bytes = generateBytes(build('canary_honeydoc_docx', i));
    const file = write(`doc_${i}.docx`, bytes);
    if (unzip) {
      const r = await execa('unzip', ['-t', file], { reject: false });
      assert.is(r.exitCode, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /No errors detected/);
      count('unzip -t');
    }
    if (xmllint) {
      for (const [name, data] of Object.entries(unzipSync(bytes))) {
        const part = write(`doc_${i}_${name.replace(/[^A-Za-z0-9.]+/g, '_')}`, data);
        const r = await execa('xmllint', ['--noout', part], { reject: false });
        assert.is(r.exitCode, 0, `${name}: ${r.stderr}`);
        assert.is(r.stderr, '', `${name}: ${r.stderr}`);
        count('xmllint docx part');
      }
    }
  }
});

// python-docx (Debian's python3-docx), the library scripts use to read Word files: it resolves
// the package through [Content_Types].xml and the relationships, and loads our styles part.
const READ_DOCX = `
import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({
  'styles': [s.name for s in d.styles],
  'paragraphs': [[p.style.name, p.text] for p in d.paragraphs],
  'tables': [[t.style.name if t.style is not None else None, [c.text for c in t.rows[0].cells], len(t.rows)] for t in d.tables],
  'external': [[r.reltype, r.target_ref] for r in d.part.rels.values() if r.is_external],
  'header': [[p.style.name, [[r.reltype, r.target_ref] for r in d.sections[0].header.part.rels.values() if r.is_external]] for p in d.sections[0].header.paragraphs] if not d.sections[0].header.is_linked_to_previous else None,
  'title': d.core_properties.title, 'author': d.core_properties.author, 'revision': d.core_properties.revision,
}))
`;

test('python-docx reads every DOCX: styles, title, headings, table and the header\'s linked picture', async () => {
  const python = '/usr/bin/python3';
  const probe = await execa(python, ['-c', 'import docx'], { reject: false });
  if (probe.exitCode !== 0) {
    if (CI) assert.unreachable('python3-docx is required when CI=true');
    markSkipped('canary-validators', 'python-docx reads every DOCX: styles, title, headings, table and the header\'s linked picture', 'python3-docx not found (apt-get install python3-docx)');
    return;
  }
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_honeydoc_docx', i);
    const file = write(`read_${i}.docx`, generateBytes(b));
    const r = await execa(python, ['-c', READ_DOCX, file], { reject: false });
    assert.is(r.exitCode, 0, `seed ${i}: ${r.stderr}`);
    const d = JSON.parse(r.stdout) as { styles: string[]; paragraphs: Array<[string, string]>; tables: Array<[string | null, string[], number]>; external: Array<[string, string]>; header: Array<[string, Array<[string, string]>]> | null; title: string; author: string; revision: number };
    for (const s of ['Normal', 'Title', 'Heading 1', 'Table Grid']) assert.ok(d.styles.includes(s), `seed ${i}: style ${s} in ${d.styles}`);
    // Our styles part, not python-docx's built-in template (which it falls back to, with over 100 styles).
    assert.ok(d.styles.length < 12, `seed ${i}: ${d.styles.length} styles`);
    const titles = d.paragraphs.filter(([style]) => style === 'Title');
    assert.equal(titles.map(([, t]) => t), [d.title], `seed ${i}: one Title paragraph, the document title`);
    assert.is(d.paragraphs.filter(([style]) => style === 'Heading 1').length, 2, `seed ${i}: two headings`);
    assert.is(d.tables.length, 1);
    const [style, header, rows] = d.tables[0]!;
    assert.is(style, 'Table Grid');
    assert.ok(header.length >= 3 && header.every((h) => h.length > 0), `seed ${i}: header ${header}`);
    assert.ok(rows >= 2);
    assert.equal(d.external, [], `seed ${i}: nothing remote in the body`);
    assert.equal(d.header, [['Header', [['http://schemas.openxmlformats.org/officeDocument/2006/relationships/image', b.ctx.callback]]]], `seed ${i}: the header's picture`);
    assert.ok(d.author.length > 0 && d.revision >= 2, `seed ${i}: author ${d.author}, revision ${d.revision}`);
    count('python-docx read');
  }
});

test('xmllint accepts the fingerprint SVG', async () => {
  if (!(await have('xmllint', 'xmllint accepts the fingerprint SVG'))) return;
  for (let i = 0; i < SEEDS; i++) {
    const file = write(`drawing_${i}.svg`, generateBytes(build('canary_fingerprint_svg', i)));
    const r = await execa('xmllint', ['--noout', file], { reject: false });
    assert.is(r.exitCode, 0, r.stderr);
    assert.is(r.stderr, '', r.stderr);
    count('xmllint svg');
  }
});

test('qpdf --check passes on every PDF', async () => {
  if (!(await have('qpdf', 'qpdf --check passes on every PDF'))) return;
  for (let i = 0; i < SEEDS; i++) {
    const file = write(`report_${i}.pdf`, generateBytes(build('canary_honeydoc_pdf', i)));
    const r = await execa('qpdf', ['--check', file], { reject: false });
    assert.is(r.exitCode, 0, `seed ${i}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /No syntax or stream encoding errors found/);
    assert.not.match(r.stderr, /WARNING/);
    count('qpdf --check');
  }
});

test('pdffonts and pdfinfo (poppler) read every PDF as the ReportLab file it says it is', async () => {
  if (!(await have('pdffonts', 'pdffonts and pdfinfo read every PDF')) || !(await have('pdfinfo', 'pdffonts and pdfinfo read every PDF'))) return;
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_honeydoc_pdf', i);
    const bytes = generateBytes(b);
    const file = write(`fonts_${i}.pdf`, bytes);
    // The standard fonts ReportLab uses, not embedded (what its Producer implies), nothing else.
    const f = await execa('pdffonts', [file], { reject: false });
    assert.is(f.exitCode, 0, f.stderr);
    assert.is(f.stderr, '', f.stderr);
    const rows = f.stdout.split('\n').slice(2).filter((l) => l.trim() !== '');
    assert.equal(rows.map((l) => l.split(/\s+/).slice(0, 7).join(' ')).sort(), ['Helvetica Type 1 WinAnsi no no no', 'Helvetica-Bold Type 1 WinAnsi no no no']);
    const info = await execa('pdfinfo', [file], { reject: false });
    assert.is(info.exitCode, 0, info.stderr);
    assert.is(info.stderr, '', info.stderr);
    const field = (k: string) => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(info.stdout)?.[1];
    assert.is(field('Producer'), 'ReportLab PDF Library - www.reportlab.com');
    assert.is(field('PDF version'), '1.4');
    assert.ok(field('Title') && field('Title') !== '(anonymous)', 'titled');
    assert.is(field('CreationDate'), field('ModDate'));
    assert.match(field('Page size')!, /^(595\.276 x 841\.89 pts \(A4\)|612 x 792 pts \(letter\))$/);
    assert.is(Number(field('File size')!.split(' ')[0]), bytes.length);
    assert.is(field('Pages'), /\/Count (\d+)/.exec(Buffer.from(bytes).toString('latin1'))![1]);
    // The link a reader clicks goes to the callback.
    const urls = await execa('pdfinfo', ['-url', file], { reject: false });
    assert.is(urls.exitCode, 0, urls.stderr);
    assert.match(urls.stdout, new RegExp(`^\\s+1\\s+Annotation\\s+${b.ctx.callback.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    // The text is there to read (title and table heading).
    const t = await execa('pdftotext', [file, '-'], { reject: false });
    if (t.exitCode === 0) assert.ok(t.stdout.includes(/\/Title \(([^)]*)\)/.exec(Buffer.from(bytes).toString('latin1'))![1]!.replace(/\\(.)/g, '$1').slice(0, 20)), 'title in the text');
    count('pdffonts/pdfinfo');
  }
});

test('qpdf --check passes on a long report laid out over several pages', async () => {
  if (!(await have('qpdf', 'qpdf --check passes on a long report laid out over several pages'))) return;
  const b = build('canary_honeydoc_pdf', 5);
  const doc = buildDocument(b.ctx, 'Sam Example', 'example.com');
  const rows = doc.table.rows;
  doc.table.rows = Array.from({ length: 150 }, (_, i) => rows[i % rows.length]!.map((c) => `${c} (${i})`));
  doc.intro = [...doc.intro, ...doc.intro, ...doc.intro];
  const bytes = writePdf(doc, {
    title: doc.title, author: null, subject: null, creator: null, pageSize: 'A4', accent: [0.2, 0.3, 0.4], ref: 'DOC-TEST1',
    createdMs: b.ctx.mtimeMs, uri: b.ctx.callback, online: { lead: 'Online version:', label: 'view in browser' }, slug: b.ctx.slug,
  });
  const pages = Number(/\/Count (\d+)/.exec(Buffer.from(bytes).toString('latin1'))![1]);
  assert.ok(pages >= 3, `pages: ${pages}`);
  const r = await execa('qpdf', ['--check', write('long.pdf', bytes)], { reject: false });
  assert.is(r.exitCode, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No syntax or stream encoding errors found/);
  count('qpdf --check (multi-page)');
});

test('git config -f FILE --list parses the git_config lure', async () => {
  if (!(await have('git', 'git config -f FILE --list parses the git_config lure'))) return;
  for (let i = 0; i < SEEDS; i++) {
    const b = build('canary_git_config', i);
    const file = write(`config_${i}`, generateBytes(b));
    const r = await execa('git', ['config', '-f', file, '--list'], { reject: false, env: { GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    assert.is(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes(`remote.origin.url=${b.ctx.callback}`), r.stdout);
    assert.ok(lines.includes('remote.origin.fetch=+refs/heads/*:refs/remotes/origin/*'));
    assert.ok(lines.includes('core.bare=false'));
    assert.ok(lines.some((l) => /^branch\.(main|master)\.merge=refs\/heads\/(main|master)$/.test(l)));
    count('git config --list');
  }
});

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
  const total = Object.values(checked).reduce((a, v) => a + v, 0);
  console.log(`  validated ${total} checks: ${Object.entries(checked).map(([k, v]) => `${k} x${v}`).join(', ')}`);
});

test.run();
