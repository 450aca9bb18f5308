// `personas validate`: load a persona file as `plan` would and describe what it resolves to.
import { readJsonFile } from '../cli/files.js';
import { parsePersonas } from '../inputs/personas.js';
import type { Persona } from '../inputs/types.js';

export interface PersonaReport {
  file: string;
  personas: Array<Pick<Persona, 'name' | 'login' | 'active_hours' | 'timezone' | 'workdays'> & { home: string }>;
  warnings: string[];
}

export function validatePersonaFile(file: string): PersonaReport {
  const doc = readJsonFile(file);
  const { personas, warnings } = parsePersonas(doc.file, doc.data);
  return {
    file: doc.file,
    personas: personas.map((p) => ({ name: p.name, login: p.login, home: `/home/${p.login}`, active_hours: p.active_hours, timezone: p.timezone, workdays: p.workdays })),
    warnings,
  };
}

export function renderPersonaReport(r: PersonaReport): string {
  const rows = r.personas.map((p) => `  ${p.name.padEnd(24)} ${p.login.padEnd(16)} ${p.active_hours}  ${p.timezone.padEnd(22)} ${p.workdays.join(',')}`);
  return [`${r.file}: ${r.personas.length} persona(s) valid`, ...rows, ...r.warnings.map((w) => `warning: ${w}`)].join('\n') + '\n';
}
