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
    'This is the {current|up to date|working} {list|register} of {servers|hosts} at {$company}{|, kept by the {IT|infrastructure|ops} team}.',
    '{Refreshed|Updated|Rebuilt} after the {rack move|hypervisor upgrade|annual audit|firewall replacement}; it {replaces|supersedes} the {old|previous} spreadsheet.',
    'Every {box|host|server} on the {$domain} network {should be|must be|is meant to be} on this {list|page}.',
  ],
  inventory_intro2: [
    'The owner {column|field} names who to {ask|talk to|contact} before {changing|touching|rebooting} a {host|machine}.',
    '{Anything|A machine} not listed here {should be|must be|needs to be} {reported to|raised with} the service desk before it {goes on|joins} the {$domain} network.',
    'Addresses are static{; DHCP reservations are not listed|| unless marked otherwise}.',
    '',
  ],
  inventory_close: [
    '{Management|Admin|Console} {logins|credentials|passwords} are in the team {vault|password manager}{|; ask {$author} if you need access}.',
    '{Ask|Ping|Talk to} {$author} {before adding|to add|about adding} a {host|machine|server}.',
    'If an address is wrong, {fix it here|update this page|tell {$author}} rather than {keeping|making} a private copy.',
  ],
  // budget
  budget_intro: [
    'Spend for {$quarter} {closed|ended|came in} {slightly under|close to|a little over|above} plan{.|; figures in {$currency}, payroll excluded.}',
    '{Approved budget|Budget} against {actual spend|actuals} per department for {$quarter}, in {$currency}{| and without payroll}.',
    '{$quarter} {numbers|figures} by department{, budget against actual|| as finance closed them}.',
  ],
  budget_intro2: [
    '{Most of the|The main|The biggest} {variance|difference|overrun} {came from|was} {cloud hosting|licence renewals|contractor fees|travel|a hardware refresh}.',
    'Department heads {please|should} send {comments|questions|corrections} before the next finance {meeting|review}.',
    '',
  ],
  budget_close: [
    '{Prepared|Put together|Compiled} by {$author}{. Not for {forwarding|circulation} outside {management|the management team}.|.}',
    '{Questions|Comments} to {$author}{| by the end of the month}.',
    'Internal figures{|, not audited}; {do not|please don\'t} {forward|send} this outside {$company}.',
  ],
  // vendors
  vendors_intro: [
    '{Current|Active} {suppliers|vendors} {for|of} {$company} and who to {call|contact} for each account.',
    'Who we buy from and {the person to ask|our contact} at each{|, with renewal dates from the signed contracts}.',
    '{Supplier|Vendor} contacts{ and renewal dates|}{, kept by {Procurement|Finance|Legal}|}.',
  ],
  vendors_intro2: [
    '{Numbers|Contacts|People} change {often|a lot}; {update this|fix the document} instead of keeping {your own|a private} copy.',
    'Renewal dates {come from|are taken from} the {signed|current} contracts{| held by {Procurement|Finance|Legal}}.',
    '',
  ],
  vendors_close: [
    '{Payment terms are|Terms:} net {30|45} unless the contract says otherwise.',
    '{New|Any new} {suppliers|vendors} go through {Procurement|Finance} first.',
    '{Ask|Contact} {$author} {about|for} anything {missing|out of date} here.',
  ],
  // access
  access_intro: [
    '{Who approves|The approvers for} access to each system, and the {directory|AD|LDAP} group that grants it.',
    'One {line|row} per system: {its|the} group, {its|the} approver and when it was last {reviewed|checked}.',
    '{Access|Permission} review for {$year}{| across the main systems}.',
  ],
  access_intro2: [
    'Reviews are due every {quarter|six months}; {overdue|late} {lines|rows} are {flagged|marked} for follow-up.',
    'Requests go through the service desk{|, and approvers confirm in writing}.',
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
    'Bank details {are on the invoice|have not changed this year|are the same as last year}.',
    '{Disputes|Disputed items} go to {$author}{| before anyone chases the customer}.',
    '{Chasers|Reminders} go out {weekly|every Monday|on the first of the month}.',
  ],
  // audit
  audit_intro: [
    '{Findings|Results} {of|from} the {internal audit|external assessment|annual security review} of {$company}.',
    '{Summary|Overview} of what the {internal audit|external assessment|security review} found{, with owners and due dates|}.',
    '{Open|Outstanding} {findings|items} from the {last|latest} {audit|security review}{| and who owns each}.',
  ],
  audit_intro2: [
    'Severity {uses|follows} the {usual|standard} four levels; owners {agreed|accepted} the due dates{| in the closing meeting}.',
    'Evidence {for each item|per finding} is in the audit folder{; keep it off personal drives|}.',
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
    'What to do {when|if} {$city} {goes down|is lost|is offline}{|: the target is core services back within {$hours} hours}.',
    '{Recovery|Failover} steps for {losing|an outage of} the {$city} site.',
  ],
  runbook_intro2: [
    '{Work through|Do} the steps in order and {note|record|write down} when each {one finished|was done} in the incident ticket.',
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
    'Temporary passwords are handed over in person and {changed|must be changed} at first login.',
    '{Your|The} manager {ticks|signs} off each {line|item}{| when it is done}.',
    '',
  ],
  onboarding_close: [
    'Guest Wi-Fi is separate from the staff network{; reception has the code|}. Help desk: helpdesk@{$mail}.',
    '{Problems|Questions} {go to|to} helpdesk@{$mail}.',
    '{Stuck|Anything missing}? {Mail|Write to} helpdesk@{$mail}.',
  ],
  // headcount
  headcount_intro: [
    '{Confidential|Restricted}. {Planned roles|Roles} and salary bands for {$year}, as agreed with {the leadership team|Finance|the board}.',
    '{Headcount|Hiring} plan for {$year}{; annual base salary in {$currency}, before benefits|}.',
    '{Roles|Positions} we plan to {fill|hire for} in {$year} and their bands.',
  ],
  headcount_intro2: ['Figures are annual base {salary|pay} in {$currency}{| before benefits}.', ''],
  headcount_close: [
    'Not for {sharing|circulation} outside HR and department heads. Owner: {$author}.',
    '{Owner|Contact}: {$author}. {HR and department heads only|Do not forward}.',
  ],
  // table items: each a rule of its own, so a deployment words them its way
  finding_0: ['{Shared|Same} local {administrator|admin} password on {workstations|all laptops|the desktops}'],
  finding_1: ['{Backups|Backup sets} not {tested|test-restored} {for restore |}in {the last 12 months|over a year}'],
  finding_2: ['{Former employees|Leavers|People who left} still {active|enabled} in the VPN group'],
  finding_3: ['Firewall rules {without|with no} {an owner|owner} or {a ticket reference|ticket}'],
  finding_4: ['{Database server|The database host} {reachable|visible} from the guest {wireless|Wi-Fi} network'],
  finding_5: ['Service accounts {with passwords that never expire|whose passwords never expire|with non-expiring passwords}'],
  finding_6: ['{Missing|Outstanding} security {patches|updates} on the file server'],
  finding_7: ['No {multi-factor|second-factor|MFA} {login|sign-in} for the remote desktop gateway'],
  finding_8: ['Log retention {shorter than|below} the {90 day|90-day} {policy|requirement}'],
  finding_9: ['Printer {management|admin} pages {using|left on} default {credentials|passwords}'],
  finding_10: ['Unencrypted laptop {found|left} in the {storage room|store room|comms room}'],
  finding_11: ['Admin accounts used for {daily|everyday} {email|mail} and browsing'],
  dr_0: ['Confirm the outage with {the on-call engineer|on-call} and open a {major incident|P1} ticket', '{Check|Confirm} the outage {is real |}and open {a major incident|a P1} ticket'],
  dr_1: ['{Notify|Tell|Call} the incident lead and the service desk {manager|lead}'],
  dr_2: ['Fail the {primary|main} database over to the standby {in|at} the second site', '{Promote|Switch to} the standby database {in|at} the second site'],
  dr_3: ['{Repoint|Switch} the internal DNS records to the standby addresses', 'Update internal DNS to {point at|use} the standby {addresses|hosts}'],
  dr_4: ['Restore the file shares from the {latest|last} {nightly|overnight} snapshot'],
  dr_5: ['Bring up the {application|app} servers in the recovery {cluster|site}', 'Start the {application|app} servers {in|at} the recovery {cluster|site}'],
  dr_6: ['Run the smoke tests {from|on} the checklist and {record|note} the results'],
  dr_7: ['{Reopen|Restore} remote access and {confirm|check} VPN logins {work|are working}'],
  dr_8: ['{Send|Post} the status update to {department heads|the heads of department}'],
  dr_9: ['{Schedule|Book} the {fail back|failback} window and the {post incident|post-incident} review'],
  on_0: ['Create {directory|AD|domain} account'],
  on_1: ['Add to {department|team} mailing list'],
  on_2: ['Issue laptop and enrol in device management', '{Issue|Hand over} laptop{, enrolled in| and enrol in} MDM'],
  on_3: ['Set up VPN {profile and token|access}'],
  on_4: ['Grant {read access to|access to} team shares'],
  on_5: ['Book security {awareness training|training}'],
  on_6: ['Create {ticketing system|service desk} login'],
  on_7: ['Order badge{ and parking permit|}'],
  on_8: ['Add to payroll{ and benefits|}'],
  on_9: ['{Walk through|Explain} the expense policy'],
  // the closing section's heading
  closing_heading: ['Notes', 'Next steps', 'Contacts', 'Remarks', 'Follow-up', 'Other'],
};

const cache = new Map<string, Grammar>();

/** The document grammar in the deployment's dialect (`key`: the organisation's, or a company name). */
function grammar(key: string): Grammar {
  let g = cache.get(key);
  if (g === undefined) {
    if (cache.size > 64) cache.clear();
    g = new Grammar(RULES).dialect(`${key}|documents`, 0.6);
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
