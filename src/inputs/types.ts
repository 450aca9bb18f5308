// Resolved inputs: every default filled in. This is exactly what a timeline header records under
// `inputs`, so `verify` can re-plan from a header alone.

export const USER_CLASSES = ['note', 'todo', 'draft', 'script'] as const;
export const SYSTEM_CLASSES = ['log_cron', 'log_daemon', 'cache_tmp'] as const;
export const CANARY_CLASSES = [
  'canary_aws_creds',
  'canary_env_file',
  'canary_git_config',
  'canary_ssh_key',
  'canary_honeydoc',
  'canary_honeydoc_docx',
  'canary_honeydoc_pdf',
  'canary_mysql_dump',
  'canary_fingerprint_html',
  'canary_fingerprint_svg',
] as const;

export type UserClass = (typeof USER_CLASSES)[number];
export type SystemClass = (typeof SYSTEM_CLASSES)[number];
export type CanaryClass = (typeof CANARY_CLASSES)[number];
/**
 * Files a decky's machine model plants and maintains itself (never rolled by a tick, so not in
 * the config weights): rotated and compressed logs, crontabs, the scripts those crontabs run,
 * the homes' dotfiles and ~/.ssh files (home_config) and ~/.bash_history (shell_history).
 */
export const MACHINE_CLASSES = ['log_archive', 'sys_config', 'sys_script', 'home_config', 'shell_history'] as const;
export type MachineClass = (typeof MACHINE_CLASSES)[number];
/**
 * Files only a home's pre-history plants (src/machine/home-history.ts), never rolled by a tick:
 * ordinary documents of the lure formats and a project folder's files.
 */
export const HISTORY_CLASSES = ['document', 'source'] as const;
export type HistoryClass = (typeof HISTORY_CLASSES)[number];
export type ContentClass = UserClass | SystemClass | CanaryClass | MachineClass | HistoryClass;

export const EDITABLE_CLASSES: ReadonlySet<ContentClass> = new Set<ContentClass>([
  'note', 'todo', 'draft', 'script', 'log_cron', 'log_daemon', 'home_config', 'shell_history',
]);

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Persona {
  name: string;
  email: string;
  role: string;
  login: string;
  active_hours: string;
  timezone: string;
  workdays: Weekday[];
  /** BCP 47 locale such as "pl-PL" (phone prefix, currency, paper, date style); null: from the time zone. */
  locale: string | null;
  /** ISO 3166-1 alpha-2 country of its public holidays; null: from the time zone (src/world/calendar.ts). */
  country: string | null;
}

export interface Decky {
  name: string;
  uuid: string;
  hostname: string;
  services: string[];
  address: string | null;
  container: string;
  docker: string | null;
  personas: string[];
  /** Login to numeric uid and gid as the decky's /etc/passwd has them (only when given). */
  users?: Record<string, { uid: number; gid: number }>;
}

export interface EngineConfig {
  weights: {
    user: Record<UserClass, number>;
    system: Record<SystemClass, number>;
    canary: Record<CanaryClass, number>;
  };
  canaryProbability: number;
  canaryCapPerDecky: number;
  offHoursQuiet: number;
  canary: { httpBase: string | null; dnsZone: string | null; awsKeys: Array<{ accessKeyId: string; secretAccessKey: string }> };
  /** Whether a persona may map to the login `root` (refused by default). */
  allowRootPersona: boolean;
}

/** A host the fleet file names in its organisation block. */
export interface OrganisationHostInput {
  name: string;
  role: string | null;
  address: string | null;
}

export interface ColleagueInput {
  name: string;
  email: string | null;
  role: string | null;
  team: string | null;
}

/**
 * The fleet file's `organisation` block, resolved: every key present, null where the
 * organisation model draws it from the seed (src/world/organisation.ts).
 */
export interface OrganisationInput {
  name: string | null;
  domain: string | null;
  internalDomain: string | null;
  country: string | null;
  officeRanges: string[] | null;
  teams: string[] | null;
  projects: string[] | null;
  hosts: OrganisationHostInput[] | null;
  tools: Record<string, string> | null;
  colleagues: ColleagueInput[] | null;
}

export interface PlanInputs {
  start: string;
  end: string;
  interval: number;
  quiet: boolean;
  fleet: Decky[];
  personas: Persona[];
  organisation: OrganisationInput;
  config: EngineConfig;
}
