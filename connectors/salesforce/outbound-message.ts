import { child, childrenNamed, childText, escapeXml, parseXml, XmlError, type XmlElement } from './soap-xml';
import { isSalesforceId, toId18 } from './tenant';

/** One notification of an Outbound Message: its own id (for de-duplication) and the record it is about. */
export interface OutboundNotification {
  /** The notification id (`04l…`): the same notification delivered again has the same id. */
  id: string;
  /** `Lead`, `Contact`, … from the sObject's `xsi:type="sf:Lead"`. */
  objectType: string;
  /** The record's id, 18 characters. */
  recordId: string;
  /** The record's fields the message carries (their text), by API name: `IsConverted`, `ConvertedContactId`, … */
  fields: Record<string, string>;
}

export interface OutboundMessage {
  /** The sending org, 18 characters (Salesforce sends the 15-character form). */
  organizationId: string;
  actionId?: string;
  notifications: OutboundNotification[];
  /** Notifications that name no usable record (no Id): acknowledged and ignored. */
  skipped: number;
}

export type ParsedOutboundMessage = { ok: true; message: OutboundMessage } | { ok: false; reason: string };

/**
 * Reads a Salesforce Outbound Message (a SOAP `notifications` call: OrganizationId, ActionId,
 * SessionId, EnterpriseUrl, PartnerUrl and up to 100 Notification{Id, sObject}) with the strict
 * reader of soap-xml.ts (no DTD, no external entities). The SessionId is never read out.
 */
export function parseOutboundMessage(xml: string): ParsedOutboundMessage {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    return { ok: false, reason: err instanceof XmlError ? `not well-formed XML: ${err.message}` : 'not well-formed XML' };
  }
  if (root.name !== 'Envelope') return { ok: false, reason: `expected a SOAP Envelope, got <${root.name}>` };
  const notifications = child(child(root, 'Body'), 'notifications');
  if (!notifications) return { ok: false, reason: 'the SOAP Body holds no notifications element' };
  const org = childText(notifications, 'OrganizationId');
  if (!org || !isSalesforceId(org) || !org.startsWith('00D')) return { ok: false, reason: 'OrganizationId is missing or is not an org id (00D…)' };
  const out: OutboundNotification[] = [];
  let skipped = 0;
  for (const n of childrenNamed(notifications, 'Notification')) {
    const id = childText(n, 'Id');
    const sObject = child(n, 'sObject');
    const typeAttr = sObject ? Object.entries(sObject.attributes).find(([k]) => k === 'type' || k.endsWith(':type'))?.[1] : undefined;
    const objectType = typeAttr ? typeAttr.slice(typeAttr.indexOf(':') + 1) : undefined;
    const recordId = childText(sObject, 'Id');
    if (!id || !/^[A-Za-z0-9]{1,40}$/.test(id) || !objectType || !recordId || !isSalesforceId(recordId)) {
      skipped++;
      continue;
    }
    const fields: Record<string, string> = {};
    for (const f of sObject!.children) if (f.children.length === 0) fields[f.name] = f.text.trim();
    out.push({ id, objectType, recordId: toId18(recordId), fields });
  }
  const actionId = childText(notifications, 'ActionId');
  return { ok: true, message: { organizationId: toId18(org), ...(actionId ? { actionId } : {}), notifications: out, skipped } };
}

const ENVELOPE_START = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>';
const ENVELOPE_END = '</soapenv:Body></soapenv:Envelope>';

/** The acknowledgement Salesforce waits for; anything else makes it deliver the message again. */
export function ackResponse(): string {
  return `${ENVELOPE_START}<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>${ENVELOPE_END}`;
}

/** A SOAP fault (no Ack): `Client` for a message we will never take, `Server` for one to send again later. */
export function soapFault(code: 'Client' | 'Server', message: string): string {
  return `${ENVELOPE_START}<soapenv:Fault><faultcode>soapenv:${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>${ENVELOPE_END}`;
}
