// What a reader recognises as made up at a glance: the sample companies of vendor tutorials,
// films and sitcoms, and the reserved documentation domains (RFC 2606 / 6761). The organisation
// generator never produces them and `check` reports them in planted bytes.

// Matched case-insensitively as whole words.
export const SAMPLE_COMPANIES: readonly string[] = [
  'Acme', 'Globex', 'Initech', 'Northwind', 'Contoso', 'Fabrikam', 'Adventure Works', 'Wide World Importers',
  'Tailspin Toys', 'Woodgrove Bank', 'Litware', 'Proseware', 'Fourth Coffee', 'Alpine Ski House',
  'Umbrella Corp', 'Umbrella Corporation', 'Cyberdyne', 'Hooli', 'Pied Piper', 'Dunder Mifflin', 'Vandelay',
  'Wayne Enterprises', 'Stark Industries', 'Tyrell Corp', 'Soylent', 'Wonka', 'Massive Dynamic', 'Oscorp',
  'Weyland-Yutani', 'Buy n Large', 'Gringotts', 'Monsters Inc', 'Aperture Science', 'Black Mesa',
  'Sterling Cooper', 'Prestige Worldwide', 'Bluth Company', 'Los Pollos Hermanos', 'Wernham Hogg',
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s_-]?');
}

export const SAMPLE_COMPANY_RE = new RegExp(`\\b(?:${SAMPLE_COMPANIES.map(escapeRe).join('|')})\\b`, 'i');

/**
 * A host name on a reserved or documentation domain: example.com/.net/.org (and any
 * example.<tld>), or the reserved top-level domains .test, .invalid, .example, .localhost.
 */
export const RESERVED_HOST_RE = /(?:^|[^a-z0-9-])((?:[a-z0-9-]+\.)*(?:example\.[a-z]{2,}(?:\.[a-z]{2})?|[a-z0-9-]+\.(?:test|invalid|example|localhost)))(?![a-z0-9-])/i;

export function isReservedHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return /(?:^|\.)example\.[a-z]{2,}(?:\.[a-z]{2})?$/.test(h) || /(?:^|\.)example$/.test(h) || /\.(?:test|invalid|localhost)$/.test(h) || h === 'localhost';
}

export function isSampleCompany(name: string): boolean {
  return SAMPLE_COMPANY_RE.test(name);
}
