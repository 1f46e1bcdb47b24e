import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { APP, VERSION, call } from './test-support';
import { makeOrgId, startSalesforceSandbox, type SalesforceOrg, type SalesforceSandbox } from './index';

const ORG = makeOrgId(81);

const ACK = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

describe('Salesforce sandbox: Outbound Messages', () => {
  let sb: SalesforceSandbox;
  let org: SalesforceOrg;
  let server: Server;
  let url: string;
  const received: { body: string; contentType?: string; soapAction?: string }[] = [];
  let mode: 'ack' | 'error' | 'nack' = 'ack';

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ ...APP });
    org = sb.createOrg(ORG);
    org.seedLeads(150, { seed: 'outbound' });
    const app = express();
    app.post('/webhooks/salesforce', express.text({ type: ['text/xml', 'application/xml'] }), (req, res) => {
      received.push({ body: req.body as string, contentType: req.get('content-type'), soapAction: req.get('soapaction') });
      if (mode === 'error') return void res.status(500).send('boom');
      res.type('text/xml').send(mode === 'ack' ? ACK : ACK.replace('<Ack>true</Ack>', '<Ack>false</Ack>'));
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/salesforce`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await sb.close();
  });

  it('POSTs a SOAP envelope of notifications and reads the Ack', async () => {
    const ids = org.records('Lead').slice(0, 3).map((r) => r.Id as string);
    org.update('Lead', ids[0] as string, { Email: null });
    const delivery = await sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids, url, fields: ['Id', 'Email', 'OwnerId', 'IsConverted', 'AnnualRevenue', 'SystemModstamp'] });
    expect(delivery).toMatchObject({ status: 200, ack: true, notificationIds: [expect.stringMatching(/^04l/), expect.stringMatching(/^04l/), expect.stringMatching(/^04l/)] });
    const msg = received[received.length - 1] as { body: string; contentType?: string; soapAction?: string };
    expect(msg.contentType).toBe('text/xml; charset=utf-8');
    expect(msg.soapAction).toBe('""');
    const body = msg.body;
    expect(body).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(body).toContain(`<OrganizationId>${ORG}</OrganizationId>`);
    expect(body).toMatch(/<ActionId>04k[A-Za-z0-9]{15}<\/ActionId>/);
    expect(body).toContain('<SessionId xsi:nil="true"/>');
    expect(body).toContain(`<EnterpriseUrl>${sb.url}/services/Soap/c/${VERSION}/${ORG.slice(0, 15)}</EnterpriseUrl>`);
    expect(body).toContain(`<PartnerUrl>${sb.url}/services/Soap/u/${VERSION}/${ORG.slice(0, 15)}</PartnerUrl>`);
    expect(body.match(/<Notification>/g)).toHaveLength(3);
    expect(body).toContain(`<Id>${delivery.notificationIds[0]}</Id>`);
    expect(body).toContain('<sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">');
    expect(body).toContain(`<sf:Id>${ids[0]}</sf:Id>`);
    expect(body).toContain('<sf:IsConverted>false</sf:IsConverted>');
    expect(body).toMatch(/<sf:SystemModstamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z<\/sf:SystemModstamp>/);
    // Fields without a value are left out.
    const first = body.slice(body.indexOf(`<sf:Id>${ids[0]}`), body.indexOf('</sObject>'));
    expect(first).not.toContain('<sf:Email>');
  });

  it('reports no ack for an error or <Ack>false</Ack>, and sends a usable session id on request', async () => {
    const id = org.records('Lead')[5]?.Id as string;
    mode = 'error';
    expect(await sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids: [id], url })).toMatchObject({ status: 500, ack: false, body: 'boom' });
    mode = 'nack';
    expect(await sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids: [id], url })).toMatchObject({ status: 200, ack: false });
    mode = 'ack';
    const withSession = await sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids: [id], url, sessionId: true, organizationId: makeOrgId(999) });
    const session = /<SessionId>([^<]+)<\/SessionId>/.exec(withSession.request)?.[1] as string;
    expect((await call(sb, session, 'GET', `/services/data/v${VERSION}/limits`)).status).toBe(200);
    expect(withSession.request).toContain(`<OrganizationId>${makeOrgId(999)}</OrganizationId>`);
    const unreachable = await sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids: [id], url: 'http://127.0.0.1:1/nowhere', timeoutMs: 2000 });
    expect(unreachable).toMatchObject({ status: 0, ack: false });
  });

  it('carries at most 100 notifications per message', async () => {
    const ids = org.records('Lead').map((r) => r.Id as string);
    await expect(sb.sendOutboundMessage(ORG, { objectType: 'Lead', ids, url })).rejects.toThrow(/1 to 100/);
    const deliveries = await sb.sendOutboundMessages(ORG, { objectType: 'Lead', ids, url });
    expect(deliveries.map((d) => d.notificationIds.length)).toEqual([100, 50]);
    expect(deliveries.every((d) => d.ack)).toBe(true);
  });
});
