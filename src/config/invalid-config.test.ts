import { formatProblem, type ConfigProblem } from './config-problem';
import { checkConfigTexts } from './load-config';
import { editedTexts, lineOf, type FileEdit } from './testing-fixtures';

/**
 * One broken config each: the check must fail and report a problem that names the file, the path
 * inside it, the reason, and the line (given as a text the line holds, in the edited file).
 */
interface Case {
  name: string;
  edits: Record<string, FileEdit | FileEdit[]>;
  file: string;
  path: string;
  message: RegExp;
  /** A text on the expected line of the edited file, or the line number; omitted where no line is known. */
  line?: string | number;
}

const S = 'scoring.yaml';
const H = 'mappings/hubspot.yaml';
const SF = 'mappings/salesforce.yaml';
const R = 'routing.yaml';

const cases: Case[] = [
  // ---- mapping files: polling and API budget ----
  {
    name: 'an API budget share above 1',
    edits: { [SF]: ['maxShare: 0.5', 'maxShare: 1.5'] },
    file: SF,
    path: 'apiBudget.maxShare',
    message: /1/,
    line: 'maxShare: 1.5',
  },
  {
    name: 'an API budget on HubSpot, which has no daily allocation to share',
    edits: { [H]: ['polling:\n  interval: 5m', 'polling:\n  interval: 5m\napiBudget:\n  maxShare: 0.5'] },
    file: H,
    path: 'apiBudget',
    message: /apiBudget is a Salesforce setting/,
    line: 'apiBudget:',
  },
  {
    name: 'a polling interval that is not a duration',
    edits: { [H]: ['interval: 5m', 'interval: often'] },
    file: H,
    path: 'polling.interval',
    message: /a duration is a number and a unit/,
    line: 'interval: often',
  },
  // ---- scoring.yaml: values ----
  {
    name: 'a duration without a unit letter',
    edits: { [S]: ['within: 7d\n      points: 10', 'within: 7days\n      points: 10'] },
    file: S,
    path: 'engagement.rules[1].within',
    message: /a duration is a number and a unit: 90s, 15m, 2h, 7d.*found the text "7days"/,
    line: 'within: 7days',
  },
  {
    name: 'a duration of zero',
    edits: { [S]: ['    halfLife: 30d\n    step: 1d', '    halfLife: 0d\n    step: 1d'] },
    file: S,
    path: 'engagement.decay.halfLife',
    message: /a duration must be longer than 0/,
    line: 'halfLife: 0d',
  },
  {
    name: 'a number where a duration belongs',
    edits: { [S]: ['for: 14d', 'for: 14'] },
    file: S,
    path: 'engagement.rules[20].silence.for',
    message: /expected a duration like 90s, 15m, 2h or 7d, found the number 14/,
    line: 'for: 14',
  },
  {
    name: 'warm at or above hot',
    edits: { [S]: ['warm: 40', 'warm: 70'] },
    file: S,
    path: 'thresholds.warm',
    message: /warm \(70\) must be below hot \(60\)/,
    line: 'warm: 70',
  },
  {
    name: 'a threshold above 100',
    edits: { [S]: ['hot: 60', 'hot: 160'] },
    file: S,
    path: 'thresholds.hot',
    message: /must be at most 100, found the number 160/,
    line: 'hot: 160',
  },
  {
    name: 'mql at or above sql',
    edits: { [S]: ['mql: 50', 'mql: 80'] },
    file: S,
    path: 'lifecycle.mql',
    message: /mql \(80\) must be below sql \(75\)/,
    line: 'mql: 80',
  },
  {
    name: 'weights that do not add up to 1',
    edits: { [S]: ['engagement: 0.5\n', 'engagement: 0.6\n'] },
    file: S,
    path: 'weights',
    message: /fit and engagement weights must add up to 1 \(they add up to 1.1\)/,
    line: 'weights:',
  },
  {
    name: 'a rule worth 0 points',
    edits: { [S]: ['points: 25\n    - id: recent-visit', 'points: 0\n    - id: recent-visit'] },
    file: S,
    path: 'engagement.rules[2].points',
    message: /points cannot be 0 \(remove the rule instead\)/,
    line: 'points: 0',
  },
  {
    name: 'text where a number belongs',
    edits: { [S]: ['max: 15                     # per view', 'max: fifteen                # per view'] },
    file: S,
    path: 'engagement.rules[0].max',
    message: /expected a number, found the text "fifteen"/,
    line: 'max: fifteen',
  },
  {
    name: 'a cap below the rule\'s own points',
    edits: { [S]: ['      inList: competitors\n      points: -50', '      inList: competitors\n      points: -50\n      max: 10'] },
    file: S,
    path: 'fit.rules[14].max',
    message: /max \(10\) is below the rule's own points \(-50\)/,
    line: 'max: 10',
  },

  // ---- scoring.yaml: structure ----
  {
    name: 'an unknown key, with a suggestion',
    edits: { [S]: ['      atLeast: 2\n', '      atLeast: 2\n      withn: 7d\n'] },
    file: S,
    path: 'engagement.rules[1].withn',
    message: /unknown key "withn" \(did you mean "within"\?\)/,
    line: 'withn: 7d',
  },
  {
    name: 'an unknown top-level key',
    edits: { [S]: ['lifecycle:\n  mql', 'lifecylce:\n  mql'] },
    file: S,
    path: 'lifecylce',
    message: /unknown key "lifecylce" \(did you mean "lifecycle"\?\)/,
    line: 'lifecylce:',
  },
  {
    name: 'a rule without a label',
    edits: { [S]: ['    - id: demo-request\n      label: Requested a demo\n', '    - id: demo-request\n'] },
    file: S,
    path: 'engagement.rules[5].label',
    message: /required but missing: expected text \(the text a sales rep reads/,
    line: '- id: demo-request',
  },
  {
    name: 'an empty label',
    edits: { [S]: ['label: Met with sales', 'label: "  "'] },
    file: S,
    path: 'engagement.rules[7].label',
    message: /a label is the text a sales rep reads; it cannot be empty/,
    line: 'label: "  "',
  },
  {
    name: 'a rule id used twice',
    edits: { [S]: ['id: title-vp', 'id: title-c-level'] },
    file: S,
    path: 'fit.rules[1].id',
    message: /rule id "title-c-level" is already used in fit.rules\[0\]/,
    line: 'id: title-c-level\n      label: Vice president',
  },
  {
    name: 'a rule id that is not lower-case',
    edits: { [S]: ['id: title-vp', 'id: Title VP'] },
    file: S,
    path: 'fit.rules[1].id',
    message: /an id is lower-case letters, digits, "-" and "_".*found the text "Title VP"/,
    line: 'id: Title VP',
  },
  {
    name: 'an unknown group',
    edits: { [S]: ['group: seniority\n      attribute: title\n      regex: "\\\\b(vp', 'group: senority\n      attribute: title\n      regex: "\\\\b(vp'] },
    file: S,
    path: 'fit.rules[1].group',
    message: /no group "senority" under fit.groups/,
    line: 'group: senority',
  },
  {
    name: 'an unknown list',
    edits: { [S]: ['inList: targetIndustries', 'inList: targetIndustry'] },
    file: S,
    path: 'fit.rules[5].inList',
    message: /no list "targetIndustry" under lists/,
    line: 'inList: targetIndustry',
  },
  {
    name: 'an unknown list inside an event property test of a sequence step',
    edits: { [S]: ['- { event: page_view, where: { url: { contains: /pricing } } }', '- { event: page_view, where: { url: { inList: pricingPages } } }'] },
    file: S,
    path: 'engagement.rules[2].sequence[0].where.url.inList',
    message: /no list "pricingPages" under lists/,
    line: 'inList: pricingPages',
  },
  {
    name: 'a regular expression that does not compile',
    edits: { [S]: ['regex: "\\\\b(manager|team lead)\\\\b"', 'regex: "(manager"'] },
    file: S,
    path: 'fit.rules[3].regex',
    message: /not a valid regular expression \(Unterminated group\)/,
    line: 'regex: "(manager"',
  },
  {
    name: 'two tests in one rule',
    edits: { [S]: ['inList: targetCountries\n      points: 10', 'inList: targetCountries\n      equals: US\n      points: 10'] },
    file: S,
    path: 'fit.rules[10]',
    message: /has equals and inList: use one test per condition \(or "all:"\)/,
    line: '- id: target-country',
  },
  {
    name: 'a rule without a test',
    edits: { [S]: ['inList: targetCountries\n      points: 10', 'points: 10'] },
    file: S,
    path: 'fit.rules[10]',
    message: /needs one test: equals, in, inList/,
    line: '- id: target-country',
  },
  {
    name: 'a condition without a test inside all:',
    edits: { [S]: ['- { attribute: emailDomain, present: true }', '- { attribute: emailDomain }'] },
    file: S,
    path: 'fit.rules[11].all[0]',
    message: /needs one test/,
    line: '- { attribute: emailDomain }',
  },
  {
    name: 'between with the bounds reversed',
    edits: { [S]: ['between: [50, 999]', 'between: [999, 50]'] },
    file: S,
    path: 'fit.rules[6].between',
    message: /the first number \(999\) must not exceed the second \(50\)/,
    line: 'between: [999, 50]',
  },
  {
    name: 'a range that nothing can match',
    edits: { [S]: ['      gte: 1000\n      points: 20', '      gte: 1000\n      lte: 10\n      points: 20'] },
    file: S,
    path: 'fit.rules[7]',
    message: /the range is empty: the lower bound \(1000\) is above the upper bound \(10\)/,
    line: '- id: company-size-enterprise',
  },
  {
    name: 'per on an all: rule',
    edits: { [S]: ['        - { attribute: emailDomain, inList: competitors, not: true }\n      points: 10', '        - { attribute: emailDomain, inList: competitors, not: true }\n      per: 2\n      points: 10'] },
    file: S,
    path: 'fit.rules[11].per',
    message: /per works on one numeric attribute/,
    line: 'per: 2',
  },
  {
    name: 'a fit group with decay',
    edits: { [S]: ['- id: seniority\n      label: Seniority', '- id: seniority\n      decay: { type: none }\n      label: Seniority'] },
    file: S,
    path: 'fit.groups[0].decay',
    message: /fit does not decay: decay belongs to engagement groups/,
    line: 'decay: { type: none }',
  },
  {
    name: 'a decay of an unknown type',
    edits: { [S]: ['type: halfLife\n    halfLife: 30d', 'type: exponential\n    halfLife: 30d'] },
    file: S,
    path: 'engagement.decay.type',
    message: /must be one of none, halfLife, linear; found the text "exponential"/,
    line: 'type: exponential',
  },
  {
    name: 'a decay step longer than the half-life',
    edits: { [S]: ['    halfLife: 30d\n    step: 1d', '    halfLife: 30d\n    step: 60d'] },
    file: S,
    path: 'engagement.decay.step',
    message: /the step must not be longer than halfLife/,
    line: 'step: 60d',
  },
  {
    name: 'a sequence with one step',
    edits: { [S]: ['        - { event: form_submission }\n', ''] },
    file: S,
    path: 'engagement.rules[2].sequence',
    message: /a sequence has at least two steps/,
    line: '      sequence:\n',
  },
  {
    name: 'a sequence without within',
    edits: { [S]: ['      within: 24h\n', ''] },
    file: S,
    path: 'engagement.rules[2].within',
    message: /required but missing: expected a duration/,
    line: '- id: pricing-then-form',
  },
  {
    name: 'an event rule whose event is a number (the event branch is reported, not union noise)',
    edits: { [S]: ['      event: email_click\n', '      event: 5\n'] },
    file: S,
    path: 'engagement.rules[10].event',
    message: /expected text or a list .*found the number 5/,
    line: 'event: 5',
  },
  {
    name: 'a misspelled event property test',
    edits: { [S]: ['      where: { url: { contains: /pricing } }\n      points: 5', '      where: { url: { contans: /pricing } }\n      points: 5'] },
    file: S,
    path: 'engagement.rules[0].where.url.contans',
    message: /unknown key "contans" \(did you mean "contains"\?\)/,
    line: 'contans',
  },
  {
    name: 'a misspelled key in a silence rule',
    edits: { [S]: ['after: { event: demo_request }', 'after: { evnt: demo_request }'] },
    file: S,
    path: 'engagement.rules[20].silence.after.evnt',
    message: /unknown key "evnt" \(did you mean "event"\?\)/,
    line: 'evnt: demo_request',
  },
  {
    name: 'a key of another rule form',
    edits: { [S]: ['      silence:\n', '      within: 7d\n      silence:\n'] },
    file: S,
    path: 'engagement.rules[20].within',
    message: /"within" does not go with the other keys here; allowed here: id, label, points, max, group, silence/,
    line: 'within: 7d\n      silence:',
  },
  {
    name: 'an engagement rule that is not a mapping',
    edits: { [S]: ['  rules:\n    # --- buying intent', '  rules:\n    - pricing-page-views\n    # --- buying intent'] },
    file: S,
    path: 'engagement.rules[0]',
    message: /expected a mapping \("key: value" lines\), found the text "pricing-page-views"/,
    line: '- pricing-page-views',
  },
  {
    name: 'a rule that uses an attribute no mapping fills (a typo)',
    edits: { [S]: ['      attribute: pageViews\n', '      attribute: pageView\n'] },
    file: S,
    path: 'engagement.rules[11].attribute',
    message: /no mapping fills the attribute "pageView" \(did you mean "pageViews"\?\)/,
    line: 'attribute: pageView',
  },
  {
    name: '"at" naming an attribute the mapping reads as text',
    edits: { [S]: ['      at: lastFormAt', '      at: lastFormName'] },
    file: S,
    path: 'engagement.rules[12].at',
    message: /"lastFormName" is read as string in mappings\/hubspot.yaml \(contact\): map it with type date/,
    line: 'at: lastFormName',
  },

  // ---- YAML itself ----
  {
    name: 'a YAML syntax error',
    edits: { [S]: ['model: default-2026-11', 'model: default: 2026-11'] },
    file: S,
    path: '',
    message: /YAML syntax: .*\(column \d+\)/,
    line: 'model: default: 2026-11',
  },
  {
    name: 'a duplicate YAML key',
    edits: { [S]: ['hot: 60', 'hot: 60\n  hot: 70'] },
    file: S,
    path: 'thresholds.hot',
    message: /duplicate key "hot": a key can appear only once in a mapping \(it is already on line \d+\)/,
    line: 'hot: 70',
  },
  {
    name: 'a tab used for indentation',
    edits: { [S]: ['  hot: 60', '\thot: 60'] },
    file: S,
    path: '',
    message: /YAML syntax: /,
    line: '\thot: 60',
  },
  {
    name: 'a file that is only comments',
    edits: { [SF]: '# nothing here yet\n' },
    file: SF,
    path: '',
    message: /the file is empty/,
    line: 1,
  },
  {
    name: 'a file that holds a list instead of settings',
    edits: { [R]: '- sla\n- recycle\n' },
    file: R,
    path: '',
    message: /expected a mapping \("key: value" lines\), found a list/,
    line: 1,
  },

  // ---- mappings ----
  {
    name: 'a mapping with an unknown type',
    edits: { [H]: ['type: range }', 'type: ranges }'] },
    file: H,
    path: 'objects.contact.attributes.companySize.type',
    message: /must be one of string, number, range, date, boolean, email, presence; found the text "ranges" \(did you mean "range"\?\)/,
    line: 'type: ranges',
  },
  {
    name: 'a mapping without a field',
    edits: { [H]: ['{ field: jobtitle }', '{ type: string }'] },
    file: H,
    path: 'objects.contact.attributes.title.field',
    message: /required but missing: expected text \(the API \(internal\) name of the CRM field/,
    line: 'title:',
  },
  {
    name: 'a mapping file for the other CRM',
    edits: { [H]: ['crm: hubspot', 'crm: salesforce'] },
    file: H,
    path: 'crm',
    message: /this file maps hubspot \(its name says so\) but crm is "salesforce"/,
    line: 'crm: salesforce',
  },
  {
    name: 'a HubSpot field that follows a relationship',
    edits: { [H]: ['{ field: company }', '{ field: Account.Name }'] },
    file: H,
    path: 'objects.contact.attributes.company.field',
    message: /HubSpot properties are flat: "Account.Name" cannot follow a relationship/,
    line: 'Account.Name',
  },
  {
    name: 'a HubSpot object that is not scored',
    edits: { [H]: ['objects:\n  contact:', 'objects:\n  contacts:'] },
    file: H,
    path: 'objects.contacts',
    message: /HubSpot mappings score contact; "contacts" is not one of them/,
    line: 'contacts:',
  },
  {
    name: 'HubSpot event sources',
    edits: { [H]: ['    events: []', '    events:\n      - { from: Task, type: sales_activity, at: CreatedDate }'] },
    file: H,
    path: 'objects.contact.events',
    message: /HubSpot mappings cannot read related records as events/,
    line: 'events:',
  },
  {
    name: 'reading back a field the connector writes',
    edits: { [H]: ['{ field: hs_lead_status }', '{ field: lead_score }'] },
    file: H,
    path: 'objects.contact.attributes.leadStatus.field',
    message: /"lead_score" is written by the connector .*feed on itself/,
    line: 'field: lead_score }',
  },
  {
    name: 'a Salesforce output field that is not a custom field',
    edits: { [SF]: ['score: Lead_Score__c', 'score: lead_score'] },
    file: SF,
    path: 'output.score',
    message: /a Salesforce custom field name .* ending in __c.*found "lead_score"/,
    line: 'score: lead_score',
  },
  {
    name: 'a Salesforce event source without a date field',
    edits: { [SF]: ['        type: meeting\n        at: ActivityDateTime\n', '        type: meeting\n'] },
    file: SF,
    path: 'objects.Lead.events[2].at',
    message: /required but missing/,
    line: '- from: Event',
  },

  // ---- routing.yaml ----
  {
    name: 'an SLA rule without due',
    edits: { [R]: ['  - tier: warm\n    due: 1d', '  - tier: warm'] },
    file: R,
    path: 'sla[1].due',
    message: /required but missing: expected a duration like 90s, 15m, 2h or 7d/,
    line: '- tier: warm',
  },
  {
    name: 'an SLA rule without a condition',
    edits: { [R]: ['  - tier: warm\n    due: 1d', '  - due: 1d'] },
    file: R,
    path: 'sla[1]',
    message: /needs a condition: tier \(hot, warm, cold\) or minScore/,
    line: '- due: 1d',
  },
  {
    name: 'an SLA rule that can never apply',
    edits: { [R]: ['  - tier: warm\n    due: 1d', '  - tier: hot\n    due: 1d'] },
    file: R,
    path: 'sla[1]',
    message: /repeats sla\[0\] \(tier hot\): the first match wins/,
    line: '- tier: hot\n    due: 1d',
  },
  {
    name: 'a routing rule naming an unknown pool',
    edits: { [R]: ['pool: international', 'pool: internationl'] },
    file: R,
    path: 'rules[2].pool',
    message: /no pool "internationl" under pools/,
    line: 'pool: internationl',
  },
  {
    name: 'a negative capacity',
    edits: { [R]: ['maxActiveLeadsPerOwner: 25', 'maxActiveLeadsPerOwner: -5'] },
    file: R,
    path: 'capacity.maxActiveLeadsPerOwner',
    message: /must be greater than 0, found the number -5/,
    line: 'maxActiveLeadsPerOwner: -5',
  },
  {
    name: 'recycle.maxTimes that is not a whole number',
    edits: { [R]: ['maxTimes: 2', 'maxTimes: 2.5'] },
    file: R,
    path: 'recycle.maxTimes',
    message: /expected a whole number, found the number 2.5/,
    line: 'maxTimes: 2.5',
  },
  {
    name: 'recycle without after',
    edits: { [R]: ['  after: 2d\n', ''] },
    file: R,
    path: 'recycle.after',
    message: /required but missing: expected a duration/,
    line: 'recycle:',
  },
  {
    name: 'a pool member with weight 0',
    edits: { [R]: ['weight: 2 }', 'weight: 0 }'] },
    file: R,
    path: 'pools.north-america[0].weight',
    message: /must be greater than 0, found the number 0/,
    line: 'weight: 0 }',
  },
  {
    name: 'a placeholder owner in a pool',
    edits: { [R]: ['- { owner: "005000000000005AAA" }', '- { owner: "90000001" }'] },
    file: R,
    path: 'pools.international[0].owner',
    message: /owner 90000001 is a placeholder owner/,
    line: '- { owner: "90000001" }',
  },
  {
    name: 'an owner id too long for a number',
    edits: { [R]: ['owner: "005000000000009AAA"', 'owner: 12345678901234567890'] },
    file: R,
    path: 'fallback.owner',
    message: /put it in quotes/,
    line: 'owner: 12345678901234567890',
  },
  {
    name: 'an absence that ends before it starts',
    edits: { [R]: ['to: 2027-01-02', 'to: 2026-01-02'] },
    file: R,
    path: 'outOfOffice.005000000000003AAA[0].to',
    message: /to \(2026-01-02\) is before from \(2026-12-24\)/,
    line: 'to: 2026-01-02',
  },
  {
    name: 'an absence on a day that does not exist',
    edits: { [R]: ['from: 2026-12-24', 'from: 2026-02-30'] },
    file: R,
    path: 'outOfOffice.005000000000003AAA[0].from',
    message: /not a real date/,
    line: 'from: 2026-02-30',
  },
  {
    name: 'account matching on a list scoring.yaml does not have',
    edits: { [R]: ['ignoreDomainsInList: freeMail', 'ignoreDomainsInList: freemail'] },
    file: R,
    path: 'accountMatching.ignoreDomainsInList',
    message: /no list "freemail" under lists in scoring.yaml \(did you mean "freeMail"\?\)/,
    line: 'ignoreDomainsInList: freemail',
  },
  {
    name: 'a fallback with both an owner and a queue',
    edits: { [R]: ['fallback:\n  owner: "005000000000009AAA"', 'fallback:\n  owner: "005000000000009AAA"\n  queue: "00G000000000001AAA"'] },
    file: R,
    path: 'fallback.queue',
    message: /"queue" does not go with the other keys here; allowed here: owner/,
    line: 'queue: "00G000000000001AAA"',
  },
  {
    name: 'eligible with a misspelled tier',
    edits: { [R]: ['eligible: { tier: hot }', 'eligible: { tier: hott }'] },
    file: R,
    path: 'eligible.tier',
    message: /must be one of hot, warm, cold; found the text "hott" \(did you mean "hot"\?\)/,
    line: 'eligible: { tier: hott }',
  },
  {
    name: 'enabled routing with nobody to route to',
    edits: { [R]: 'enabled: true\nsla: []\nrecycle: { after: 2d, maxTimes: 1 }\ncapacity: { maxActiveLeadsPerOwner: 5 }\n' },
    file: R,
    path: 'pools',
    message: /routing is enabled but there is no pool and no fallback/,
    line: 1,
  },
  {
    name: 'a misspelled top-level key in routing.yaml',
    edits: {
      [R]: [
        ['enabled: false', 'enabled: true'],
        ['rules:\n  - id: enterprise', 'rulesx:\n  - id: enterprise'],
      ],
    },
    file: R,
    path: 'rulesx',
    message: /unknown key "rulesx" \(did you mean "rules"\?\)/,
    line: 'rulesx:',
  },
];

describe('invalid configs: each problem names the file, the path, the line and the reason', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const texts = editedTexts(c.edits);
    const check = checkConfigTexts(texts);
    expect(check.ok).toBe(false);
    const found = check.problems.find((p) => p.file === c.file && p.path === c.path && c.message.test(p.message));
    if (!found) throw new Error(`no problem at ${c.file} ${c.path} matching ${c.message}; got:\n${check.problems.map(formatProblem).join('\n')}`);
    if (c.line !== undefined) {
      const line = typeof c.line === 'number' ? c.line : lineOf(texts[c.file] as string, c.line);
      expect(found.line).toBe(line);
      expect(formatProblem(found)).toBe(`${c.file}:${line}${c.path ? ` ${c.path}` : ''}: ${found.message}`);
    }
  });
});

