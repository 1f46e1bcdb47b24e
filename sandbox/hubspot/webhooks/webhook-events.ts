/** Webhook event payloads as HubSpot sends them (legacy CRM subscriptions, e.g. `contact.propertyChange`). */

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource?: string;
  sourceId?: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
}

/** What a test passes: anything left out gets a plausible value. */
export type WebhookEventInput = Omit<Partial<WebhookEvent>, 'objectId' | 'subscriptionType' | 'portalId'> & { subscriptionType: string; objectId: number | string; portalId: number };

let eventCounter = 1;

export function nextEventId(): number {
  return 100_000_000 + eventCounter++;
}

/** A stable subscription id per subscription type and property, as one app's subscriptions would have. */
export function subscriptionIdFor(subscriptionType: string, propertyName?: string): number {
  let h = 7;
  for (const ch of `${subscriptionType}:${propertyName ?? ''}`) h = (h * 31 + ch.charCodeAt(0)) % 900_000;
  return 100_000 + h;
}

export function completeEvent(input: WebhookEventInput, appId: number, now: number): WebhookEvent {
  const { objectId, ...rest } = input;
  return {
    eventId: nextEventId(),
    subscriptionId: subscriptionIdFor(input.subscriptionType, input.propertyName),
    appId,
    occurredAt: now,
    attemptNumber: 0,
    ...rest,
    objectId: Number(objectId),
  };
}
