// Rules of the text grammar (see grammar.ts for the syntax), written for this project. Shared
// rules first, then one set per persona role and per decky service. Variables come from the
// organisation and the author: $project $host $colleague $team $vendor $chat $tickets $wiki
// $vcs $ci $monitoring $paging $backup $passwords $biz $paper $money $ticket $n $m $pct $day; $wikiName and
// $ticketsName are those two tools without a leading article (for '{det} {$wikiName} page'); $paging has none.

export type RoleKind = 'ops' | 'dev' | 'dba' | 'manager' | 'security' | 'general';

export function roleKind(role: string): RoleKind {
  const r = role.toLowerCase();
  if (/dba|database|data ?eng/.test(r)) return 'dba';
  if (/secur|soc|infosec/.test(r)) return 'security';
  if (/manag|lead|head|director|chief|cto|cio|owner/.test(r)) return 'manager';
  if (/dev|engineer|program|coder|frontend|backend|web/.test(r)) return 'dev';
  if (/ops|sre|sys|admin|infra|platform|network|support|it\b/.test(r)) return 'ops';
  return 'general';
}

export const SHARED: Record<string, readonly string[]> = {
  // No age in the determiners: nouns carry their own ("new starter checklist", "old ssh keys"), and
  // "the new" in front of them stacked two ("the new old ssh keys").
  det: ['the', 'the', 'our', 'that', 'this', 'the current'],
  detp: ['the', 'the', 'our', 'those', 'these', 'the current', 'all the', 'the remaining'],
  n_any: ['{n_role}', '{n_role}', '{n_role}', '{n_role}', '{n_service}', '{n_office}'],
  n_office: [
    '{det} {$paper} {order|delivery} for the {printer|copier}', '{det} laptop {refresh|swap|rollout}', 'pl:{detp} expense {claims|reports}', '{det} desk {move|shuffle}', '{det} {$chat} {channel|workspace} {clean-up|tidy}',
    '{det} {invoice|quote|renewal} from {$vendor}', 'pl:{detp} {leaver|starter} accounts', '{det} {$wikiName} page {for|about} {$team}', '{det} {$team} {rota|calendar}', '{det} {new starter|onboarding} {checklist|pack}',
  ],
  // A tools folder's README (the pre-history's project folders): who keeps it, what it is for.
  readme_intro: [
    'Small tools for {$title}, kept by {$owner}.', 'Scripts {I use|we use} for {$title}.', 'Helpers for {$title}{| on {$host}}.', '{$title}: {a few|some} scripts so nobody has to do it by hand.',
    'Odds and ends for {$title}.', 'Automation for {$title}{|, mostly run from cron}.', 'Bits and pieces for {$title}. Ask {$owner} before changing them.', '{Quick|Rough} scripts for {$title} ({$project}).',
    'Everything needed to {run|redo} {$title} by hand.', 'What runs {$title} for {$team}.', 'Glue for {$title}{|, until {$vendor} ships something better}.',
  ],
  readme_heading: ['## Usage', '## Usage', '## Running', '## How to run', '## Run'],
  readme_notes_heading: ['## Notes', '## Notes', '## Caveats', '## Good to know', 'Notes:'],
  readme_note: [
    'Run it from cron or by hand; it only reads what it needs.', 'Logs go to stdout, so redirect them when it runs from cron.', 'Tested on Debian 12{| only}.', 'Ask {$colleague} before changing the schedule: other jobs depend on its output.',
    'Keep secrets out of this folder{|; the script reads them from the environment}.', 'The output folder is cleaned after {7|14|30|60} days.', 'Needs read access to {the shared drive|{$wiki}|the ticket export}.', 'Talks to {$host}; the firewall rule came with {$ticket}.',
    'Takes {about|roughly} {5|10|20} minutes on a normal day.', 'Exit code 2 means there was nothing to do.', 'Do not run two copies at once.', 'Runs as my user, not root.', 'Posts a summary to {$chat} when it finishes.',
    'Moved here from {$host} {last year|in the spring|after the migration}.', 'Ask {$colleague} about the history of this one.', 'If it fails twice in a row, open a ticket in {$tickets}.',
  ],
  when: [
    '', '', '', 'before {$day}', '{next|this} week', 'after the {patch|maintenance} window', 'when the freeze {lifts|ends}', 'today {if I can|ideally}', 'before the {audit|review}',
    '{tomorrow morning|first thing tomorrow|first thing in the morning}', 'by {end of month|month end}', 'once {the ticket|{$ticket}} {is approved|goes through}', 'this sprint', 'after lunch', 'before {the|our} release', 'by {$day}', 'before {I go on leave|my leave}',
  ],
  state: [
    '{fine|ok|alright} again', 'still {broken|failing|flaky}', '{slower|worse} than {last week|before}', 'back to normal', '{waiting on|blocked on} {$colleague}', 'on hold {until|till} {$day}', '{half|mostly} done',
    'good enough for now', 'not {urgent|a priority}', 'stuck with the vendor', 'done {apart from|except} the {docs|write-up}', 'worse after the {change|update}', 'stable since the {restart|reboot}',
    'parked', 'in review', '{someone else\'s|another team\'s} problem now',
  ],
  v_task: [
    'check', 'clean up', 'document', 'review', 'fix', 'update', 'write up', 'look into', 'test', 'sort out', 'tidy up', 'double-check',
    'schedule', 'automate', 'ask {$colleague} about', 'chase {$colleague} {on|about}', 'pair with {$colleague} on', '{raise|open|file} {a ticket|{$ticket}} {for|about}', 'get {sign-off|approval} for',
    'measure', 'simplify', 'retire', 'split up', 'reproduce {the bug|the issue|it} {with|in}', 'revisit', 'benchmark', 'write tests for', 'rework', 'go over', 'dig into',
  ],
  says: ['says', 'thinks', 'mentioned that', 'reckons', 'confirmed', 'is sure', 'wrote in {$chat} that', 'told me', 'believes', 'swears'],
  since: ['since {$day}', 'since the {upgrade|migration}', 'since the last {deploy|release}', 'for {a week|days} now', 'since the {reboot|restart}', 'all {month|week}', 'since {$colleague} {changed|touched} it'],
  flavour: ['flaky', 'quiet', 'noisy', 'stable', 'slow', 'odd', '{much|a lot|far} better', '{a bit|slightly|somewhat} worse', 'patchy', 'fine'],
  obs: [
    '{n_any} {be} {state}',
    '{$colleague} {says} {n_any} {be} {state}',
    '{n_any} {has} been {flavour} {since}',
    '{asked|pinged} {$colleague} about {n_any}, {answer}',
    '{$ticket}: {n_any}, {state}',
    '{metric}',
    '{$chat} {thread|chat} {about|on} {n_any}: {answer}',
    '{note to self|reminder|nb}: {v_task} {n_any}',
    '{n_any} {was} {state} {yesterday}',
    '{idea}',
    '{$colleague} {will|can} {v_task} {n_any} {when}',
  ],
  yesterday: ['yesterday', 'this morning', 'on {$day}', 'last night', 'after standup', 'over the weekend', 'earlier'],
  answer: [
    'no reply yet', '{they|he|she} will look {at it|into it} {when}', '{apparently|it seems|turns out|so far as I can tell} {it was always like that|it has always been that way|nobody knows why|nobody remembers why|it never worked}', 'needs a {change request|CR}', 'fine to leave {it|as is}',
    'not on their {list|radar}', 'will pick it up {after|on} {$day}', '{they want|needs} numbers first', '{agreed|happy|keen} to {try|test} it {on staging|in {$project} staging|on {$host} first}', 'no objections',
  ],
  idea: [
    'idea: {v_task} {n_any} {with a small script|by hand first|in {$ci}}', 'maybe {v_task} {n_any} {when}', 'could we {drop|retire} {n_any} {altogether|for good}?',
    'worth asking {$colleague} {if|whether} {n_any} {be} still needed', 'if {n_any} break{s} again, {v_task} {n_any}',
  ],
  metric: [
    '{n_metric} went from {$n} to {$m}', '{n_share} {be} at {$pct}{ percent|%}', '{n_metric}: {$n} before, {$m} after', '{n_share} went from {$pct} to {$pm}{ percent|%}',
    'took {$n} {minutes|min}, {expected|estimate was} {$m}',
  ],
  // Figures that are counts or sizes, and figures that are shares of something (never past 100).
  n_metric: ['p95 {latency|response time} on {$project}', 'the queue {depth|length}', 'pl:open tickets in {$tickets}', 'the backup {size|volume}', 'pl:failed jobs in {$ci}'],
  n_share: ['{disk|disk usage} on {$host}', '{memory|RAM} on {$host}', 'CPU on the {$project} {workers|nodes}', 'error rate {on|for} {$project}'],
  done: ['done: {$item}', 'finished {$item}', '{$item}, done', '{ticked off|closed}: {$item}', '{$item} (done {yesterday})'],
  todo: ['{v_task} {n_any}{when_sp}', '{$project}: {v_task} {n_any}{when_sp}', '{v_task} {n_any} ({$colleague})', '{v_task} {n_any}, see {$ticket}', '{v_task} {n_any} due {$due}', '{$ticket} {v_task} {n_any}', '{urgent|later|maybe|soon|next}: {v_task} {n_any}', '{still|also|then} {v_task} {n_any}'],
  when_sp: ['', '', ' {when}'],
  // Drafts: a reason to write, then what happened, what is asked, what comes next.
  d_open: [
    '{Quick|Short} {one|question} about {$topic}.', 'Following up on {$topic}.', 'A {short|quick} update on {$topic}.', 'I wanted to {check|confirm} something about {$topic}.',
    '{Writing|Putting|Noting} this {down|here} {before I forget|while it is fresh}: {$topic}.', 'About {$topic}, as {promised|discussed}.', 'Some notes on {$topic} {for you|as promised}.',
  ],
  d_body: [
    '{We|I|{$colleague} and I} {looked at|checked|went over} {n_any} and it {be} {state}.', '{$colleague} {says} {n_any} {be} {state}.', 'The numbers: {metric}.',
    'I {raised|opened|filed} {$ticket} {so it {does not|won\'t} get lost|to track it|for {$colleague}}.', '{There is|I put} a {page|note} {on|in} {$wiki} {with the details|with more|for reference}.', '{It|This} {is not urgent|can wait}, but {n_any} {be} {state}.',
    '{For now|In the meantime|Until then|Meanwhile|As a stopgap} I {have paused|stopped|disabled|switched off|parked} {n_any} {so it {does not|can\'t|won\'t} {get worse|cause trouble|fill the disk}|until {$day}|to be safe|for the time being}.', '{Happy|Glad|Fine} to {go through|walk through|talk through} {it|this|the details} {on a call|in person|at {$day}\'s sync} {if that is easier|if you prefer|if useful}.',
    '{My plan is|I would like|I intend} to {v_task} {n_any} {when}.', 'Could you {v_task} {n_any} {when}?', '{The|Their} {quote|estimate|invoice} from {$vendor} {came to|is|was} {$money}.',
    '{If nobody objects|Unless someone shouts|If that works for you|If {$colleague} agrees}, {I will|I can|we can|I would} {start|begin|kick off|get going} {when}.', '{Could|Can} we do {$due}? I can {move|shuffle} things {around|about}.', '{$colleague} {is|was} {looking at|checking} {n_any} {too|as well}.',
  ],
  d_ps: ['P.S. {v_task} {n_any} {is still on my list|comes next|is not forgotten}.', 'P.S. {$colleague} has {the rest of the context|more detail|the numbers}.', 'P.S. {$ticket} {has|holds} {the notes|the history|more}.'],
  heading: ['{$topic}', 'Notes: {$topic}', '{$topic}, {$date}', '{$topic} ({$date})', '{$team}: {$topic}'],
  todo_heading: ['# TODO', '# todo', '# {$project} tasks', 'TODO', '## {$team} {this week|next up|open items}', '# Open items', '# {$project}'],
  p_comment: ['{v_task} {n_any}', 'see {$ticket}', 'ask {$colleague} before {changing|touching} this', 'keep in sync with {$wiki}', 'runs from cron on {$host}'],
  // A script's second comment line: about the script, never a task from elsewhere.
  p_script_note: ['see {$ticket}', 'ask {$colleague} before {changing|touching} this', 'keep in sync with {$wiki}', 'runs from cron on {$host}', 'careful: {no dry run|it does not ask}', '{$colleague} {wrote|started} this, I only {fixed|tidied} it'],
};

