// Locale facts per persona (SPEC 13, issue 13 item 3): the country a persona lives in and what
// follows from it in the text people write there: phone prefix, currency, paper size and how a
// date is written. From a persona `locale` (BCP 47, such as "pl-PL"), else from its time zone.

export type DateStyle = 'dmy-slash' | 'dmy-dot' | 'mdy-slash' | 'ymd-dash' | 'dmy-dash';

export interface LocaleFacts {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** International dialling prefix, e.g. "+44". */
  phone: string;
  /** Digits of a national subscriber number after the prefix (grouped when written). */
  phoneGroups: readonly number[];
  /** ISO 4217 code and the symbol people write. */
  currency: string;
  currencySymbol: string;
  /** Whether the symbol goes after the amount ("120 zl", "85 EUR" style). */
  symbolAfter: boolean;
  paper: 'A4' | 'Letter';
  dateStyle: DateStyle;
  /** Top-level domain companies of that country commonly use. */
  tld: string;
  /** Legal-form suffixes of company names there. */
  legalForms: readonly string[];
}

const EU_DMY_DOT = { paper: 'A4', dateStyle: 'dmy-dot' } as const;

const TABLE: Record<string, Omit<LocaleFacts, 'country'>> = {
  GB: { phone: '+44', phoneGroups: [4, 6], currency: 'GBP', currencySymbol: '£', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'co.uk', legalForms: ['Ltd', 'Limited', 'plc', 'LLP'] },
  IE: { phone: '+353', phoneGroups: [2, 3, 4], currency: 'EUR', currencySymbol: '€', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'ie', legalForms: ['Ltd', 'DAC'] },
  US: { phone: '+1', phoneGroups: [3, 3, 4], currency: 'USD', currencySymbol: '$', symbolAfter: false, paper: 'Letter', dateStyle: 'mdy-slash', tld: 'com', legalForms: ['Inc.', 'LLC', 'Corp.'] },
  CA: { phone: '+1', phoneGroups: [3, 3, 4], currency: 'CAD', currencySymbol: '$', symbolAfter: false, paper: 'Letter', dateStyle: 'ymd-dash', tld: 'ca', legalForms: ['Inc.', 'Ltd.', 'Corp.'] },
  IN: { phone: '+91', phoneGroups: [5, 5], currency: 'INR', currencySymbol: '₹', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'co.in', legalForms: ['Pvt Ltd', 'Private Limited', 'LLP'] },
  PL: { phone: '+48', phoneGroups: [3, 3, 3], currency: 'PLN', currencySymbol: 'zł', symbolAfter: true, ...EU_DMY_DOT, tld: 'pl', legalForms: ['Sp. z o.o.', 'S.A.'] },
  DE: { phone: '+49', phoneGroups: [3, 7], currency: 'EUR', currencySymbol: '€', symbolAfter: true, ...EU_DMY_DOT, tld: 'de', legalForms: ['GmbH', 'AG', 'GmbH & Co. KG'] },
  AT: { phone: '+43', phoneGroups: [3, 6], currency: 'EUR', currencySymbol: '€', symbolAfter: true, ...EU_DMY_DOT, tld: 'at', legalForms: ['GmbH', 'AG'] },
  CH: { phone: '+41', phoneGroups: [2, 3, 2, 2], currency: 'CHF', currencySymbol: 'CHF', symbolAfter: false, ...EU_DMY_DOT, tld: 'ch', legalForms: ['AG', 'GmbH', 'SA'] },
  FR: { phone: '+33', phoneGroups: [1, 2, 2, 2, 2], currency: 'EUR', currencySymbol: '€', symbolAfter: true, paper: 'A4', dateStyle: 'dmy-slash', tld: 'fr', legalForms: ['SAS', 'SARL', 'SA'] },
  NL: { phone: '+31', phoneGroups: [2, 3, 4], currency: 'EUR', currencySymbol: '€', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-dash', tld: 'nl', legalForms: ['B.V.', 'N.V.'] },
  BE: { phone: '+32', phoneGroups: [3, 2, 2, 2], currency: 'EUR', currencySymbol: '€', symbolAfter: true, paper: 'A4', dateStyle: 'dmy-slash', tld: 'be', legalForms: ['BV', 'NV', 'SRL'] },
  ES: { phone: '+34', phoneGroups: [3, 3, 3], currency: 'EUR', currencySymbol: '€', symbolAfter: true, paper: 'A4', dateStyle: 'dmy-slash', tld: 'es', legalForms: ['S.L.', 'S.A.'] },
  PT: { phone: '+351', phoneGroups: [3, 3, 3], currency: 'EUR', currencySymbol: '€', symbolAfter: true, paper: 'A4', dateStyle: 'dmy-slash', tld: 'pt', legalForms: ['Lda.', 'S.A.'] },
  IT: { phone: '+39', phoneGroups: [3, 3, 4], currency: 'EUR', currencySymbol: '€', symbolAfter: true, paper: 'A4', dateStyle: 'dmy-slash', tld: 'it', legalForms: ['S.r.l.', 'S.p.A.'] },
  SE: { phone: '+46', phoneGroups: [2, 3, 2, 2], currency: 'SEK', currencySymbol: 'kr', symbolAfter: true, paper: 'A4', dateStyle: 'ymd-dash', tld: 'se', legalForms: ['AB'] },
  NO: { phone: '+47', phoneGroups: [3, 2, 3], currency: 'NOK', currencySymbol: 'kr', symbolAfter: true, ...EU_DMY_DOT, tld: 'no', legalForms: ['AS', 'ASA'] },
  DK: { phone: '+45', phoneGroups: [2, 2, 2, 2], currency: 'DKK', currencySymbol: 'kr.', symbolAfter: true, ...EU_DMY_DOT, tld: 'dk', legalForms: ['ApS', 'A/S'] },
  FI: { phone: '+358', phoneGroups: [2, 3, 4], currency: 'EUR', currencySymbol: '€', symbolAfter: true, ...EU_DMY_DOT, tld: 'fi', legalForms: ['Oy', 'Oyj'] },
  CZ: { phone: '+420', phoneGroups: [3, 3, 3], currency: 'CZK', currencySymbol: 'Kč', symbolAfter: true, ...EU_DMY_DOT, tld: 'cz', legalForms: ['s.r.o.', 'a.s.'] },
  BR: { phone: '+55', phoneGroups: [2, 5, 4], currency: 'BRL', currencySymbol: 'R$', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'com.br', legalForms: ['Ltda.', 'S.A.'] },
  MX: { phone: '+52', phoneGroups: [2, 4, 4], currency: 'MXN', currencySymbol: '$', symbolAfter: false, paper: 'Letter', dateStyle: 'dmy-slash', tld: 'com.mx', legalForms: ['S.A. de C.V.'] },
  AU: { phone: '+61', phoneGroups: [1, 4, 4], currency: 'AUD', currencySymbol: '$', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'com.au', legalForms: ['Pty Ltd'] },
  NZ: { phone: '+64', phoneGroups: [1, 3, 4], currency: 'NZD', currencySymbol: '$', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'co.nz', legalForms: ['Ltd', 'Limited'] },
  JP: { phone: '+81', phoneGroups: [2, 4, 4], currency: 'JPY', currencySymbol: '¥', symbolAfter: false, paper: 'A4', dateStyle: 'ymd-dash', tld: 'co.jp', legalForms: ['K.K.', 'G.K.'] },
  SG: { phone: '+65', phoneGroups: [4, 4], currency: 'SGD', currencySymbol: 'S$', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'com.sg', legalForms: ['Pte. Ltd.'] },
  ZA: { phone: '+27', phoneGroups: [2, 3, 4], currency: 'ZAR', currencySymbol: 'R', symbolAfter: false, paper: 'A4', dateStyle: 'ymd-dash', tld: 'co.za', legalForms: ['(Pty) Ltd'] },
  AE: { phone: '+971', phoneGroups: [2, 3, 4], currency: 'AED', currencySymbol: 'AED', symbolAfter: false, paper: 'A4', dateStyle: 'dmy-slash', tld: 'ae', legalForms: ['LLC', 'FZ-LLC'] },
};

// Time zone to country, for personas without a locale. Zones not listed fall back to the
// organisation's country (UTC and Etc/* have none).
const ZONES: Record<string, string> = {
  'Europe/London': 'GB', 'Europe/Belfast': 'GB', 'Europe/Dublin': 'IE', 'Europe/Warsaw': 'PL', 'Europe/Berlin': 'DE',
  'Europe/Vienna': 'AT', 'Europe/Zurich': 'CH', 'Europe/Paris': 'FR', 'Europe/Amsterdam': 'NL', 'Europe/Brussels': 'BE',
  'Europe/Madrid': 'ES', 'Atlantic/Canary': 'ES', 'Europe/Lisbon': 'PT', 'Europe/Rome': 'IT', 'Europe/Stockholm': 'SE',
  'Europe/Oslo': 'NO', 'Europe/Copenhagen': 'DK', 'Europe/Helsinki': 'FI', 'Europe/Prague': 'CZ',
  'Asia/Kolkata': 'IN', 'Asia/Calcutta': 'IN', 'Asia/Tokyo': 'JP', 'Asia/Singapore': 'SG', 'Asia/Dubai': 'AE',
  'America/New_York': 'US', 'America/Chicago': 'US', 'America/Denver': 'US', 'America/Los_Angeles': 'US',
  'America/Phoenix': 'US', 'America/Anchorage': 'US', 'Pacific/Honolulu': 'US', 'America/Detroit': 'US',
  'America/Toronto': 'CA', 'America/Vancouver': 'CA', 'America/Montreal': 'CA', 'America/Edmonton': 'CA',
  'America/Sao_Paulo': 'BR', 'America/Mexico_City': 'MX', 'Australia/Sydney': 'AU', 'Australia/Melbourne': 'AU',
  'Australia/Brisbane': 'AU', 'Australia/Perth': 'AU', 'Australia/Adelaide': 'AU', 'Pacific/Auckland': 'NZ',
  'Africa/Johannesburg': 'ZA',
};

export const KNOWN_COUNTRIES: readonly string[] = Object.keys(TABLE).sort();

/** The country of a BCP 47 locale's region subtag ("en-GB" gives GB), when we know it. */
export function countryOfLocale(locale: string): string | null {
  const m = /^[a-z]{2,3}(?:-[A-Za-z]{4})?-([A-Za-z]{2})\b/.exec(locale);
  if (!m) return null;
  const c = m[1]!.toUpperCase();
  return c in TABLE ? c : null;
}

export function countryOfZone(zone: string): string | null {
  return ZONES[zone] ?? null;
}

export function localeFacts(country: string): LocaleFacts {
  const t = TABLE[country] ?? TABLE.GB!;
  return { country: country in TABLE ? country : 'GB', ...t };
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** A YYYY-MM-DD date written the way people of that locale write it. */
export function formatDate(ymd: string, style: DateStyle): string {
  const y = ymd.slice(0, 4);
  const m = ymd.slice(5, 7);
  const d = ymd.slice(8, 10);
  switch (style) {
    case 'dmy-slash': return `${d}/${m}/${y}`;
    case 'dmy-dot': return `${d}.${m}.${y}`;
    case 'dmy-dash': return `${d}-${m}-${y}`;
    case 'mdy-slash': return `${m}/${d}/${y}`;
    default: return ymd;
  }
}

/** An amount with the locale's symbol on the side people put it. */
export function formatMoney(amount: number, f: LocaleFacts): string {
  const whole = Math.round(amount);
  const s = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, f.symbolAfter ? ' ' : ',');
  return f.symbolAfter ? `${s} ${f.currencySymbol}` : `${f.currencySymbol}${s}`;
}

/** A phone number from the locale's prefix and grouping; `digits` supplies the numbers. */
export function formatPhone(f: LocaleFacts, digit: () => number): string {
  const groups = f.phoneGroups.map((n, i) => {
    let s = '';
    // A subscriber number does not start with 0 once the prefix is written.
    for (let k = 0; k < n; k++) s += String(i === 0 && k === 0 ? 1 + (digit() % 9) : digit() % 10);
    return s;
  });
  return `${f.phone} ${groups.join(' ')}`;
}

/** Add days to a YYYY-MM-DD date (UTC calendar arithmetic, no clock). */
export function addDays(ymd: string, days: number): string {
  const ms = Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) + days * 86_400_000;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
