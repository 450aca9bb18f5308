// Name pools the organisation draws on: people, places, trades, codenames. Written for this
// project; each pool is large enough that two deployments rarely meet the same combination.

export const FIRST_NAMES: Record<string, readonly string[]> = {
  en: ['Alex', 'Amelia', 'Ben', 'Callum', 'Charlotte', 'Daniel', 'Eleanor', 'Ellie', 'Finn', 'Freya', 'George', 'Hannah', 'Harry', 'Isla', 'Jack', 'Jess', 'Kate', 'Liam', 'Lucy', 'Matt', 'Megan', 'Nathan', 'Olivia', 'Owen', 'Rachel', 'Rob', 'Sam', 'Sophie', 'Tom', 'Zoe', 'Gemma', 'Craig', 'Fiona', 'Gareth', 'Niamh', 'Declan'],
  us: ['Ashley', 'Brandon', 'Brittany', 'Cody', 'Dana', 'Derek', 'Emily', 'Eric', 'Heather', 'Jason', 'Jenna', 'Kyle', 'Lauren', 'Marcus', 'Nicole', 'Ryan', 'Tanya', 'Tyler', 'Whitney', 'Zach', 'Andre', 'Carlos', 'Keisha', 'Mia'],
  pl: ['Agnieszka', 'Bartosz', 'Dominik', 'Ewa', 'Grzegorz', 'Jakub', 'Joanna', 'Kamil', 'Katarzyna', 'Łukasz', 'Magdalena', 'Marcin', 'Michał', 'Monika', 'Paweł', 'Piotr', 'Tomasz', 'Zofia'],
  de: ['Anja', 'Florian', 'Jan', 'Jonas', 'Julia', 'Katrin', 'Lars', 'Lena', 'Markus', 'Matthias', 'Nina', 'Sabine', 'Sebastian', 'Stefan', 'Tobias', 'Ulrike', 'Jörg', 'Björn'],
  in: ['Aarav', 'Aditi', 'Ananya', 'Arjun', 'Deepak', 'Divya', 'Kavya', 'Karthik', 'Meera', 'Nikhil', 'Pooja', 'Rahul', 'Rohit', 'Sanjana', 'Shreya', 'Suresh', 'Vikram', 'Neha'],
  fr: ['Amélie', 'Antoine', 'Camille', 'Chloé', 'Julien', 'Léa', 'Louis', 'Manon', 'Mathieu', 'Nicolas', 'Océane', 'Thomas', 'Hélène', 'Rémi'],
  es: ['Alejandro', 'Ana', 'Carmen', 'Diego', 'Elena', 'Javier', 'Lucía', 'Marta', 'Pablo', 'Raúl', 'Sergio', 'Sofía', 'Inés', 'Álvaro'],
  nl: ['Bram', 'Daan', 'Eva', 'Fleur', 'Jeroen', 'Lotte', 'Maarten', 'Sanne', 'Thijs', 'Femke', 'Ruud', 'Anouk'],
  se: ['Anders', 'Astrid', 'Elin', 'Erik', 'Frida', 'Johan', 'Karin', 'Linnea', 'Magnus', 'Oskar', 'Sofia', 'Åsa'],
  it: ['Alessandro', 'Chiara', 'Davide', 'Francesca', 'Giulia', 'Lorenzo', 'Luca', 'Martina', 'Matteo', 'Sara', 'Valentina'],
  pt: ['Beatriz', 'Bruno', 'Catarina', 'Gonçalo', 'João', 'Mariana', 'Rita', 'Tiago', 'Inês', 'Rui'],
  jp: ['Haruto', 'Yui', 'Kenta', 'Aoi', 'Takumi', 'Sakura', 'Ren', 'Mio', 'Daiki', 'Yuna'],
};

