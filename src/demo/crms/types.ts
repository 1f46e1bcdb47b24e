/** A lead as the CRM shows it after the connector wrote its score. */
export interface DemoLead {
  id: string;
  name: string;
  company?: string;
  title?: string;
  /** Absent until the connector has scored the lead. */
  score?: number;
  tier?: string;
  /** The reasons written to the CRM, one per line, biggest first. */
  reasons: string[];
}

/** A change the demo made in the CRM, which the CRM then reports to the connector. */
export interface DemoChange {
  leadId: string;
  /** What happened, for people: `visited the pricing page 12 times`. */
  what: string;
  /** The lead as it was before the change. */
  before: DemoLead;
}

/** An SLA task the connector created for a routed lead, as the CRM shows it. */
export interface DemoSlaTask {
  /** The lead's name. */
  lead: string;
  /** The task owner's name (and id). */
  owner: string;
  subject: string;
  /** ISO date-time (HubSpot) or day (Salesforce). */
  due: string;
}

/** Who can take leads in the sandbox: the routing pools the demo writes are made of these. */
export interface DemoOwners {
  /** Active users/owners, by id. */
  owners: { id: string; name: string }[];
  /** Owners that count as nobody (queues, an integration user). */
  placeholders: string[];
}

export interface DemoCrmStartOptions {
  /** How many leads to seed. */
  records: number;
  /** Seed of the generated data (the same seed gives the same leads). */
  seed: string;
}

/**
 * One CRM in the demo: a local sandbox that speaks the CRM's API, seeded with sample leads, that the
 * connector installs into through the CRM's real install flow. `demo/crms/<crm>.ts` implements it;
 * adding a CRM to the demo is one more file and one more line in `demo/crms/index.ts`.
 */
export interface DemoCrm {
  /** The connector's name for the CRM (`hubspot`), the first part of its tenant ids. */
  readonly crm: string;
  /** For people: `HubSpot`. */
  readonly label: string;
  /** What the CRM calls a lead (`contacts`). */
  readonly records: string;
  /** Starts the sandbox on a free port and seeds it; returns its URL and the environment the connector needs to reach it. */
  start(options: DemoCrmStartOptions): Promise<{ url: string; env: Record<string, string> }>;
  /** The connector runs at `publicUrl` (its PUBLIC_URL): the sandbox sends its webhooks there from now on. */
  connectorStarted(publicUrl: string): void;
  /** Installs the connector through the CRM's real flow (install link, approval, callback); returns the tenant id. */
  install(publicUrl: string): Promise<{ tenant: string; steps: string[] }>;
  /** Every lead as the CRM shows it now. */
  leads(): DemoLead[];
  /** The sandbox's owners (after `start`), for the demo's routing config. */
  owners(): DemoOwners;
  /** The SLA tasks the connector created (subjects like `Hot lead (score 82): call within 2h`). */
  slaTasks(): DemoSlaTask[];
  /** Makes a few realistic changes in the CRM (a pricing visit, a demo request, a new title); the CRM notifies the connector. */
  makeChanges(): Promise<DemoChange[]>;
  close(): Promise<void>;
}
