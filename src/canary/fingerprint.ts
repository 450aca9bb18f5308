// Fingerprint lures: an HTML page and an SVG drawing that each carry an inline beacon script.
// The script rebuilds the callback URL at run time from shuffled hex chunks XOR-ed with a seeded
// key stream, then requests it with a few browser traits (screen, time zone, language, user
// agent, page location). Identifiers, chunking, key and parameter names all come from the
// artifact's stream, so neither the slug nor the URL nor its host appears in the file.
import { between, int, pick, sample, token, type Rng } from '../rng/stream.js';
import { httpCallback } from './callback.js';
import { spreadAgeSeconds, basename, CITIES, COMPANIES, DEPARTMENTS, FORBIDDEN, INTERNAL_DOMAINS, docCandidates, personName, xmlEscape, htmlEscape, longDate } from './common.js';
import type { CanaryContext, CanarySpec } from './types.js';

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await', 'implements', 'interface',
  'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined', 'window', 'document', 'screen', 'navigator',
  'location', 'Image', 'Intl', 'Date', 'String', 'parseInt', 'encodeURIComponent', 'NaN', 'Infinity',
]);

/** Distinct JavaScript identifiers drawn from the stream. */
function identifiers(rng: Rng, n: number): string[] {
  const out = new Set<string>();
  const style = int(rng, 3);
  while (out.size < n) {
    let id: string;
    if (style === 0) id = '_' + token(rng, between(rng, 2, 4), 'abcdefghijklmnopqrstuvwxyz0123456789');
    else if (style === 1) id = token(rng, 1, 'abcdefghijklmnopqrstuvwxyz') + token(rng, between(rng, 1, 3), 'abcdefghijklmnopqrstuvwxyz0123456789');
    else id = '$' + token(rng, between(rng, 2, 3), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
    if (!RESERVED.has(id) && !FORBIDDEN.test(id)) out.add(id);
  }
  return [...out];
}

/** The obfuscated beacon: a self-contained script body (no surrounding tags). */
export function beaconScript(url: string, rng: Rng, scheme = 0, keyForm = 0): string {
  const [vChunks, vOrder, vKey, vDec, vStr, vOff, vRes, vI, vUrl, vPos, vJ, vNav, vScr, vQ, vAdd, vImg, vErr, vTz, vName, vVal] = identifiers(rng, 20) as [
    string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string,
  ];
  const k0 = between(rng, 1, 254);
  const k1 = 2 * between(rng, 3, 60) + 1;
  // The key stream's form, as JavaScript and as its value at position i.
  const ks = (ix: string): string =>
    keyForm === 0 ? `((${vKey}[0] + (${ix}) * ${vKey}[1]) & 255)` : keyForm === 1 ? `((${vKey}[0] ^ ((${ix}) * ${vKey}[1])) & 255)` : `((${vKey}[1] * ((${ix}) + ${vKey}[0])) & 255)`;
  const keyAt = (i: number): number => (keyForm === 0 ? (k0 + i * k1) & 255 : keyForm === 1 ? (k0 ^ (i * k1)) & 255 : (k1 * (i + k0)) & 255);
  const q = (s: string) => `'${s}'`;
  const build: string[] = [];
  if (scheme === 0) {
    // Hex chunks of the XOR-ed URL, stored shuffled, with the order to read them in.
    const chunks: string[] = [];
    let at = 0;
    while (at < url.length) {
      const len = Math.min(url.length - at, between(rng, 3, 7));
      let hexed = '';
      for (let i = 0; i < len; i++) hexed += ((url.charCodeAt(at + i) ^ keyAt(at + i)) & 255).toString(16).padStart(2, '0');
      chunks.push(hexed);
      at += len;
    }
    const perm = chunks.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = int(rng, i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const stored = perm.map((k) => chunks[k]!);
    const order: number[] = new Array<number>(chunks.length);
    perm.forEach((k, p) => {
      order[k] = p;
    });
    build.push(
      `  var ${vChunks} = [${stored.map(q).join(', ')}];`,
      `  var ${vOrder} = [${order.join(', ')}];`,
      `  var ${vKey} = [${k0}, ${k1}];`,
      `  function ${vDec}(${vStr}, ${vOff}) {`,
      `    var ${vRes} = '';`,
      `    for (var ${vI} = 0; ${vI} < ${vStr}.length; ${vI} += 2) {`,
      `      ${vRes} += String.fromCharCode(parseInt(${vStr}.substr(${vI}, 2), 16) ^ ${ks(`${vOff} + ${vI} / 2`)});`,
      '    }',
      `    return ${vRes};`,
      '  }',
      `  var ${vUrl} = '', ${vPos} = 0;`,
      `  for (var ${vJ} = 0; ${vJ} < ${vOrder}.length; ${vJ}++) {`,
      `    ${vUrl} += ${vDec}(${vChunks}[${vOrder}[${vJ}]], ${vPos});`,
      `    ${vPos} += ${vChunks}[${vOrder}[${vJ}]].length / 2;`,
      '  }',
    );
  } else if (scheme === 1) {
    // Decimal codes shifted by the key stream, stored back to front.
    const codes: number[] = [];
    for (let i = 0; i < url.length; i++) codes.push((url.charCodeAt(i) + keyAt(i)) & 255);
    codes.reverse();
    build.push(
      `  var ${vKey} = [${k0}, ${k1}], ${vChunks} = [${codes.join(',')}];`,
      `  var ${vUrl} = '';`,
      `  for (var ${vJ} = ${vChunks}.length - 1; ${vJ} >= 0; ${vJ}--) {`,
      `    var ${vI} = ${vChunks}.length - 1 - ${vJ};`,
      `    ${vUrl} += String.fromCharCode((${vChunks}[${vJ}] - ${ks(vI)}) & 255);`,
      '  }',
    );
  } else if (scheme === 2) {
    // Base-36 pairs of the XOR-ed bytes in named pieces, read in the order of a key list.
    let enc = '';
    for (let i = 0; i < url.length; i++) enc += ((url.charCodeAt(i) ^ keyAt(i)) & 255).toString(36).padStart(2, '0');
    const parts: string[] = [];
    for (let at = 0; at < enc.length; ) {
      const len = Math.min(enc.length - at, 2 * between(rng, 2, 6));
      parts.push(enc.slice(at, at + len));
      at += len;
    }
    const names = identifiers(rng, parts.length);
    const live: Array<[string, string]> = parts.map((p, i) => [names[i]!, p]);
    const shown = live.slice();
    for (let i = shown.length - 1; i > 0; i--) {
      const j = int(rng, i + 1);
      [shown[i], shown[j]] = [shown[j]!, shown[i]!];
    }
    build.push(
      `  var ${vChunks} = {${shown.map(([k, v]) => `${k}: ${q(v)}`).join(', ')}};`,
      `  var ${vOrder} = ${q(live.map(([k]) => k).join(','))}.split(',');`,
      `  var ${vKey} = [${k0}, ${k1}];`,
      `  var ${vStr} = '';`,
      `  for (var ${vJ} = 0; ${vJ} < ${vOrder}.length; ${vJ}++) ${vStr} += ${vChunks}[${vOrder}[${vJ}]];`,
      `  var ${vUrl} = '';`,
      `  for (var ${vI} = 0; ${vI} < ${vStr}.length / 2; ${vI}++) ${vUrl} += String.fromCharCode(parseInt(${vStr}.substr(2 * ${vI}, 2), 36) ^ ${ks(vI)});`,
    );
  } else {
    // A shuffled alphabet and shifted positions in it.
    const alpha: string[] = [];
    for (let c = 32; c < 127; c++) alpha.push(String.fromCharCode(c));
    for (let i = alpha.length - 1; i > 0; i--) {
      const j = int(rng, i + 1);
      [alpha[i], alpha[j]] = [alpha[j]!, alpha[i]!];
    }
    const lit = alpha.join('').replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/</g, '\\x3c').replace(/>/g, '\\x3e').replace(/&/g, '\\x26');
    const idx: number[] = [];
    for (let i = 0; i < url.length; i++) idx.push((alpha.indexOf(url[i]!) + keyAt(i)) % 95);
    build.push(
      `  var ${vRes} = '${lit}';`,
      `  var ${vKey} = [${k0}, ${k1}], ${vChunks} = [${idx.join(', ')}], ${vUrl} = '';`,
      `  ${vChunks}.forEach(function (${vVal}, ${vI}) { ${vUrl} += ${vRes}.charAt((${vVal} - ${ks(vI)} % 95 + 95) % 95); });`,
    );
  }

  const keys = sample(rng, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'x', 'z'], 7);
  const traits: Array<[string, string]> = [
    [keys[0]!, `${vScr}.width + 'x' + ${vScr}.height + 'x' + (${vScr}.colorDepth || 0)`],
    [keys[1]!, vTz],
    [keys[2]!, `new Date().getTimezoneOffset()`],
    [keys[3]!, `${vNav}.language || ''`],
    [keys[4]!, `${vNav}.platform || ''`],
    [keys[5]!, `${vNav}.userAgent || ''`],
    [keys[6]!, `(typeof location !== 'undefined' && location.href) || ''`],
  ];
  for (let i = traits.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    [traits[i], traits[j]] = [traits[j]!, traits[i]!];
  }

  const lines = [
    '(function () {',
    ...build,
    `  var ${vNav} = typeof navigator !== 'undefined' ? navigator : {};`,
    `  var ${vScr} = typeof screen !== 'undefined' ? screen : {};`,
    `  var ${vTz} = '';`,
    `  try { ${vTz} = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (${vErr}) {}`,
    `  var ${vQ} = [];`,
    `  function ${vAdd}(${vName}, ${vVal}) { ${vQ}.push(${vName} + '=' + encodeURIComponent(String(${vVal}))); }`,
    ...traits.map(([k, expr]) => `  ${vAdd}('${k}', ${expr});`),
    `  ${vUrl} += (${vUrl}.indexOf('?') < 0 ? '?' : '&') + ${vQ}.join('&');`,
    '  try {',
    `    var ${vImg} = new Image(1, 1);`,
    `    ${vImg}.src = ${vUrl};`,
    `  } catch (${vErr}) {`,
    '    try {',
    `      var ${vImg} = document.createElementNS('http://www.w3.org/2000/svg', 'image');`,
    `      ${vImg}.setAttributeNS('http://www.w3.org/1999/xlink', 'href', ${vUrl});`,
    `      document.documentElement.appendChild(${vImg});`,
    `    } catch (${vErr}) {}`,
    '  }',
    '})();',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTML page

/** The names of status pages (the rest of HTML_STEMS are pages of links). */
export const STATUS_STEM = /^(status|dashboard|service-status)/;
export const HTML_STEMS = ['status', 'dashboard', 'bookmarks', 'team-links', 'service-status', 'oncall-links', 'start-page'] as const;
const SERVICES = ['Mail', 'VPN', 'Intranet', 'File shares', 'Ticketing', 'Wiki', 'Payroll', 'CRM', 'Backups', 'Monitoring', 'Git', 'Build server', 'Printing', 'Phones'] as const;
const LINKS = [
  ['Wiki', 'wiki'], ['Ticketing', 'helpdesk'], ['Monitoring', 'grafana'], ['Alerts', 'alerts'], ['Git', 'git'], ['CI', 'ci'],
  ['Password vault', 'vault'], ['Backups', 'backup'], ['Firewall', 'fw01'], ['Hypervisor', 'esx01'], ['NAS', 'nas01'],
  ['Printers', 'print'], ['HR portal', 'hr'], ['Expenses', 'expenses'], ['Status page', 'status'], ['Logs', 'logs'],
] as const;

/** Which of the organisation's host roles (world/names.ts) a link stands for. */
const LINK_ROLES: Record<string, string> = { wiki: 'wiki', helpdesk: 'tickets', grafana: 'monitoring', git: 'git', ci: 'ci', backup: 'backup', nas01: 'nas', logs: 'logs' };

function htmlBody(ctx: CanaryContext, rng: Rng): { title: string; body: string[] } {
  // The organisation's company and internal domain when there is one (the draws stay, so the
  // rest of the page does not shift with it).
  const domain = ((d: string) => ctx.org?.internalDomain ?? d)(pick(rng, INTERNAL_DOMAINS));
  const company = ((c: string) => ctx.org?.name ?? c)(pick(rng, COMPANIES));
  const people = ctx.org?.colleagues ?? [];
  /** One of the organisation's people (the made-up name is drawn either way, so draws stay put). */
  const someone = (): string => {
    const drawn = personName(rng);
    return people.length > 0 ? people[Math.floor(rng() * people.length)]!.name : drawn;
  };
  const e = htmlEscape;
  const out: string[] = [];
  const stem = basename(ctx.path).toLowerCase();
  const statusPage = STATUS_STEM.test(stem) || (!/^(bookmarks|team-links|oncall-links|start-page)/.test(stem) && rng() < 0.5);
  if (statusPage) {
    const title = pick(rng, ['Service Status', 'Ops Dashboard', 'System Status', 'Platform Health']);
    out.push(`<h1>${e(title)}</h1>`);
    out.push(`<p class="meta">${e(company)} | updated ${e(longDate(ctx.mtimeMs))}</p>`);
    out.push('<table>');
    out.push('<tr><th>Service</th><th>State</th><th>Uptime (30d)</th><th>Owner</th></tr>');
    for (const s of sample(rng, SERVICES, between(rng, 6, 11))) {
      const state = pick(rng, ['Operational', 'Operational', 'Operational', 'Degraded', 'Maintenance']);
      out.push(`<tr><td>${e(s)}</td><td class="${state === 'Operational' ? 'ok' : 'warn'}">${state}</td><td>${between(rng, 97, 99)}.${between(rng, 10, 99)}%</td><td>${e(someone())}</td></tr>`);
    }
    out.push('</table>');
    return { title, body: out };
  }
  const title = pick(rng, ['Team Links', 'Bookmarks', 'Start Page', 'Useful Links']);
  out.push(`<h1>${e(title)}</h1>`);
  out.push(`<p class="meta">${e(pick(rng, DEPARTMENTS))} | ${e(company)}</p>`);
  out.push('<ul>');
  for (const [label, host] of sample(rng, LINKS, between(rng, 7, 12))) {
    // The organisation's own host for that job when it has one (its wiki may be `kb`, not `wiki`).
    const own = ctx.org?.hosts?.find((h) => h.role === LINK_ROLES[host]);
    out.push(`<li><a href="https://${own?.fqdn ?? `${host}.${domain}`}/">${e(label)}</a></li>`);
  }
  out.push('</ul>');
  out.push(`<p>${e(pick(rng, ['On-call phone', 'Service desk', 'Facilities']))}: ext. ${between(rng, 2000, 7999)}</p>`);
  return { title, body: out };
}

/** The same kind of page without its beacon (the homes' past): a status page, as its path must name one. */
export function generatePlainHtml(ctx: CanaryContext): string {
  return htmlPage(ctx, null);
}

export function generateFingerprintHtml(ctx: CanaryContext): string {
  return htmlPage(ctx, (rng) => beaconScript(ctx.callback, rng, ctx.style?.obfuscation ?? 0, ctx.style?.keyForm ?? 0));
}

function htmlPage(ctx: CanaryContext, beacon: ((rng: Rng) => string) | null): string {
  const rng = ctx.rng;
  const { title, body } = htmlBody(ctx, rng);
  const script = beacon === null ? null : beacon(rng);
  const accent = pick(rng, ['#1f4e79', '#2e5e4e', '#444', '#0b5394', '#6a329f']);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(title)}</title>`,
    '<style>',
    `  body { font-family: Arial, Helvetica, sans-serif; margin: 32px; color: #222; }`,
    `  h1 { color: ${accent}; font-size: 24px; }`,
    '  .meta { color: #777; font-size: 12px; }',
    '  table { border-collapse: collapse; min-width: 520px; }',
    '  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #ddd; }',
    '  .ok { color: #2a7a2a; } .warn { color: #b36b00; }',
    '  li { margin: 4px 0; }',
    '</style>',
    '</head>',
    '<body>',
    ...body,
    ...(script === null ? [] : ['<script>', script, '</script>']),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// SVG drawing

export const SVG_STEMS = ['topology', 'org-chart', 'rack-layout', 'network-diagram', 'server-room', 'vlan-map', 'team-structure'] as const;

export function svgDiagram(ctx: CanaryContext, rng: Rng): { title: string; width: number; height: number; shapes: string[] } {
  const e = xmlEscape;
  const shapes: string[] = [];
  const stem = basename(ctx.path).toLowerCase();
  const kind = /^(org-chart|team-structure)/.test(stem) ? 'org' : /^(rack-layout|server-room)/.test(stem) ? 'rack' : /^(topology|network-diagram|vlan-map)/.test(stem) ? 'network' : pick(rng, ['network', 'org', 'rack'] as const);
  const fill = pick(rng, ['#dbe8f5', '#e2efe0', '#f3e6d8', '#ece3f3', '#e8e8e8']);
  const stroke = pick(rng, ['#1f4e79', '#2e5e4e', '#7b3f00', '#5b2c6f', '#333333']);
  const box = (x: number, y: number, w: number, h: number, label: string, sub?: string) => {
    shapes.push(`  <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`);
    shapes.push(`  <text x="${x + w / 2}" y="${y + (sub ? h / 2 - 2 : h / 2 + 4)}" text-anchor="middle" font-size="12">${e(label)}</text>`);
    if (sub) shapes.push(`  <text x="${x + w / 2}" y="${y + h / 2 + 13}" text-anchor="middle" font-size="10" fill="#555">${e(sub)}</text>`);
  };
  const line = (x1: number, y1: number, x2: number, y2: number) => shapes.push(`  <line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${stroke}" stroke-width="1.2"/>`);

  if (kind === 'rack') {
    const title = `Rack ${pick(rng, ['A', 'B', 'C', 'D'])}${between(rng, 1, 9)} | ${pick(rng, CITIES)}`;
    const units = between(rng, 8, 14);
    const width = 360;
    const height = 70 + units * 30;
    shapes.push(`  <rect x="60" y="50" width="240" height="${units * 30 + 10}" fill="none" stroke="${stroke}" stroke-width="2"/>`);
    const devices = ['core-sw', 'fw', 'esx', 'nas', 'bak', 'db', 'ups', 'patch', 'kvm', 'web'];
    for (let u = 0; u < units; u++) {
      const name = `${pick(rng, devices)}${String(between(rng, 1, 9)).padStart(2, '0')}`;
      box(70, 55 + u * 30, 220, 26, name, `U${units - u}`);
    }
    return { title, width, height, shapes };
  }
  if (kind === 'org') {
    const title = `${pick(rng, DEPARTMENTS)} | ${pick(rng, ['Team Structure', 'Org Chart', 'Reporting Lines'])}`;
    const reports = between(rng, 3, 5);
    const width = 40 + reports * 170;
    const height = 330;
    const headX = width / 2 - 75;
    box(headX, 50, 150, 44, personName(rng), pick(rng, ['Director', 'Head of Department', 'VP']));
    for (let i = 0; i < reports; i++) {
      const x = 30 + i * 170;
      line(width / 2, 94, x + 75, 140);
      box(x, 140, 150, 44, personName(rng), pick(rng, ['Team Lead', 'Manager', 'Senior Engineer', 'Analyst', 'Coordinator']));
      if (rng() < 0.6) {
        line(x + 75, 184, x + 75, 230);
        box(x, 230, 150, 44, personName(rng), pick(rng, ['Engineer', 'Specialist', 'Assistant', 'Analyst']));
      }
    }
    return { title, width, height, shapes };
  }
  const domain = pick(rng, INTERNAL_DOMAINS);
  const title = `Network Topology | ${pick(rng, CITIES)} office`;
  const hosts = between(rng, 3, 6);
  const width = 60 + hosts * 140;
  const height = 380;
  box(width / 2 - 70, 40, 140, 40, 'Internet', `ISP ${pick(rng, ['A', 'B'])}`);
  line(width / 2, 80, width / 2, 110);
  box(width / 2 - 70, 110, 140, 40, `fw01.${domain}`, `10.${between(rng, 0, 20)}.0.1`);
  line(width / 2, 150, width / 2, 180);
  box(width / 2 - 70, 180, 140, 40, 'core-sw01', `VLAN ${between(rng, 10, 99)}`);
  const names = sample(rng, ['dc01', 'fs01', 'db01', 'web01', 'mail01', 'bak01', 'print01', 'mon01', 'vpn01'], hosts);
  names.forEach((n, i) => {
    const x = 30 + i * 140;
    line(width / 2, 220, x + 60, 280);
    box(x, 280, 120, 40, n, `10.${between(rng, 0, 20)}.${between(rng, 1, 9)}.${between(rng, 2, 250)}`);
  });
  return { title, width, height, shapes };
}

/** An SVG document of a drawing: the frame, title, shapes and date line, then `tail` lines. */
function svgDocument(ctx: CanaryContext, d: ReturnType<typeof svgDiagram>, xmlns: string, tail: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg ${xmlns} version="1.1" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}" font-family="Arial, Helvetica, sans-serif">`,
    `  <title>${xmlEscape(d.title)}</title>`,
    `  <rect x="0" y="0" width="${d.width}" height="${d.height}" fill="#ffffff"/>`,
    `  <text x="20" y="26" font-size="15" font-weight="bold">${xmlEscape(d.title)}</text>`,
    ...d.shapes,
    `  <text x="20" y="${d.height - 10}" font-size="9" fill="#888">${xmlEscape(longDate(ctx.mtimeMs))}</text>`,
    ...tail,
    '</svg>',
    '',
  ].join('\n');
}

/** The same kind of drawing without any script: an ordinary diagram a user saved (pre-history). */
export function generatePlainSvg(ctx: CanaryContext): string {
  return svgDocument(ctx, svgDiagram(ctx, ctx.rng), 'xmlns="http://www.w3.org/2000/svg"', []);
}

export function generateFingerprintSvg(ctx: CanaryContext): string {
  const rng = ctx.rng;
  const d = svgDiagram(ctx, rng);
  const script = beaconScript(ctx.callback, rng, ctx.style?.obfuscation ?? 0, ctx.style?.keyForm ?? 0);
  return svgDocument(ctx, d, 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"', ['  <script type="application/ecmascript"><![CDATA[', script, '  ]]></script>']);
}

export const fingerprintHtmlSpec: CanarySpec = {
  cls: 'canary_fingerprint_html',
  generator: 'fingerprint_html',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, HTML_STEMS, 'html', date, 4),
  ageSeconds: spreadAgeSeconds,
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'beacon', style, r),
  generate: generateFingerprintHtml,
};

export const fingerprintSvgSpec: CanarySpec = {
  cls: 'canary_fingerprint_svg',
  generator: 'fingerprint_svg',
  kind: 'http',
  mode: '0644',
  systemOwned: false,
  placements: (home, rng, date) => docCandidates(rng, `${home}/Documents`, SVG_STEMS, 'svg', date, 4),
  ageSeconds: spreadAgeSeconds,
  needs: 'http',
  callback: (slug, settings, style, r) => httpCallback(slug, settings, 'beacon', style, r),
  generate: generateFingerprintSvg,
};