export const LAST_NAMES: Record<string, readonly string[]> = {
  en: ['Ashworth', 'Barker', 'Bell', 'Bradshaw', 'Carter', 'Cole', 'Doyle', 'Ellis', 'Fletcher', 'Foster', 'Gibson', 'Hale', 'Harding', 'Holt', 'Hughes', 'Kemp', 'Lambert', 'Lowe', 'Marsh', 'Morgan', 'Nash', 'Parry', 'Pearce', 'Reid', 'Shaw', 'Sutton', 'Thorne', 'Walsh', 'Webb', 'Whitaker', 'Doherty', 'Gallagher', 'MacLeod', 'Pritchard'],
  us: ['Alvarez', 'Brooks', 'Coleman', 'Dawson', 'Fuller', 'Garrison', 'Hayes', 'Jenkins', 'Keller', 'Lawson', 'Mitchell', 'Nguyen', 'Ortiz', 'Palmer', 'Ramirez', 'Sanders', 'Tucker', 'Vaughn', 'Washington', 'Yates'],
  pl: ['Nowak', 'Wiśniewski', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Krawczyk', 'Piotrowska', 'Grabowski', 'Pawlak'],
  de: ['Bauer', 'Becker', 'Braun', 'Fischer', 'Hartmann', 'Hoffmann', 'Klein', 'Krüger', 'Lange', 'Meyer', 'Neumann', 'Schäfer', 'Schmitt', 'Schulz', 'Wagner', 'Weiß', 'Zimmermann', 'Vogt'],
  in: ['Agarwal', 'Bhat', 'Chatterjee', 'Desai', 'Gupta', 'Iyer', 'Joshi', 'Kulkarni', 'Menon', 'Mehta', 'Nair', 'Pillai', 'Rao', 'Reddy', 'Sharma', 'Singh', 'Verma', 'Krishnan'],
  fr: ['Bernard', 'Bonnet', 'Dubois', 'Durand', 'Faure', 'Fontaine', 'Garnier', 'Lefèvre', 'Leroy', 'Mercier', 'Moreau', 'Girard', 'Roux', 'Chevalier'],
  es: ['Castro', 'Delgado', 'Fernández', 'García', 'Herrera', 'Jiménez', 'Martín', 'Moreno', 'Navarro', 'Ortega', 'Romero', 'Rubio', 'Sanz', 'Vázquez'],
  nl: ['Bakker', 'de Boer', 'Dekker', 'de Graaf', 'Jansen', 'Mulder', 'Smit', 'Visser', 'de Vries', 'van Dijk', 'Vermeulen', 'Kuipers'],
  se: ['Andersson', 'Berg', 'Ekström', 'Holm', 'Johansson', 'Lindqvist', 'Lundgren', 'Nyström', 'Sandberg', 'Sjöberg', 'Wallin', 'Åberg'],
  it: ['Bianchi', 'Colombo', 'Conti', 'Esposito', 'Ferrari', 'Galli', 'Greco', 'Marino', 'Ricci', 'Romano', 'Bruno'],
  pt: ['Almeida', 'Carvalho', 'Costa', 'Ferreira', 'Gomes', 'Lopes', 'Martins', 'Oliveira', 'Ribeiro', 'Sousa'],
  jp: ['Sato', 'Suzuki', 'Takahashi', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida'],
};

/** Which name pools a country's staff mostly draws from (the rest come from anywhere). */
export const NAME_POOLS_BY_COUNTRY: Record<string, readonly string[]> = {
  GB: ['en'], IE: ['en'], US: ['us', 'en'], CA: ['us', 'en', 'fr'], AU: ['en'], NZ: ['en'], IN: ['in'], PL: ['pl'], DE: ['de'],
  AT: ['de'], CH: ['de', 'fr', 'it'], FR: ['fr'], BE: ['nl', 'fr'], NL: ['nl'], ES: ['es'], MX: ['es'], PT: ['pt'], BR: ['pt'],
  IT: ['it'], SE: ['se'], NO: ['se'], DK: ['se'], FI: ['se'], CZ: ['pl', 'de'], JP: ['jp'], SG: ['en', 'in'], ZA: ['en'], AE: ['in', 'en'],
};

// Company names: a place or family-like word and a trade, or a coined word from two halves.
export const NAME_WORDS = [
  'Alder', 'Ashby', 'Barrow', 'Beacon', 'Birchfield', 'Blackmoor', 'Bramley', 'Brook', 'Calder', 'Carrow', 'Cedar', 'Chalk',
  'Corran', 'Crane', 'Dale', 'Dunmore', 'Elmstead', 'Fairlie', 'Fenwick', 'Fernhill', 'Foxley', 'Garnet', 'Glen', 'Greystone',
  'Hallam', 'Harwell', 'Hazel', 'Heron', 'Hollin', 'Ivybridge', 'Kestle', 'Kingsley', 'Larch', 'Linden', 'Lowther', 'Marl',
  'Merrow', 'Millbank', 'Morrow', 'Nettle', 'Oakhurst', 'Orwell', 'Pennant', 'Quarry', 'Radley', 'Redfern', 'Rowan', 'Saltash',
  'Selby', 'Shale', 'Sorrel', 'Stanton', 'Stour', 'Tamar', 'Thistle', 'Torr', 'Tulloch', 'Wexcombe', 'Whinfell', 'Wren',
  'Yarrow', 'Ember', 'Vantor', 'Kelso', 'Amberly', 'Pelham', 'Ravel', 'Solway', 'Trent', 'Wyvern', 'Orla', 'Brecon',
];

export const COINED_HEADS = ['Tal', 'Ver', 'Cor', 'Nim', 'Bra', 'Sol', 'Quar', 'Lum', 'Dex', 'Mar', 'Ost', 'Pell', 'Ryn', 'Sen', 'Tor', 'Vel', 'Zan', 'Kor', 'Ald', 'Fen'];
export const COINED_TAILS = ['ora', 'ex', 'ium', 'ent', 'ica', 'ano', 'ova', 'ith', 'ara', 'eon', 'is', 'yx', 'ane', 'ello', 'ada', 'iq'];

export interface Trade {
  word: string;
  /** Nouns its staff write about besides IT work (kept for drafts and documents). */
  nouns: readonly string[];
}

export const TRADES: readonly Trade[] = [
  { word: 'Freight', nouns: ['shipments', 'depots', 'manifests', 'carriers'] },
  { word: 'Logistics', nouns: ['warehouses', 'pick lists', 'deliveries', 'routes'] },
  { word: 'Dental', nouns: ['clinics', 'appointments', 'patient records', 'x-ray archive'] },
  { word: 'Legal', nouns: ['case files', 'client matters', 'billing hours', 'document review'] },
  { word: 'Analytics', nouns: ['dashboards', 'client reports', 'data feeds', 'models'] },
  { word: 'Engineering', nouns: ['drawings', 'site surveys', 'project bids', 'CAD licences'] },
  { word: 'Print', nouns: ['print runs', 'proofs', 'press schedule', 'ink orders'] },
  { word: 'Insurance', nouns: ['policies', 'claims', 'brokers', 'renewals'] },
  { word: 'Foods', nouns: ['orders', 'suppliers', 'cold store', 'recalls'] },
  { word: 'Health', nouns: ['clinics', 'referrals', 'rotas', 'patient portal'] },
  { word: 'Property', nouns: ['tenancies', 'viewings', 'maintenance jobs', 'leases'] },
  { word: 'Energy', nouns: ['meter readings', 'tariffs', 'field crews', 'outages'] },
  { word: 'Travel', nouns: ['bookings', 'itineraries', 'agents', 'refunds'] },
  { word: 'Labs', nouns: ['samples', 'instruments', 'assays', 'lab notebooks'] },
  { word: 'Retail', nouns: ['stores', 'tills', 'stock counts', 'promotions'] },
  { word: 'Motors', nouns: ['workshops', 'parts orders', 'service bookings', 'fleet cars'] },
  { word: 'Architects', nouns: ['drawings', 'planning applications', 'site visits', 'renders'] },
  { word: 'Accountants', nouns: ['client books', 'year end', 'tax returns', 'payroll runs'] },
  { word: 'Software', nouns: ['releases', 'customers', 'support tickets', 'licences'] },
  { word: 'Hospitality', nouns: ['bookings', 'venues', 'rotas', 'suppliers'] },
  { word: 'Recruitment', nouns: ['candidates', 'placements', 'clients', 'timesheets'] },
  { word: 'Packaging', nouns: ['production lines', 'orders', 'pallets', 'quality checks'] },
];

export const TRADE_SUFFIXES = ['Group', 'Partners', 'Holdings', 'Services', 'Systems', '', '', '', ''];

export const TEAM_NAMES = [
  'Platform', 'Infrastructure', 'Data', 'Finance Systems', 'Service Desk', 'Security', 'Web', 'Integrations', 'Networks',
  'Reporting', 'Core Systems', 'Operations', 'Applications', 'Database', 'Workplace IT', 'Backend', 'Payments', 'Field Systems',
];

export const CODENAMES = [
  'kestrel', 'heron', 'larch', 'tamar', 'puffin', 'osprey', 'juniper', 'basalt', 'cobalt', 'fulmar', 'gannet', 'hawthorn',
  'lapwing', 'marten', 'merlin', 'quartz', 'sable', 'teal', 'thrush', 'umber', 'vole', 'wagtail', 'alder', 'bittern',
  'corvid', 'dunlin', 'egret', 'fennel', 'granite', 'harrier', 'ibis', 'jackdaw', 'kittiwake', 'linnet', 'magpie', 'nightjar',
];

export const PROJECT_FUNCTIONS = [
  'billing', 'invoicing', 'customer-portal', 'stock-feed', 'ledger-sync', 'booking-api', 'payroll-export', 'intranet',
  'reporting', 'crm-sync', 'webshop', 'mail-relay', 'ticket-bridge', 'doc-archive', 'pricing', 'time-tracking',
  'identity', 'data-warehouse', 'partner-api', 'scheduler', 'asset-register', 'search', 'notifications', 'etl',
];

// Internal host functions: a function, the short names people give such hosts, what runs there.
export const HOST_FUNCTIONS: ReadonlyArray<{ role: string; names: readonly string[] }> = [
  { role: 'git', names: ['git', 'gitlab', 'code', 'scm', 'gitea'] },
  { role: 'wiki', names: ['wiki', 'docs', 'kb', 'confluence'] },
  { role: 'ci', names: ['ci', 'jenkins', 'build', 'runner'] },
  { role: 'monitoring', names: ['mon', 'grafana', 'metrics', 'zabbix', 'prom'] },
  { role: 'mail', names: ['mail', 'mx', 'smtp', 'relay'] },
  { role: 'vpn', names: ['vpn', 'gw', 'remote'] },
  { role: 'nas', names: ['nas', 'files', 'store', 'filer'] },
  { role: 'backup', names: ['backup', 'bkp', 'vault', 'archive'] },
  { role: 'directory', names: ['dc', 'ldap', 'ad', 'idm'] },
  { role: 'bastion', names: ['jump', 'bastion', 'ssh-gw'] },
  { role: 'database', names: ['pg', 'sql', 'mariadb', 'dbprod'] },
  { role: 'tickets', names: ['jira', 'tickets', 'helpdesk', 'redmine'] },
  { role: 'registry', names: ['registry', 'harbor', 'artifacts', 'nexus'] },
  { role: 'logs', names: ['logs', 'elk', 'graylog', 'loki'] },
];

export const TOOLS = {
  chat: ['Slack', 'Teams', 'Mattermost', 'Rocket.Chat', 'Zulip', 'Element'],
  tickets: ['Jira', 'YouTrack', 'Redmine', 'the GitLab board', 'ServiceNow', 'Zammad', 'OTRS', 'Linear'],
  wiki: ['Confluence', 'BookStack', 'Wiki.js', 'the GitLab wiki', 'Notion', 'DokuWiki', 'SharePoint'],
  vcs: ['GitLab', 'GitHub', 'Gitea', 'Bitbucket', 'Forgejo'],
  ci: ['Jenkins', 'GitLab CI', 'Drone', 'TeamCity', 'Buildkite', 'GitHub Actions', 'Woodpecker'],
  monitoring: ['Grafana', 'Zabbix', 'Prometheus', 'Icinga', 'Nagios', 'Checkmk', 'Netdata'],
  paging: ['PagerDuty', 'Opsgenie', 'Grafana OnCall', 'iLert', 'Squadcast'],
  backup: ['restic', 'Borg', 'Bacula', 'Veeam', 'rsnapshot', 'Duplicati'],
  passwords: ['Bitwarden', 'KeePassXC', '1Password', 'Vaultwarden', 'Passbolt'],
} as const;

export const VENDOR_TRADES = ['Telecom', 'Office Supplies', 'Cleaning', 'Couriers', 'Hosting', 'Electrical', 'Printing', 'Security Services', 'Facilities', 'Catering', 'IT Recycling', 'Storage'];
