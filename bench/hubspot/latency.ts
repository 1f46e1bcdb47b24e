/**
 * Webhook → write-back latency of single-contact changes. Each change edits one contact's job title
 * in the sandbox (between a C-level title and an intern's, so the score always changes and is always
 * written: see STUDENT), then POSTs a v3-signed `contact.propertyChange` for it to the service's
 * /webhooks/hubspot. The latency is from just before that POST to the sandbox's time of the first
 * batch update that wrote the contact afterwards (from the request log).
 */
import type { SandboxHost } from './sandbox-host';

export interface ChangeSample {
  contactId: string;
  sentAt: number;
  /** The webhook's HTTP status and how long the POST took. */
  status: number;
  ackMs: number;
  /** When the score write reached the sandbox (its clock), or undefined when none came in time. */
  writtenAt?: number;
  latencyMs?: number;
}

export interface LatencySummary {
  changes: number;
  written: number;
  notWritten: number;
  non200: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  meanMs: number;
  ackP50Ms: number;
  ackMaxMs: number;
}

const C_LEVEL = 'Chief Executive Officer';
const INTERN = 'Marketing Intern';
/** The shipped model's `title-student` rule (config/scoring.yaml): a title it matches goes to C_LEVEL, any other to INTERN. */
const STUDENT = /\b(student|intern|internship|trainee|apprentice|werkstudent)\b/i;

export interface ChangeRun {
  host: SandboxHost;
  portalId: number;
  webhookUrl: string;
  /** Contacts to change, one change each, in this order. */
  contactIds: readonly string[];
  /** Wait before the next change (ms). */
  spacingMs: () => number;
  /** Stop sending when this returns true (checked before each change). */
  stop?: () => boolean;
  /** How long to wait for each write after the last change (default 60 s). */
  timeoutMs?: number;
}

/** Sends the changes one by one, spaced out; resolves when every write has arrived or timed out. */
export async function runChanges(run: ChangeRun): Promise<ChangeSample[]> {
  const portal = run.host.sb.portal(run.portalId);
  if (!portal) throw new Error(`no sandbox portal ${run.portalId}`);
  const samples: ChangeSample[] = [];
  for (const id of run.contactIds) {
    if (run.stop?.()) break;
    const current = portal.getContact(id)?.get('jobtitle') ?? '';
    const title = STUDENT.test(current) ? C_LEVEL : INTERN;
    const changed = portal.updateContact(id, { jobtitle: title });
    const sentAt = Date.now();
    const status = await run.host.sb.sendWebhooks(
      [{ subscriptionType: 'contact.propertyChange', portalId: run.portalId, objectId: id, propertyName: 'jobtitle', propertyValue: title, occurredAt: changed.updatedAt, changeSource: 'CRM_UI' }],
      { url: run.webhookUrl },
    );
    samples.push({ contactId: id, sentAt, status, ackMs: Date.now() - sentAt });
    await sleep(run.spacingMs());
  }
  const deadline = Date.now() + (run.timeoutMs ?? 60_000);
  for (;;) {
    let open = 0;
    for (const s of samples) {
      if (s.writtenAt !== undefined) continue;
      const at = run.host.writesOf(run.portalId, s.contactId).find((t) => t >= s.sentAt);
      if (at === undefined) open++;
      else {
        s.writtenAt = at;
        s.latencyMs = at - s.sentAt;
      }
    }
    if (open === 0 || Date.now() > deadline) break;
    await sleep(50);
  }
  return samples;
}

export function summarize(samples: readonly ChangeSample[]): LatencySummary {
  const lat = samples.filter((s) => s.latencyMs !== undefined).map((s) => s.latencyMs!);
  lat.sort((a, b) => a - b);
  const acks = samples.map((s) => s.ackMs).sort((a, b) => a - b);
  const at = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))]! : NaN);
  return {
    changes: samples.length,
    written: lat.length,
    notWritten: samples.length - lat.length,
    non200: samples.filter((s) => s.status !== 200).length,
    p50Ms: at(lat, 0.5),
    p95Ms: at(lat, 0.95),
    maxMs: lat.length ? lat[lat.length - 1]! : NaN,
    minMs: lat.length ? lat[0]! : NaN,
    meanMs: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : NaN,
    ackP50Ms: at(acks, 0.5),
    ackMaxMs: acks.length ? acks[acks.length - 1]! : NaN,
  };
}

/** `count` distinct contact ids of the portal, spread over it (deterministic). */
export function pickContacts(host: SandboxHost, portalId: number, count: number): string[] {
  const ids = [...(host.sb.portal(portalId)?.contacts.keys() ?? [])];
  if (ids.length < count) throw new Error(`portal ${portalId} has ${ids.length} contacts, fewer than ${count}`);
  const step = ids.length / count;
  return Array.from({ length: count }, (_, i) => ids[Math.floor(i * step)]!);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
