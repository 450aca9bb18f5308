// Vocabulary pools for user and system content. All written for this project.

export const COLLEAGUES = [
  'Marta', 'Tomasz', 'Aisha', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines',
  'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Paula', 'Quentin', 'Rosa', 'Sanjay', 'Tara',
];

export const PROJECTS = [
  'billing', 'intranet', 'reporting', 'inventory', 'payroll', 'crm', 'wiki', 'mailrelay', 'backup',
  'monitoring', 'vpn', 'ldap', 'webshop', 'analytics', 'ticketing', 'fileserver', 'build-farm',
];

export const TOPICS = [
  'postgres upgrade', 'certificate renewal', 'backup rotation', 'firewall cleanup', 'vpn rollout',
  'disk usage', 'log retention', 'oncall handover', 'sprint planning', 'vendor call', 'release checklist',
  'load balancer', 'dns changes', 'ssh hardening', 'patch window', 'capacity review', 'access review',
  'cost report', 'staging refresh', 'alert tuning', 'runbook updates', 'budget review', 'team offsite',
];

export const TOPIC_SLUGS = TOPICS.map((t) => t.replace(/ /g, '-'));

export const THINGS = [
  'the nightly backup job', 'the staging database', 'the cert on the mail relay', 'the old NFS share',
  'the monitoring dashboards', 'the build agents', 'the firewall rules for the office range',
  'the ldap sync', 'the invoice export', 'the cron entries on this box', 'the log shipping config',
  'the api rate limits', 'the replica lag alert', 'the deploy script', 'the ssh keys of people who left',
  'the vendor VPN tunnel', 'the disk on the reporting host', 'the retention policy', 'the test fixtures',
];

export const VERBS = [
  'check', 'ask about', 'clean up', 'document', 'move', 'rotate', 'test', 'review', 'fix', 'update',
  'double check', 'write up', 'benchmark', 'automate', 'replace', 'archive', 'look into', 'migrate',
];

export const WHEN = [
  'before Friday', 'next week', 'after the patch window', 'when the freeze is over', 'today if possible',
  'before the audit', 'tomorrow morning', 'by end of month', 'once the ticket is approved', 'this sprint',
  'after lunch', 'before the release', '', '', '',
];

export const OBSERVATIONS = [
  'load was fine during the run, peaked around 70 percent',
  'restore test took longer than expected, around forty minutes',
  'two alerts fired overnight, both false positives from the disk check',
  'the replica caught up on its own after the restart',
  'vendor says the fix ships in their next minor release',
  'nobody remembers why this host still mounts the old share',
  'the staging copy is three weeks behind production',
  'key rotation worked on the first try this time',
  'graphs show a slow leak in the worker process',
  'we are still paying for the spare volumes',
  'the script assumes bash 5, breaks on the older boxes',
  'retention is set to 90 days but nobody asked for that',
  'half of the cron jobs log nothing at all',
  'latency went back to normal after the cache flush',
  'the handover doc is out of date again',
];

/** What a draft with one of these subjects is about, as its opening sentence names it. */
export const DRAFT_SUBJECT_TOPIC: Readonly<Record<string, string>> = {
  'maintenance window next week': "next week's maintenance window",
  'access request': 'the access request',
  'quick question about the export': 'the export',
  'follow up from standup': 'what came up at standup',
  'backup restore results': 'the backup restore test',
  'vendor renewal': 'the vendor renewal',
  'handover notes': 'the handover',
  'planned downtime': 'the planned downtime',
  'budget numbers': 'the budget numbers',
  'incident summary': 'the incident',
  'onboarding checklist': 'the onboarding checklist',
  'license count': 'the license count',
};

/** Stock draft subjects, in the order above (file names are made from them). */
export const DRAFT_SUBJECTS: readonly string[] = Object.keys(DRAFT_SUBJECT_TOPIC);

export const DRAFT_PARAGRAPHS = [
  'I went through the list again and I think we can drop most of the old entries without anyone noticing.',
  'The window we agreed on still works for us, as long as the database team is around in case the migration stalls.',
  'Could you send me the numbers from last quarter? I want to compare them before the meeting.',
  'We tested the restore on staging and it worked, but it took much longer than the runbook claims.',
  'I would rather not touch the firewall until the audit is done, unless something is actually broken.',
  'Let me know if the new schedule clashes with anything on your side, I can move things around.',
  'The short version is that nothing was lost, but we got lucky and should fix the alerting.',
  'I added a few notes to the ticket so the next person does not have to dig through chat history.',
  'Happy to walk through it on a call if that is easier than reading all of this.',
  'If nobody objects I will start with the least used hosts and work up from there.',
  'The vendor quoted a price that is higher than last year, I asked them to explain the difference.',
  'For now I have paused the job so it does not fill the disk again over the weekend.',
];

export const TODO_ITEMS = [
  'renew the wildcard cert', 'answer the vendor about the renewal', 'clean up /tmp on the build box',
  'review open access requests', 'rotate the service account password', 'update the runbook for restores',
  'check disk alerts on db-02', 'write the handover note', 'test restore from last night',
  'remove old ssh keys from authorized_keys', 'patch the staging hosts', 'book the maintenance window',
  'move the report job to the new host', 'ask finance about the license count', 'archive last year tickets',
  'fix the flaky health check', 'bump retention on audit logs', 'update dns for the new relay',
  'send the incident summary', 'check backup sizes', 'benchmark the new disks', 'merge the cron cleanup',
  'look at the memory graph of the worker', 'prune unused docker images', 'test the failover again',
];

export const SCRIPT_NAMES = [
  'backup-db', 'rotate-logs', 'check-disk', 'sync-reports', 'deploy', 'cleanup-tmp', 'health-check',
  'export-users', 'renew-certs', 'restart-workers', 'fetch-metrics', 'prune-images', 'archive-logs',
];

export const DAEMONS = ['systemd', 'sshd', 'rsyslogd', 'systemd-timesyncd', 'systemd-logind', 'nginx', 'mysqld', 'dbus-daemon', 'kernel'];

export const SERVICES = ['nginx', 'mysql', 'php-fpm', 'redis-server', 'docker', 'cron', 'rsyslog', 'ssh', 'postfix', 'node-exporter'];

export const APP_LOGS = ['worker', 'scheduler', 'api', 'ingest', 'mailer', 'exporter'];
/** The Description= of each application's systemd unit (`<app>.service`), as its admins wrote it. */
export const APP_UNITS: Readonly<Record<string, string>> = {
  worker: 'Background job worker',
  scheduler: 'Scheduled task runner',
  api: 'HTTP API service',
  ingest: 'Data ingest service',
  mailer: 'Outgoing mail dispatcher',
  exporter: 'Data export service',
};

