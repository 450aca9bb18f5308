// `init`: the starter files an operator edits before the first plan. Pure: returns the file
// names and their text; the command writes them. Every file validates as it is (a test plans
// with them). The callback settings are there but null: until the operator sets them, the lures
// that call home are left out (with a diagnostic), so an untouched starter plants no dead lure.

export interface StarterOptions {
  /** Mail domain of the personas (default `corp.internal`). */
  domain: string;
}

export interface StarterFile {
  name: string;
  text: string;
  /** What the operator has to do with it. */
  todo: string;
}

export function starterFiles(o: StarterOptions): StarterFile[] {
  const fleet = {
    deckies: [
      { name: 'web-01', hostname: 'web-01', services: ['ssh', 'http'], address: '10.0.0.11', container: 'web-01-ssh', personas: ['Ines Duarte', 'Tomasz Wrona'] },
      { name: 'db-01', hostname: 'db-01', services: ['ssh', 'mysql'], address: '10.0.0.12', container: 'db-01-ssh', personas: ['Tomasz Wrona', 'Kenji Mori'] },
      { name: 'ci-01', hostname: 'ci-01', services: ['ssh'], address: '10.0.0.13', container: 'ci-01-ssh' },
    ],
  };
  const personas = [
    { name: 'Ines Duarte', email: `ines.duarte@${o.domain}`, role: 'developer', active_hours: '09:30-18:30', timezone: 'Europe/Lisbon' },
    { name: 'Tomasz Wrona', email: `t.wrona@${o.domain}`, role: 'sysadmin', active_hours: '07:30-16:00', timezone: 'Europe/Warsaw' },
    { name: 'Kenji Mori', email: `kenji.mori@${o.domain}`, role: 'dba', active_hours: '10:00-19:00', timezone: 'Asia/Tokyo' },
    { name: 'Dana Whitfield', email: `dana.w@${o.domain}`, role: 'ops', active_hours: '21:00-05:00', timezone: 'America/Chicago', workdays: ['sun', 'mon', 'tue', 'wed', 'thu'] },
  ];
  const config = {
    interval: 900,
    canaryProbability: 0.03,
    canaryCapPerDecky: 3,
    offHoursQuiet: 0.75,
    canary: { httpBase: null, dnsZone: null },
  };
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  return [
    { name: 'fleet.json', text: json(fleet), todo: 'one entry per decky: name, container (default <name>-ssh), address other deckies reach it on, services ("ssh" makes it take part), docker (context or host URL) when it runs on another Docker host' },
    { name: 'personas.json', text: json(personas), todo: 'the people who "work" on the deckies: names, mail addresses, roles, working hours and time zones' },
    { name: 'config.json', text: json(config), todo: 'canary.httpBase and canary.dnsZone: set them to YOUR callback listener (an https URL and a DNS zone you serve); while they are null the lures that call home are left out, and plan says which' },
  ];
}

/** What to do next, printed after the files are written (`dir` as the operator typed it). */
export function nextSteps(bin: string, dir: string, files: StarterFile[]): string {
  const at = (f: string) => (dir === '.' ? f : `${dir.replace(/\/+$/, '')}/${f}`);
  const flags = `--fleet ${at('fleet.json')} --personas ${at('personas.json')} --config ${at('config.json')}`;
  return [
    `wrote ${files.map((f) => at(f.name)).join(', ')}`,
    '',
    'next:',
    ...files.map((f, i) => `  ${i + 1}. edit ${at(f.name)}: ${f.todo}`),
    `  ${files.length + 1}. plan a week and look at it:`,
    `       ${bin} plan ${flags} --seed my-fleet --days 7 --out week.json`,
    `       ${bin} check week.json && ${bin} stats week.json`,
    `  ${files.length + 2}. see what would run on the containers, then run it:`,
    `       ${bin} run ${flags} --seed my-fleet --backfill 2d --dry-run | head`,
    `       ${bin} run ${flags} --seed my-fleet --backfill 2d --state fleet.state.db`,
    '',
  ].join('\n');
}