export const ROLES: Record<RoleKind, Record<string, readonly string[]>> = {
  ops: {
    n_role: [
      '{det} {$project} {deploy|rollout}', 'pl:{detp} {$monitoring} {alerts|checks}', '{det} {cert|certificate} on {$host}', 'pl:{detp} build {agents|runners}', '{det} disk on {$host}', 'pl:{detp} cron jobs on {this box|{$host}}',
      '{det} {$backup} job for {$project}', '{det} VPN config', 'pl:{detp} firewall rules {for|on|covering} {the office {range|subnet|network}|{$host}|the {VPN|guest} {range|subnet}}', '{det} log shipping to {$host}', '{det} patch level on {$host}',
      'pl:{detp} {stale|old} ssh keys', '{det} {load balancer|LB} health check', '{det} DNS entry for {$host}', '{det} {$paging} schedule', '{det} kernel update on {$host}',
      '{det} NTP drift on {$host}', 'pl:{detp} old snapshots', '{det} restore {test|drill}', '{det} runbook for {$project}',
    ],
  },
  dev: {
    n_role: [
      '{det} {$project} release', 'pl:{detp} flaky tests in {$project}', '{det} {$project} API client', '{det} {$ci} pipeline for {$project}', 'pl:{detp} dependency {bumps|updates}',
      '{det} staging {config|settings}', 'pl:{detp} {$project} migrations', '{det} retry logic in the {$project} worker', '{det} login {page|form}', '{det} feature flag for {$project}',
      '{det} merge request from {$colleague}', '{det} error handling in {$project}', 'pl:{detp} logs from the {$project} worker', '{det} {cache|caching} layer', '{det} {$project} README',
      '{det} rate {limiter|limits}', 'pl:{detp} {unit|integration|regression} tests {for|in|around} {the {parser|importer|exporter|scheduler|auth module}|{$project}}', '{det} webhook {handler|endpoint}',
    ],
  },
  dba: {
    n_role: [
      '{det} replica on {$host}', '{det} nightly dump of {$project}', 'pl:{detp} slow queries in {$project}', '{det} {$project} schema migration', '{det} connection pool',
      '{det} binlog {retention|expiry}', 'pl:{detp} indexes on the {$project} tables', '{det} restore drill', '{det} vacuum {schedule|settings}', '{det} failover {test|drill}', 'pl:{detp} grants for {$team}',
      '{det} {$backup} retention', '{det} replication lag alert', '{det} disk on {$host}', 'pl:{detp} long {transactions|queries}', '{det} {upgrade|migration} plan',
    ],
  },
  manager: {
    n_role: [
      '{det} hiring plan', 'pl:{detp} goals for next quarter', '{det} {$team} budget', 'pl:{detp} one-to-ones', '{det} roadmap for {$project}', '{det} contract with {$vendor}',
      '{det} rota for next month', 'pl:{detp} onboarding docs', '{det} offsite {agenda|plan}', '{det} {$project} status report', 'pl:{detp} holiday requests', '{det} incident {review|write-up}',
      '{det} headcount request', 'pl:{detp} licence renewals', '{det} {$team} retro', '{det} supplier review',
    ],
  },
  security: {
    n_role: [
      '{det} access review', 'pl:{detp} admin accounts on {$host}', '{det} {$passwords} vault', 'pl:{detp} expired certs', '{det} phishing report', '{det} MFA rollout',
      'pl:{detp} firewall exceptions', '{det} audit evidence', 'pl:{detp} service accounts of {$project}', '{det} vulnerability scan', '{det} leaver process',
      'pl:{detp} sudo rules on {$host}', '{det} log retention policy', '{det} pentest findings',
    ],
  },
  general: {
    n_role: ['{det} {$project} report', 'pl:{detp} {$biz} figures', '{det} {$ticketsName} queue', '{det} weekly export', 'pl:{detp} shared folders', '{det} {$project} spreadsheet'],
  },
};

