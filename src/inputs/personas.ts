// Persona validation (SPEC 2.2). Persona files of the Python original (snake_case keys, extra
// fields such as `tone`) load unchanged; extra keys are ignored, malformed known keys are errors.
import { IANAZone } from 'luxon';
import { InputError, fieldError } from '../errors.js';
import { deriveLogin, LOGIN_PATTERN, SUSPECT_LOGINS } from '../realism/login.js';
import { holidayCountries } from '../world/calendar.js';
import type { Persona, Weekday } from './types.js';
import { WEEKDAYS } from './types.js';
import { expectArray, expectObject, expectString, isObject, optionalString } from './validate.js';

const LOCALE_PATTERN = /^[a-z]{2,3}(?:[-_][A-Z][a-z]{3})?(?:[-_](?:[A-Z]{2}|\d{3}))?$/;

export const WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export interface ParsedPersonas {
  personas: Persona[];
  warnings: string[];
}

/** Accepts a list, or an object with a `personas` list. */
export function parsePersonas(file: string, raw: unknown, field = ''): ParsedPersonas {
  const list = isObject(raw) && field === '' && 'personas' in raw ? raw.personas : raw;
  const prefix = field === '' && isObject(raw) ? 'personas' : field || '';
  const items = expectArray(file, prefix || '(top level)', list);
  const personas: Persona[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const p = parsePersona(file, `${prefix}[${i}]`, items[i]);
    if (seen.has(p.name)) throw new InputError(`${file}: ${prefix}[${i}].name: duplicate persona name ${JSON.stringify(p.name)}`);
    seen.add(p.name);
    personas.push(p);
  }
  return { personas, warnings: loginWarnings(file, personas) };
}

function parsePersona(file: string, at: string, raw: unknown): Persona {
  const o = expectObject(file, at, raw);
  const name = expectString(file, `${at}.name`, o.name, { min: 1, max: 128 });
  const email = optionalString(file, `${at}.email`, o.email, { max: 254 }) ?? '';
  const role = optionalString(file, `${at}.role`, o.role, { max: 128 }) ?? '';
  const loginRaw = optionalString(file, `${at}.login`, o.login, { pattern: LOGIN_PATTERN, what: 'a login of 1..32 of [a-z0-9_-], starting with a letter or _' });
  const active = o.active_hours ?? o.activeHours;
  const active_hours = active === undefined ? '09:00-18:00' : expectString(file, `${at}.active_hours`, active, { pattern: WINDOW_PATTERN, what: 'a window "HH:MM-HH:MM"' });
  const timezone = o.timezone === undefined ? 'UTC' : expectString(file, `${at}.timezone`, o.timezone, { min: 1, what: 'an IANA time zone name' });
  if (!IANAZone.isValidZone(timezone)) throw fieldError(file, `${at}.timezone`, 'an IANA time zone name', timezone);
  let workdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
  if (o.workdays !== undefined) {
    const list = expectArray(file, `${at}.workdays`, o.workdays);
    const set = new Set<Weekday>();
    list.forEach((d, j) => {
      const v = expectString(file, `${at}.workdays[${j}]`, typeof d === 'string' ? d.toLowerCase() : d, { what: 'one of mon tue wed thu fri sat sun' });
      if (!(WEEKDAYS as readonly string[]).includes(v)) throw fieldError(file, `${at}.workdays[${j}]`, 'one of mon tue wed thu fri sat sun', d);
      set.add(v as Weekday);
    });
    workdays = WEEKDAYS.filter((d) => set.has(d));
  }
  const localeRaw = optionalString(file, `${at}.locale`, o.locale === null ? undefined : o.locale, { pattern: LOCALE_PATTERN, what: 'a BCP 47 locale such as "pl-PL" or "en-IN"' });
  const locale = localeRaw === undefined ? null : localeRaw.replace(/_/g, '-');
  const countryRaw = optionalString(file, `${at}.country`, o.country === null ? undefined : o.country, { pattern: /^[A-Za-z]{2}$/, what: 'an ISO 3166-1 alpha-2 country code such as "GB" or "PL"' });
  const country = countryRaw === undefined ? null : countryRaw.toUpperCase();
  if (country !== null && !holidayCountries().has(country)) throw fieldError(file, `${at}.country`, 'an ISO 3166-1 alpha-2 country code whose public holidays are known (such as "GB", "US", "PL")', countryRaw);
  return { name, email, role, login: loginRaw ?? deriveLogin(name), active_hours, timezone, workdays, locale, country };
}

function loginWarnings(file: string, personas: Persona[]): string[] {
  const byLogin = new Map<string, string[]>();
  for (const p of personas) byLogin.set(p.login, [...(byLogin.get(p.login) ?? []), p.name]);
  const out: string[] = [];
  for (const [login, names] of byLogin) {
    if (names.length > 1) out.push(`${file}: personas ${names.map((n) => JSON.stringify(n)).join(', ')} share the login ${JSON.stringify(login)}`);
    if (SUSPECT_LOGINS.has(login)) out.push(`${file}: ${names.map((n) => JSON.stringify(n)).join(', ')} ${names.length > 1 ? 'map' : 'maps'} to the login ${JSON.stringify(login)}, which an intruder reads as a placeholder or the system account; set "login"`);
  }
  return out;
}
