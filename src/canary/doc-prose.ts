// The prose of office documents (lures and the homes' ordinary documents alike): each report
// kind's opening and closing paragraphs as grammar rules with alternative phrasings, expanded in
// the deployment's dialect (text/grammar.ts), so no sentence is the same in every deployment.
// Before generator 26 each kind had one fixed paragraph: a YARA rule on it found every lure.
import type { Rng } from '../rng/stream.js';
import { Grammar, type Vars } from '../text/grammar.js';

const RULES: Readonly<Record<string, readonly string[]>> = {
  // inventory
  inventory_intro: [
    '{Servers|Hosts|Machines} and appliances {run|looked after|managed} by the {IT|infrastructure|operations} team at {$company}{, as of this month|| as they stand now}.',
    'This is the {current|up to date|working|live} {list|register|inventory} of {servers|hosts} at {$company}{|, kept by the {IT|infrastructure|ops} team}.',
    '{Refreshed|Updated|Rebuilt} after the {rack move|hypervisor upgrade|annual audit|firewall replacement}; it {replaces|supersedes} the {old|previous} spreadsheet.',
    'Every {box|host|server} on the {$domain} network {should be|must be|is meant to be} on this {list|page}.',
  ],
  inventory_intro2: [
    'The owner {column|field} names who to {ask|talk to|contact} before {changing|touching|rebooting} a {host|machine}.',
    '{Anything|A machine} not listed here {should be|must be|needs to be} {reported to|raised with} the service desk before it {goes on|joins} the {$domain} network.',
    'Addresses are static{; DHCP {reservations|leases} are {not listed|left out}|| unless marked otherwise}.',
    '',
  ],
  inventory_close: [
    '{Management|Admin|Console} {logins|credentials|passwords} are in the team {vault|password manager}{|; ask {$author} if you need access}.',
    '{Ask|Ping|Talk to} {$author} {before adding|to add|about adding} a {host|machine|server}.',
    'If an address is wrong, {fix it here|update this page|tell {$author}} rather than {keeping|making} a {private|personal|local} copy.',
  ],
  // budget
  budget_intro: [
    'Spend for {$quarter} {closed|ended|came in} {slightly under|close to|a little over|above} plan{.|; figures in {$currency}, payroll excluded.}',
    '{Approved budget|Budget|Plan} {against|versus|compared with} {actual spend|actuals|what we spent} {per|by|for each} department{ for {$quarter}|}, in {$currency}{| and without payroll| (payroll excluded)}.',
    '{$quarter} {numbers|figures|results} {by|per|for each} department{, budget against actual|| as finance closed them}.',
  ],
  budget_intro2: [
    '{Most of the|The main|The biggest} {variance|difference|overrun} {came from|was} {cloud hosting|licence renewals|contractor fees|travel|a hardware refresh}.',
    'Department heads {please|should} send {comments|questions|corrections} before the next finance {meeting|review}.',
    '',
  ],
  budget_close: [
    '{Prepared|Put together|Compiled} by {$author}{. Not for {forwarding|circulation} outside {management|the management team}.|.}',
    '{Questions|Comments} to {$author}{| by {the end of the month|month end|end of month}}.',
    'Internal figures{|, not audited}; {do not|please don\'t} {forward|send} this outside {$company}.',
  ],
  // vendors
  vendors_intro: [
    '{Current|Active} {suppliers|vendors} {for|of} {$company} and who to {call|contact} for each account.',
    'Who we buy from and {the person to ask|our contact} at each{|, with renewal dates {from|taken from|as in} the {signed|current} contracts}.',
    '{Supplier|Vendor} contacts{ and renewal dates|}{, kept by {Procurement|Finance|Legal}|}.',
  ],
  vendors_intro2: [
    '{Numbers|Contacts|People} change {often|a lot}; {update this|fix the document} instead of keeping {your own|a private} copy.',
    'Renewal dates {come from|are taken from|follow} the {signed|current|latest} contracts{| held by {Procurement|Finance|Legal}}.',
    '',
  ],
  vendors_close: [
    '{Payment terms are|Terms:} net {30|45} {unless the contract says otherwise|unless agreed otherwise|by default}.',
    '{New|Any new} {suppliers|vendors} go through {Procurement|Finance} first.',
    '{Ask|Contact} {$author} {about|for} anything {missing|out of date} here.',
  ],
  // access
  access_intro: [
    '{Who approves|The approvers for} access to {each|every} system, and the {directory|AD|LDAP} group that grants it.',
    'One {line|row} per system: {its|the} group, {its|the} approver and {when it was last|the date it was last|the last time it was} {reviewed|checked}.',
    '{Access|Permission} review for {$year}{| across the main systems}.',
  ],
  access_intro2: [
    'Reviews are due every {quarter|six months}; {overdue|late} {lines|rows} are {flagged|marked} for follow-up.',
    'Requests go {through|via} the {service desk|help desk}{|, and approvers confirm {in writing|by email}}.',
    '',
  ],
  access_close: ['{Questions|Queries} to {$author}.', '{Changes|Updates} to this {table|list} go through {$author}.', 'Next review {due|planned} {next quarter|in six months}.'],
  // invoices
  invoices_intro: [
    '{Invoices|Items} {$company} {issued|sent out} that were {still open|unpaid|open} at {period end|the end of the period}{; amounts include tax|}.',
    '{Open|Outstanding|Unpaid} {invoices|receivables} at the end of {$quarter}{, tax included|}.',
    '{Receivables|What customers still owe us} {as of|at} {period end|the close of {$quarter}}.',
  ],
  invoices_intro2: [
    '{Anything|Items} older than {60|90} days {has gone|went|was passed} to {collections|the reminder run}.',
    '',
  ],
  invoices_close: [
    'Bank details {are on the invoice|have not changed this year|{are the same as|match|did not change from} last year}.',
    '{Disputes|Disputed items} go to {$author}{| before anyone chases the customer}.',
    '{Chasers|Reminders} go out {weekly|every Monday|on the {first|1st} of {the|each} month}.',
  ],
  // audit
  audit_intro: [
    '{Findings|Results} {of|from} the {internal audit|external assessment|annual security review} of {$company}.',
    '{Summary|Overview} of what the {internal audit|external assessment|security review} {found|turned up|raised}{, with {owners|the owner} and {due dates|deadlines}|}.',
    '{Open|Outstanding} {findings|items} from the {last|latest} {audit|security review}{| and who owns each}.',
  ],
  audit_intro2: [
    'Severity {uses|follows} the {usual|standard} four levels; owners {agreed|accepted} the due dates{| in the closing meeting}.',
    'Evidence {for each item|per finding} is in the audit folder{; keep it off {personal|private|local} drives|}.',
    '',
  ],
  audit_close: [
    'Status {updates|reports} to {$author} every {two weeks|week|month} until {everything|each item} is closed.',
    '{Closed|Fixed} items {need|want} evidence before {$author} {signs them off|ticks them}.',
    'Next {check-in|review}: {end of month|next quarter|in four weeks}.',
  ],
  // runbook
  runbook_intro: [
    '{Use|Follow} this {when|if} the {primary|main} site in {$city} is {down|unavailable|unreachable} for more than {$minutes} minutes.',
    'What to do {when|if} {$city} {goes down|is lost|is offline}{|: {the target is|we aim for|aim for} core services back within {$hours} hours}.',
    '{Recovery|Failover} steps for {losing|an outage of} the {$city} site.',
  ],
  runbook_intro2: [
    '{Work through|Do|Follow} the steps {in order|one by one|in sequence} and {note|record|write down} {when|the time} each {one finished|was done|step ended} in the {incident ticket|ticket|incident log}.',
    'The target is {core services|the main systems} back within {$hours} hours.',
    '',
  ],
  runbook_close: [
    '{Bridge|Emergency line}: {$phone}{|. Out of hours: {$escalation}, {$phone2}}.',
    '{Escalation|Out of hours}: {$escalation} ({$phone2}).',
  ],
  // onboarding
  onboarding_intro: [
    '{Welcome to|Hello and welcome to} {$company}{.|!} {This|The} {checklist|list} is {worked through|done} by {your|the} manager and IT in {the first|your first} week.',
    'First-week {checklist|tasks} for new {starters|staff} at {$company}.',
    'What {IT|we} set up for {a new starter|new people} {in the first week|before day one}.',
  ],
  onboarding_intro2: [
    '{Temporary|First|Starter} passwords {are handed over|come|are given} {in person|face to face|by the manager} and {changed|must be changed|get changed} at {first login|the first sign-in|first use}.',
    '{Your|The} manager {ticks|signs} off each {line|item}{| when it is done}.',
    '',
  ],
  onboarding_close: [
    '{Guest Wi-Fi|The guest network|Visitor Wi-Fi} is {separate from|not|kept apart from} the {staff|office|internal} network{; reception has the code|}. Help desk: helpdesk@{$mail}.',
    '{Problems|Questions} {go to|to} helpdesk@{$mail}.',
    '{Stuck|Anything missing}? {Mail|Write to} helpdesk@{$mail}.',
  ],
  // headcount
  headcount_intro: [
    '{Confidential|Restricted}. {Planned roles|Roles} and {salary bands|pay bands|bands} for {$year}, {as agreed with|signed off by|agreed with} {the leadership team|Finance|the board}.',
    '{Headcount|Hiring} plan for {$year}{; annual base salary in {$currency}, before benefits|}.',
    '{Roles|Positions} we plan to {fill|hire for} in {$year} and their bands.',
  ],
  headcount_intro2: ['{Figures|Amounts|Numbers} are annual base {salary|pay} in {$currency}{| before benefits}.', ''],
  headcount_close: [
    'Not for {sharing|circulation} outside {HR and department heads|HR and the heads|HR and managers}. {Owner|Contact}: {$author}.',
    '{Owner|Contact}: {$author}. {HR and department heads only|Do not forward}.',
  ],
  // table items: each a rule of its own, so a deployment words them its way
  finding_0: ['{Shared|Same|Identical} local {administrator|admin} password on {workstations|all laptops|the desktops|every PC}', 'One local admin password {across|on all} {workstations|laptops|desktops}', 'Local {admin|administrator} {accounts|passwords} {reused|the same} on {every|each} {workstation|laptop|PC}'],
  finding_1: ['{Backups|Backup sets|Nightly backups} {never|not} {tested|test-restored|restored as a test} in {the last 12 months|over a year|a year}', 'No restore test of {the backups|backups|backup data} {this year|in twelve months|since last year}', '{Restores|Restore tests} {not done|not carried out|skipped} for {over a year|12 months|the whole year}'],
  finding_2: ['{Former employees|Leavers|People who left|Ex-staff} still {active|enabled|listed} in the VPN group', 'VPN group {still holds|includes|contains} {leavers|former staff|old accounts}', '{Accounts|Logins} of {leavers|former staff} {not removed|left} {from|in} the VPN group'],
  finding_3: ['Firewall rules {without|with no|lacking} {an owner|owner|a named owner} or {a ticket reference|ticket|change reference}', '{Unowned|Undocumented|Orphaned} firewall rules{| with no ticket}', '{Some|Several|Many} firewall rules {have no|lack an} {owner|owner or ticket}'],
  finding_4: ['{Database server|The database host|DB server} {reachable|visible|open} from the guest {wireless|Wi-Fi|network}', 'Guest {Wi-Fi|wireless|network} {can reach|sees|reaches} the database {server|host}', '{No|Missing} {isolation|separation} between guest {Wi-Fi|wireless} and the database'],
  finding_5: ['Service accounts {with passwords that never expire|whose passwords never expire|with non-expiring passwords}', '{Non-expiring|Never-expiring|Permanent} passwords on service accounts', 'Service account passwords {set to|configured to} never expire'],
  finding_6: ['{Missing|Outstanding|Overdue} security {patches|updates|fixes} on the file server', 'File server {behind|not up to date} on {security patches|updates|patching}', '{Patching|Updates} {overdue|behind|late} on the file server'],
  finding_7: ['No {multi-factor|second-factor|MFA|2FA} {login|sign-in|authentication} for the remote desktop gateway', 'Remote desktop gateway {lacks|has no|without} {MFA|2FA|a second factor}', '{RDP|Remote desktop} {access|gateway} {on passwords only|with passwords alone|single-factor}'],
  finding_8: ['Log retention {shorter than|below|under} the {90 day|90-day|three-month} {policy|requirement|standard}', 'Logs {kept|retained|held} for less than {90 days|the 90 days {policy asks for|the policy wants|required}|three months}', '{Retention|Log retention} {too short|not meeting policy|under target}'],
  finding_9: ['Printer {management|admin|web} pages {using|left on|with} default {credentials|passwords|logins}', 'Default {passwords|credentials|logins} on {printer|the printers\'} {admin|management|web} pages', '{Printers|Network printers} still {on|using} {factory|default} {passwords|credentials}'],
  finding_10: ['Unencrypted laptop {found|left|discovered} in the {storage room|store room|comms room|stock cupboard}', '{Laptop|A laptop|Spare laptop} without disk encryption {found|in|left in} {storage|the store room|a cupboard}', '{Disk encryption|Encryption} {missing|off} on a {spare|stored|loan} laptop'],
  finding_11: ['Admin accounts used for {daily|everyday|routine} {email|mail} and browsing', '{Privileged|Admin|Administrator} accounts {used|in use} for {mail|email} and web browsing', '{Mail|Email} and browsing {done|read} {with|from} admin accounts'],
  dr_0: ['Confirm the outage with {the on-call engineer|on-call|the duty engineer} and open a {major incident|P1|priority one} ticket', '{Check|Confirm|Verify} the outage {is real|with on-call|first} and {open|raise|log} {a major incident|a P1|an incident} ticket', '{Open|Raise} a {P1|major incident|priority ticket} once {on-call|the duty engineer} {confirms|has confirmed} the outage'],
  dr_1: ['{Notify|Tell|Call|Page} the {incident lead|incident manager|duty manager} and the {service desk|help desk} {manager|lead|supervisor}', '{Page|Call|Alert} {the incident lead|incident management}{, then the service desk| and service desk}', '{Let|Get} the {incident lead|duty manager} and {service desk|the help desk} {know|on the call}'],
  dr_2: ['Fail the {primary|main|production} database over to the standby {in|at} the second site', '{Promote|Switch to|Activate} the standby database {in|at} {the second site|the DR site|site B}', '{Database|DB} failover to {the standby|the replica|site B}'],
  dr_3: ['{Repoint|Switch|Move} the {internal|inside|office} DNS {records|entries|names} to the standby {addresses|IPs|hosts}', '{Update|Change} internal DNS to {point at|use|resolve to} the standby {addresses|hosts|servers}', 'DNS: {standby|DR} {addresses|records} {in|live}'],
  dr_4: ['{Restore|Recover} the {file shares|shares|shared drives} from the {latest|last|most recent} {nightly|overnight|daily} snapshot', '{File shares|Shares|The shared drives} {back|restored} from {the last|last night\'s|the newest} snapshot', '{Bring back|Recover|Restore} {shares|file shares} {from snapshot|using the nightly snapshot}'],
  dr_5: ['{Bring up|Start|Restart} the {application|app} servers in the recovery {cluster|site|environment}', '{Start|Boot|Power on} the {application|app} servers {in|at} the recovery {cluster|site}', '{App servers|Applications} up in {DR|recovery|the second site}'],
  dr_6: ['Run the smoke tests {from|on|in} the checklist and {record|note|log} the results', '{Smoke test|Test} {each|every|the core} {service|system|application}{ and record results|; note failures}', '{Check|Test} {logins|the main apps|core services} {work|respond} and {record|write down} {it|the outcome}'],
  dr_7: ['{Reopen|Restore|Re-enable} remote access and {confirm|check|verify} VPN logins {work|are working|succeed}', 'VPN {back|restored|open}{; test a login| and tested|, logins checked}', '{Remote access|VPN} {re-enabled|brought back}{ and tested|, test with two users}'],
  dr_8: ['{Send|Post|Circulate} the status update to {department heads|the heads of department|managers}', '{Status update|Update} {to|for} {department heads|managers|the leadership team}', '{Tell|Update|Brief} {managers|department heads|the business} {on|about} {status|progress|where we are}'],
  dr_9: ['{Schedule|Book|Plan} the {fail back|failback} window and the {post incident|post-incident} review', '{Failback|Fail back} {window|date} and {review|post-mortem|retro} {booked|scheduled|in the calendar}', '{Agree|Set} {a failback|the failback} {date|window}{; book the review|, then the review}'],
  on_0: ['Create {directory|AD|domain|network} account', '{Directory|AD|Domain} {account|login} {created|set up}', '{Set up|Create} {user|network|domain} account'],
  on_1: ['Add to {department|team} mailing list', '{Mailing|Distribution} list{ membership|s}', '{Team|Department} {list|distribution list} {added|membership}'],
  on_2: ['{Issue|Hand over} laptop and {enrol|register} in {device management|MDM|Intune}', '{Issue|Hand over|Deliver} laptop{, enrolled in MDM| with MDM enrolment}', '{Laptop|Device} {issued|set up} {and enrolled|with management}'],
  on_3: ['Set up VPN {profile and token|access|client}', '{VPN|Remote access} {access|profile|token} {set up|issued|configured}', '{Configure|Issue} {VPN|remote access}'],
  on_4: ['Grant {read access to|access to} team shares', '{Team|Shared} {drive|folder|share} access', '{Access|Permissions} on {team|department} {shares|folders|drives}'],
  on_5: ['Book security {awareness training|training|induction}', '{Security|Awareness} training {booked|scheduled|arranged}', '{Enrol in|Sign up for} {security|phishing} {awareness|training}'],
  on_6: ['Create {ticketing system|service desk|help desk} login', '{Ticketing|Service desk|Help desk} {account|login|access}', '{Set up|Add} {ticketing|help desk|service desk} {user|login}'],
  on_7: ['Order badge{ and parking permit| and key fob|}', '{Badge|Building pass|Access card} {ordered|requested|printed}', '{Request|Order} {building|door|site} access {card|badge|fob}'],
  on_8: ['Add to payroll{ and benefits| and pension|}', '{Payroll|Pay} {set up|details|record} {created|added|done}', '{Register|Set up} {on payroll|for pay and benefits|with payroll}'],
  on_9: ['{Walk through|Explain|Go through} the expense policy', '{Expense|Expenses} {policy|rules|process} {explained|walkthrough|covered}', '{Show|Explain} {how expenses work|the expenses tool|expense claims}'],
  // the closing section's heading
  closing_heading: ['Notes', 'Next steps', 'Contacts', 'Remarks', 'Follow-up', 'Other'],
};

const cache = new Map<string, Grammar>();

/** The document grammar in the deployment's dialect (`key`: the organisation's, or a company name). */
function grammar(key: string): Grammar {
  let g = cache.get(key);
  if (g === undefined) {
    if (cache.size > 64) cache.clear();
    g = new Grammar(RULES).dialect(`${key}|documents`, 0.35);
    cache.set(key, g);
  }
  return g;
}

/** A kind's paragraph (`intro`, `intro2`, `close`); '' when the drawn phrasing leaves it out. */
export function docParagraph(key: string, kind: string, part: 'intro' | 'intro2' | 'close', rng: Rng, vars: Vars): string {
  return grammar(key).expand(`${kind}_${part}`, rng, vars);
}

/** A table item (`finding_3`, `dr_0`, `on_5`) in the deployment's wording. */
export function docItem(key: string, rule: string, rng: Rng): string {
  return grammar(key).expand(rule, rng, {});
}

export function closingHeading(key: string, rng: Rng): string {
  return grammar(key).expand('closing_heading', rng, {});
}