/** Extra phrases when the decky runs a service (its own role). */
export const SERVICES: Record<string, readonly string[]> = {
  http: ['{det} nginx {config|vhost} on {this box|here}', 'pl:{detp} {502s|timeouts} from {$project}', '{det} TLS {cert|certificate} for the {site|portal}', 'pl:{detp} access logs {here|on this box}', '{det} upstream {timeout|keepalive}'],
  https: ['{det} TLS {cert|certificate} for the {site|portal}', 'pl:{detp} redirect rules'],
  mysql: ['{det} {mysql|MariaDB} slow log', '{det} innodb {buffer size|log size}', 'pl:{detp} {nightly|weekly} dumps {here|on this box}', '{det} {root|admin} password rotation'],
  postgres: ['{det} autovacuum settings', 'pl:{detp} WAL archives', '{det} pg_hba entries'],
  smtp: ['{det} mail queue', '{det} {SPF|DKIM} record', 'pl:{detp} bounced {messages|mails}'],
  ftp: ['{det} ftp {upload|drop} folder', 'pl:{detp} partner uploads'],
  smb: ['{det} {shared drive|share} quotas', 'pl:{detp} share permissions'],
  redis: ['{det} redis {memory limit|maxmemory}', 'pl:{detp} evicted keys'],
  ssh: ['{det} sshd {config|settings}', 'pl:{detp} {authorized keys|ssh keys} {here|on {this box|{$host}}}', '{det} fail2ban {rules|jail}'],
  default: ['{det} disk {here|on this box}', 'pl:{detp} package updates {here|on this box}', '{det} backup of {this box|this host}'],
};

export const TOPICS = [
  '{n_any}', '{n_any}', 'plans for {n_any}', 'problems with {n_any}', '{$project}', '{$project} follow-up', 'the {$team} sync', 'handover for {$day}',
];
