import type { Router } from 'express';
import type { Lead } from '../src/lead/lead';
import type { Tier } from '../src/scoring/types';

/**
 * The one interface every CRM connector implements. Shared code (pipeline, jobs, HTTP app) only
 * talks to CRMs through it; everything that knows one CRM's API lives in `connectors/<crm>/`.
 */
export interface CrmConnector {
  /** `hubspot`, `salesforce`: the first part of the tenant id `<crm>:<account id>`. */
  readonly crm: string;
  /** The object types this CRM scores (HubSpot: `contact`; Salesforce: `Lead`, `Contact`). */
  objectTypes(): string[];
  /** Most records one fetch or write request takes (HubSpot 100, Salesforce 200). */
  readonly batchSize: number;

  /** Reads records by id, mapped to leads, in as few requests as the CRM allows. Missing ids are listed. */
  fetchRecords(tenant: string, objectType: string, ids: string[], signal?: AbortSignal): Promise<FetchResult>;
  /**
   * Reads the next page of records changed since `cursor` (null: start the full pass).
   * The cursor is the connector's own JSON value; the caller saves it after every page.
   */
  pollPage(tenant: string, objectType: string, cursor: PollCursor | null, signal?: AbortSignal): Promise<PollPage>;
  /** Writes score values; per-record failures come back as outcomes, they do not fail the batch. */
  writeScores(tenant: string, writes: ScoreWrite[], signal?: AbortSignal): Promise<WriteOutcome[]>;
  /** Creates what the connector writes to (properties, fields, permissions). Idempotent. */
  setupTenant(tenant: string): Promise<void>;
  /** Install, OAuth callback and webhook routes, mounted at the root of the HTTP app. */
  router(): Router;

  // ---- owner routing and SLA tasks (src/routing) ----

  /** Every owner the CRM knows, inactive ones included (HubSpot: archived owners; Salesforce: inactive Users, and queues). */
  listOwners(tenant: string, signal?: AbortSignal): Promise<CrmOwner[]>;
  /** The owner of the company (HubSpot) or account (Salesforce) whose domain is `domain` (lower case), or null. */
  findAccountOwner(tenant: string, domain: string, signal?: AbortSignal): Promise<string | null>;
  /** Gives a record to an owner (HubSpot `hubspot_owner_id`, Salesforce `OwnerId`, without running assignment rules). */
  assignOwner(tenant: string, objectType: string, id: string, ownerId: string, signal?: AbortSignal): Promise<void>;
  /** Creates a task about a record, owned by `task.ownerId`; returns the task id. */
  createTask(tenant: string, task: TaskInput, signal?: AbortSignal): Promise<string>;
  /** Changes an open task: its due time, subject, notes, priority or owner. */
  updateTask(tenant: string, taskId: string, changes: TaskChanges, signal?: AbortSignal): Promise<void>;
  /** Closes a task that no longer needs doing (marks it completed) and replaces its notes with `note`. A missing task is not an error. */
  closeTask(tenant: string, taskId: string, note: string, signal?: AbortSignal): Promise<void>;
  /** Whether a task is still open, was completed (and when), or no longer exists. */
  getTaskStatus(tenant: string, taskId: string, signal?: AbortSignal): Promise<TaskState>;
  /** The last sales activity on a record (a call, an email, a meeting logged; epoch ms), or null when none or the record is gone. */
  lastSalesActivity(tenant: string, objectType: string, id: string, signal?: AbortSignal): Promise<number | null>;
}

/** A CRM owner: a user who can own records and tasks, or a queue (Salesforce) that can own records only. */
export interface CrmOwner {
  id: string;
  /** False for archived HubSpot owners and inactive Salesforce users. */
  active: boolean;
  kind: 'user' | 'queue';
  /** Other spellings of the same id that an admin may write in routing.yaml (Salesforce: the 15-character form). */
  aliases?: string[];
}

/** A task about one record (the SLA task of an assigned lead). */
export interface TaskInput {
  /** The record the task is about (HubSpot: associated to the contact; Salesforce: `WhoId`). */
  objectType: string;
  recordId: string;
  /** A user (never a queue). */
  ownerId: string;
  subject: string;
  /** Notes: why the lead is hot (the score's reasons), what is expected. */
  body: string;
  /** Due time, epoch ms. */
  dueAt: number;
  /** `high` for the top tier (HubSpot HIGH, Salesforce High), `normal` otherwise. */
  priority: TaskPriority;
}

export type TaskPriority = 'high' | 'normal';
export type TaskChanges = Partial<Pick<TaskInput, 'ownerId' | 'subject' | 'body' | 'dueAt' | 'priority'>>;

export type TaskState = { status: 'open' } | { status: 'completed'; completedAt: number } | { status: 'missing' };

/** The values the connector writes to the CRM for one record. */
export interface OutputValues {
  score: number;
  fit: number;
  engagement: number;
  tier: Tier;
  /** One reason a line, like `+30 Requested a demo`. */
  reasons: string;
  model: string;
}

/** A CRM record, mapped to a lead, with what it currently holds in our output fields. */
export interface CrmRecord {
  objectType: string;
  id: string;
  lead: Lead;
  /** Our output fields as they stand on the record now (missing ones absent). */
  current: Partial<OutputValues>;
  /** Last modification time in the CRM (epoch ms). */
  modifiedAt: number;
  /** The record's owner now (HubSpot `hubspot_owner_id`, Salesforce `OwnerId`); null when it has none. */
  ownerId?: string | null;
}

export interface FetchResult {
  records: CrmRecord[];
  /** Ids the CRM no longer has (deleted or merged away). */
  missing: string[];
}

/** A connector's poll position; a JSON value only the connector reads. */
export type PollCursor = { [key: string]: string | number | boolean | null | string[] };

export interface PollPage {
  records: CrmRecord[];
  /** Records deleted since the cursor, when the CRM reports them. */
  deleted: string[];
  cursor: PollCursor;
  /** True when the poll has caught up (the full pass is over, or nothing more changed). */
  done: boolean;
}

export interface ScoreWrite {
  objectType: string;
  id: string;
  values: OutputValues;
  /** When the score changed (written to the "updated at" field). */
  changedAt: number;
}

export interface WriteOutcome {
  objectType: string;
  id: string;
  ok: boolean;
  /** For failures: why, and whether trying again can help. */
  error?: { code: string; message: string; retryable: boolean };
}
