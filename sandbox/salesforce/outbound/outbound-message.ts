/**
 * Outbound Messages, as a workflow or flow sends them: one SOAP envelope of up to 100
 * `Notification`s in the `http://soap.sforce.com/2005/09/outbound` namespace, each with its own
 * `04l…` id and the record (`sObject`, enterprise namespace) with the chosen fields that have a
 * value. Nothing is signed (Salesforce relies on TLS and IP allowlists); the listener must answer
 * `<Ack>true</Ack>`, or Salesforce retries for 24 hours (retries are not simulated here).
 */
import type { FieldDef } from '../schema/field';
import { renderSoapValue } from '../schema/values';
import type { SalesforceOrg } from '../store/org';
import type { Row } from '../store/table';

export interface OutboundMessageOptions {
  /** The object the message is about, e.g. `Lead`. */
  objectType: string;
  /** Record ids (≤ 100 per message). */
  ids: readonly string[];
  /** The listener. */
  url: string;
  /** Fields to send; default `Id`, `Email`, `OwnerId`, `LastModifiedDate`, `SystemModstamp` (those the object has). */
  fields?: readonly string[];
  /** `true`: a session id of the org's admin (an access token); a string: that value; default none (`xsi:nil`). */
  sessionId?: boolean | string;
  /** The `04k…` action id; default one per org and object. */
  actionId?: string;
  /** Send another org id than the org's (to test that the listener checks it). */
  organizationId?: string;
  /** Notification ids to reuse (a redelivery repeats them); default new ones. */
  notificationIds?: readonly string[];
  timeoutMs?: number;
}

export interface OutboundDelivery {
  /** HTTP status, or 0 when the connection failed or timed out. */
  status: number;
  body: string;
  /** The answer was a 200 with `<Ack>true</Ack>`: Salesforce would not retry. */
  ack: boolean;
  notificationIds: string[];
  /** The SOAP envelope sent. */
  request: string;
}

const DEFAULT_FIELDS = ['Id', 'Email', 'OwnerId', 'LastModifiedDate', 'SystemModstamp'];

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function buildOutboundEnvelope(
  org: SalesforceOrg,
  instanceUrl: string,
  apiVersion: string,
  opts: OutboundMessageOptions & { actionId: string; notificationIds: readonly string[]; sessionId?: string },
): string {
  const schema = org.schemaOf(opts.objectType);
  const fields: FieldDef[] = opts.fields
    ? opts.fields.map((name) => {
        const f = schema.field(name);
        if (!f) throw new Error(`sendOutboundMessage: no field ${name} on ${schema.name}`);
        return f;
      })
    : DEFAULT_FIELDS.map((name) => schema.field(name)).filter((f): f is FieldDef => f !== undefined);
  if (!fields.some((f) => f.name === 'Id')) fields.unshift(schema.field('Id') as FieldDef);
  const notifications = opts.ids.map((rawId, i) => {
    const found = org.findRow(rawId);
    if (!found || found.type !== schema.name) throw new Error(`sendOutboundMessage: no ${schema.name} ${rawId}`);
    const row: Row = found.row;
    const values = fields
      .map((f) => {
        const v = renderSoapValue(f, row[f.name]);
        return v === undefined ? '' : `\n     <sf:${f.name}>${xml(v)}</sf:${f.name}>`;
      })
      .join('');
    return `
   <Notification>
    <Id>${opts.notificationIds[i]}</Id>
    <sObject xsi:type="sf:${schema.name}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${values}
    </sObject>
   </Notification>`;
  });
  const session = opts.sessionId ? `<SessionId>${xml(opts.sessionId)}</SessionId>` : '<SessionId xsi:nil="true"/>';
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${xml(opts.organizationId ?? org.id)}</OrganizationId>
   <ActionId>${opts.actionId}</ActionId>
   ${session}
   <EnterpriseUrl>${instanceUrl}/services/Soap/c/${apiVersion}/${org.id15}</EnterpriseUrl>
   <PartnerUrl>${instanceUrl}/services/Soap/u/${apiVersion}/${org.id15}</PartnerUrl>${notifications.join('')}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
}

const ACK = /<(?:[A-Za-z_][\w.-]*:)?Ack>\s*true\s*<\/(?:[A-Za-z_][\w.-]*:)?Ack>/;

export async function postOutboundMessage(url: string, envelope: string, timeoutMs: number): Promise<{ status: number; body: string; ack: boolean }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'User-Agent': 'Salesforce - OutboundMessaging (sandbox)' },
      body: envelope,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    return { status: res.status, body, ack: res.status === 200 && ACK.test(body) };
  } catch {
    return { status: 0, body: '', ack: false };
  }
}
