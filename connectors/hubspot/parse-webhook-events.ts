import { z } from 'zod';

const objectId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/** One event of a HubSpot webhook POST (the fields we read; HubSpot adds others). */
export const hubspotWebhookEvent = z
  .object({
    eventId: z.union([z.number().int(), z.string().min(1)]).transform(String),
    portalId: objectId,
    occurredAt: z.number(),
    subscriptionType: z.string().min(1),
    objectId: objectId.optional(),
    propertyName: z.string().optional(),
    changeSource: z.string().optional(),
    attemptNumber: z.number().optional(),
    // contact.merge
    primaryObjectId: objectId.optional(),
    mergedObjectIds: z.array(objectId).optional(),
    newObjectId: objectId.optional(),
    // contact.associationChange
    associationType: z.string().optional(),
    fromObjectId: objectId.optional(),
    toObjectId: objectId.optional(),
  })
  .loose();
export type HubSpotWebhookEvent = z.output<typeof hubspotWebhookEvent>;

/** A webhook body: a JSON array of events (HubSpot sends up to 100). */
export const hubspotWebhookBody = z.array(hubspotWebhookEvent).max(1000);

export type ParsedWebhook = { ok: true; events: HubSpotWebhookEvent[] } | { ok: false; reason: string };

/** Parses the verified raw body; says what is wrong when it is not an array of events. */
export function parseWebhookEvents(raw: Buffer): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const parsed = hubspotWebhookBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `the body is not an array of HubSpot events${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}` };
  }
  return { ok: true, events: parsed.data };
}

/** What one event means for the contacts it names, before out-of-order events are sorted out. */
export type ContactAction =
  | { kind: 'touch'; id: string; at: number }
  | { kind: 'restore'; id: string; at: number }
  | { kind: 'delete'; id: string; at: number };

export type EventMeaning = { actions: ContactAction[] } | { ignored: string };

/**
 * What a contact event asks for: a change (creation, a property change, an association change) or a
 * restore → score the contact; a deletion or privacy deletion → forget it; a merge → score the
 * surviving contact and forget the merged ones. A change of a property the scoring does not read
 * (our own output properties above all: our writes come back as webhooks) is ignored, which is what
 * keeps score writes from looping.
 */
export function meaningOf(e: HubSpotWebhookEvent, readProperties: ReadonlySet<string>, ownProperties: ReadonlySet<string>): EventMeaning {
  const at = e.occurredAt;
  switch (e.subscriptionType) {
    case 'contact.creation':
      return e.objectId ? { actions: [{ kind: 'touch', id: e.objectId, at }] } : { ignored: 'no objectId' };
    case 'contact.propertyChange':
      if (!e.objectId) return { ignored: 'no objectId' };
      if (e.propertyName && ownProperties.has(e.propertyName)) return { ignored: 'own property' };
      if (e.propertyName && !readProperties.has(e.propertyName)) return { ignored: 'property not read by the scoring' };
      return { actions: [{ kind: 'touch', id: e.objectId, at }] };
    case 'contact.associationChange': {
      const id = associatedContact(e);
      return id ? { actions: [{ kind: 'touch', id, at }] } : { ignored: 'no contact in the association' };
    }
    case 'contact.restore':
      return e.objectId ? { actions: [{ kind: 'restore', id: e.objectId, at }] } : { ignored: 'no objectId' };
    case 'contact.deletion':
    case 'contact.privacyDeletion':
      return e.objectId ? { actions: [{ kind: 'delete', id: e.objectId, at }] } : { ignored: 'no objectId' };
    case 'contact.merge': {
      const survivor = e.newObjectId ?? e.primaryObjectId ?? e.objectId;
      if (!survivor) return { ignored: 'merge without a primary object' };
      const gone = [...new Set([...(e.mergedObjectIds ?? []), ...(e.primaryObjectId ? [e.primaryObjectId] : [])])].filter((id) => id !== survivor);
      return { actions: [{ kind: 'restore', id: survivor, at }, ...gone.map((id) => ({ kind: 'delete' as const, id, at }))] };
    }
    default:
      return { ignored: `not a contact event (${e.subscriptionType})` };
  }
}

/** The contact of an association change: `CONTACT_TO_…` names it first, `…_TO_CONTACT` second. */
function associatedContact(e: HubSpotWebhookEvent): string | undefined {
  const type = e.associationType?.toUpperCase() ?? '';
  if (type.startsWith('CONTACT_TO_')) return e.fromObjectId;
  if (type.endsWith('_TO_CONTACT')) return e.toObjectId;
  return e.objectId ?? e.fromObjectId;
}
