import express from 'express';
import request from 'supertest';
import { outboundMessage } from '../../test/fixtures/salesforce/outbound';
import { ORG_ID, salesforceHarness, type SalesforceHarness } from '../../test/fixtures/salesforce/harness';
import { webhookRouter } from './webhook-route';

const ORG_15 = ORG_ID.slice(0, 15);
const LEAD_1 = '00Q5g00000ABCdeEAH';
const LEAD_2 = '00Q5g00000ABCdfEAH';
const CONTACT_1 = '0035g00000DEFghAAH';
const ACK = /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/;

let h: SalesforceHarness;
let app: express.Express;
let tenant: string;
beforeEach(async () => {
  h = salesforceHarness();
  tenant = await h.install();
  app = express().use(webhookRouter(h.ctx));
});
afterEach(() => h.cleanup());

const post = (xml: string, type = 'text/xml; charset=utf-8') => request(app).post('/webhooks/salesforce').set('Content-Type', type).send(xml);

describe('POST /webhooks/salesforce', () => {
  it('queues the records by type, marks the notifications seen after, and only then acknowledges', async () => {
    const res = await post(
      outboundMessage(ORG_15, [
        { id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1.slice(0, 15) },
        { id: '04l5g00000AAAAA2AAA', type: 'Contact', recordId: CONTACT_1 },
        { id: '04l5g00000AAAAA3AAA', type: 'Lead', recordId: LEAD_2, fields: { IsConverted: 'false' } },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toMatch(ACK);
    expect(h.ingest.calls).toEqual([
      { op: 'unseenEvents', tenant, eventIds: ['04l5g00000AAAAA1AAA', '04l5g00000AAAAA2AAA', '04l5g00000AAAAA3AAA'] },
      { op: 'enqueue', tenant, objectType: 'Lead', ids: [LEAD_1, LEAD_2] },
      { op: 'enqueue', tenant, objectType: 'Contact', ids: [CONTACT_1] },
      { op: 'markEventsSeen', tenant, eventIds: ['04l5g00000AAAAA1AAA', '04l5g00000AAAAA2AAA', '04l5g00000AAAAA3AAA'] },
    ]);
  });

  it('takes the 18-character org id too', async () => {
    const res = await post(outboundMessage(ORG_ID, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]));
    expect(res.status).toBe(200);
    expect(h.ingest.ids('enqueue')).toEqual([LEAD_1]);
  });

  it('a converted lead is forgotten and its contact queued', async () => {
    const res = await post(outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1, fields: { IsConverted: 'true', ConvertedContactId: CONTACT_1.slice(0, 15) } }]));
    expect(res.status).toBe(200);
    expect(h.ingest.calls.filter((c) => c.op === 'enqueue' || c.op === 'forget')).toEqual([
      { op: 'enqueue', tenant, objectType: 'Contact', ids: [CONTACT_1] },
      { op: 'forget', tenant, objectType: 'Lead', ids: [LEAD_1] },
    ]);
  });

  it('a notification delivered again is acknowledged without queueing its record again', async () => {
    const xml = outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]);
    await post(xml);
    const res = await post(xml);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(ACK);
    expect(h.ingest.calls.filter((c) => c.op === 'enqueue')).toHaveLength(1);
  });

  it('an org that has not installed the connector gets 403 with a SOAP fault and nothing is queued', async () => {
    const res = await post(outboundMessage('00D5g000009ZZZZ', [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]));
    expect(res.status).toBe(403);
    expect(res.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(res.text).not.toMatch(ACK);
    expect(h.ingest.calls).toEqual([]);
  });

  it('an installed org that is not active is acknowledged but nothing is queued (the poll catches up later)', async () => {
    await h.installations.setStatus(tenant, 'needs_reauth', 'refresh token revoked');
    const res = await post(outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]));
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toEqual([]);
  });

  it('answers 503 without an Ack when the work cannot be queued, and does not mark the notification seen', async () => {
    h.ingest.failEnqueue = true;
    const xml = outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]);
    const res = await post(xml);
    expect(res.status).toBe(503);
    expect(res.text).toContain('<faultcode>soapenv:Server</faultcode>');
    expect(res.text).not.toMatch(ACK);
    expect(h.ingest.ops()).toEqual(['unseenEvents']);
    // Salesforce delivers it again once Redis is back: the work is done then
    h.ingest.failEnqueue = false;
    expect((await post(xml)).status).toBe(200);
    expect(h.ingest.ids('enqueue')).toEqual([LEAD_1]);
  });

  it('answers 503 when the store cannot be read at all', async () => {
    jest.spyOn(h.installations, 'get').mockRejectedValueOnce(new Error('Connection is closed.'));
    const res = await post(outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Lead', recordId: LEAD_1 }]));
    expect(res.status).toBe(503);
  });

  it('ignores objects it does not score but acknowledges them', async () => {
    const res = await post(outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Account', recordId: '0015g00000GHIjkAAH' }]));
    expect(res.status).toBe(200);
    expect(h.ingest.ops()).toEqual(['unseenEvents', 'markEventsSeen']);
  });

  it.each([
    ['not XML', 'hello'],
    ['another SOAP call', '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><login/></soapenv:Body></soapenv:Envelope>'],
    ['no organization id', outboundMessage('', [])],
    [
      'an external entity (XXE)',
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notifications><OrganizationId>&x;</OrganizationId></notifications></soapenv:Body></soapenv:Envelope>`,
    ],
  ])('refuses %s with 400 and a SOAP fault', async (_name, xml) => {
    const res = await post(xml);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(h.ingest.calls).toEqual([]);
  });

  it('accepts application/xml and a body without charset', async () => {
    const res = await post(outboundMessage(ORG_15, [{ id: '04l5g00000AAAAA1AAA', type: 'Contact', recordId: CONTACT_1 }]), 'application/xml');
    expect(res.status).toBe(200);
  });
});