describe('every problem, in every file, at once', () => {
  it('reports problems of three files together, sorted by file and line', () => {
    const texts = editedTexts({
      [S]: [
        ['warm: 40', 'warm: 70'],
        ['id: title-vp', 'id: title-c-level'],
      ],
      [H]: ['type: range }', 'type: ranges }'],
      [R]: ['maxTimes: 2', 'maxTimes: -1'],
    });
    const check = checkConfigTexts(texts);
    expect(check.ok).toBe(false);
    const where = check.problems.map((p: ConfigProblem) => `${p.file} ${p.path}`);
    expect(where).toEqual([
      'scoring.yaml thresholds.warm',
      'scoring.yaml fit.rules[1].id',
      'mappings/hubspot.yaml objects.contact.attributes.companySize.type',
      'routing.yaml recycle.maxTimes',
    ]);
  });

  it('reports a structural problem and the unknown keys of the same file together', () => {
    const check = checkConfigTexts(
      editedTexts({
        [S]: [
          ['max: 15                     # per view', 'max: fifteen                # per view'],
          ['      atLeast: 2\n', '      atLeast: 2\n      withn: 7d\n'],
          ['between: [50, 999]', 'between: 50'],
        ],
      }),
    );
    expect(check.problems.map((p) => p.path)).toEqual(['fit.rules[6].between', 'engagement.rules[0].max', 'engagement.rules[1].withn']);
  });
});
