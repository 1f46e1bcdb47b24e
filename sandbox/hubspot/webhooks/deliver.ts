/**
 * Sends webhook batches the way HubSpot does: a JSON array of at most 100 events, POSTed with the
 * v3 signature headers. Also the emitter that turns the sandbox's own record changes into such
 * batches, retrying failed deliveries with a rising `attemptNumber`.
 */
import type { ChangeEvent } from '../store/change-events';
import { signV3 } from './sign-v3';
import { completeEvent, type WebhookEvent, type WebhookEventInput } from './webhook-events';

export interface SendWebhooksOptions {
  /** Where to POST; defaults to the sandbox's `webhookTarget`. */
  url?: string;
  /** Signing key; defaults to the sandbox app's client secret. */
  clientSecret?: string;
  /** `X-HubSpot-Request-Timestamp` in ms; default now. */
  timestamp?: number;
  /**
   * Breaks the request on purpose: `signature` sends a wrong signature, `body` changes the body after
   * signing, `timestamp` sends a different timestamp than the one signed, `missing` omits the
   * signature header. `true` means `signature`.
   */
  tamper?: boolean | 'signature' | 'body' | 'timestamp' | 'missing';
}

export interface Delivery {
  at: number;
  url: string;
  events: WebhookEvent[];
  /** HTTP status, or 0 when the request failed. */
  status: number;
  attempt: number;
}

/** POSTs one signed batch; returns the HTTP status (0 when the connection failed). */
export async function postSigned(url: string, events: readonly WebhookEvent[], clientSecret: string, opts: SendWebhooksOptions = {}): Promise<number> {
  if (events.length > 100) throw new Error(`HubSpot sends at most 100 events per request, got ${events.length}`);
  const body = JSON.stringify(events);
  const timestamp = opts.timestamp ?? Date.now();
  const tamper = opts.tamper === true ? 'signature' : opts.tamper;
  let signature = signV3(clientSecret, 'POST', url, body, timestamp);
  if (tamper === 'signature') signature = signV3(clientSecret + 'x', 'POST', url, body, timestamp);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon (sandbox)',
    'X-HubSpot-Request-Timestamp': String(tamper === 'timestamp' ? timestamp + 1 : timestamp),
    'X-HubSpot-Signature-Version': 'v3',
    'X-HubSpot-Timeout-Millis': '5000',
  };
  if (tamper !== 'missing') headers['X-HubSpot-Signature-v3'] = signature;
  const sent = tamper === 'body' ? body.replace(/"occurredAt":(\d)/, '"occurredAt":9$1') : body;
  try {
    const res = await fetch(url, { method: 'POST', headers, body: sent, signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export type WebhookSubscription =
  | { subscriptionType: 'contact.propertyChange' | 'company.propertyChange'; /** `*` for every property. */ propertyName: string }
  | { subscriptionType: 'contact.creation' | 'contact.deletion' | 'contact.merge' | 'contact.restore' | 'company.creation' | 'company.deletion' };

export interface WebhookEmitOptions {
  /** Which changes become events. Default: every contact subscription, property changes for every property. */
  subscriptions?: WebhookSubscription[];
  /** How long changes gather before a batch is sent. Default 20 ms. */
  flushMs?: number;
  /** Deliveries per batch before giving up (HubSpot tries 10 times over a day). Default 3. */
  maxAttempts?: number;
  /** Wait before a retry, times the attempt number. Default 100 ms. */
  retryDelayMs?: number;
}

const DEFAULT_SUBSCRIPTIONS: WebhookSubscription[] = [
  { subscriptionType: 'contact.creation' },
  { subscriptionType: 'contact.deletion' },
  { subscriptionType: 'contact.merge' },
  { subscriptionType: 'contact.restore' },
  { subscriptionType: 'contact.propertyChange', propertyName: '*' },
];

const PREFIX: Record<string, string | undefined> = { contacts: 'contact', companies: 'company' };
const FLAGS: Record<string, string> = { creation: 'NEW', deletion: 'DELETED', merge: 'MERGED', restore: 'RESTORED' };

export class WebhookEmitter {
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  readonly deliveries: Delivery[] = [];
  private closed = false;

  constructor(
    private readonly target: () => string | undefined,
    private readonly secret: () => string,
    private readonly appId: number,
    private readonly options: WebhookEmitOptions,
  ) {}

  /** Turns a record change into events for the subscriptions that cover it. */
  onChange(change: ChangeEvent): void {
    if (this.closed || !this.target()) return;
    const prefix = PREFIX[change.objectType];
    if (!prefix) return;
    const type = `${prefix}.${change.kind}`;
    const subs = this.options.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
    const covered = subs.some(
      (s) => s.subscriptionType === type && (change.kind !== 'propertyChange' || ('propertyName' in s && (s.propertyName === '*' || s.propertyName === change.name))),
    );
    if (!covered) return;
    const base: WebhookEventInput = {
      subscriptionType: type,
      portalId: change.portalId,
      objectId: change.id,
      occurredAt: change.at,
      changeSource: change.source.changeSource,
      ...(change.source.sourceId ? { sourceId: change.source.sourceId } : {}),
    };
    if (change.kind === 'propertyChange') {
      base.propertyName = change.name;
      base.propertyValue = change.value ?? '';
    } else if (change.kind === 'merge') {
      base.primaryObjectId = Number(change.primaryId);
      base.mergedObjectIds = change.mergedIds.map(Number);
      base.newObjectId = Number(change.primaryId);
    } else {
      base.changeFlag = FLAGS[change.kind];
    }
    this.queue.push(completeEvent(base, this.appId, change.at));
    this.timer ??= setTimeout(() => this.flushQueue(), this.options.flushMs ?? 20).unref();
  }

  /** Resolves once every queued event has been delivered or given up on. */
  async drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flushQueue();
    }
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private flushQueue(): void {
    this.timer = undefined;
    const url = this.target();
    while (url && this.queue.length > 0) {
      const batch = this.queue.splice(0, 100);
      const p = this.deliver(url, batch, 1).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async deliver(url: string, events: WebhookEvent[], attempt: number): Promise<void> {
    const stamped = events.map((e) => ({ ...e, attemptNumber: attempt - 1 }));
    const status = await postSigned(url, stamped, this.secret());
    this.deliveries.push({ at: Date.now(), url, events: stamped, status, attempt });
    if ((status >= 200 && status < 300) || this.closed) return;
    if (attempt >= (this.options.maxAttempts ?? 3)) return;
    await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 100) * attempt).unref());
    if (!this.closed) await this.deliver(url, events, attempt + 1);
  }
}

export function completeEvents(inputs: readonly WebhookEventInput[], appId: number, now: number): WebhookEvent[] {
  return inputs.map((e) => completeEvent(e, appId, now));
}
