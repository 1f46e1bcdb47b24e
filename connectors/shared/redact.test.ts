import { HubSpotHttpError } from '../hubspot/hubspot-http-error';
import { toCrmError as hubspotError } from '../hubspot/to-crm-error';
import { SalesforceHttpError } from '../salesforce/salesforce-http-error';
import { toCrmError as salesforceError } from '../salesforce/to-crm-error';
import { redactContactData } from './redact';

describe('redactContactData', () => {
  it.each([
    ['Email address dana.whitfield@northwind.example is invalid', 'Email address <email> is invalid'],
    ['"Dana Whitfield" was not a valid number', '"…" was not a valid number'],
    ["duplicate value found: phone +1 (415) 555-0100 on record", 'duplicate value found: phone <phone> on record'],
    ['Property "lead_score" does not exist', 'Property "lead_score" does not exist'],
    ['No such column \'Lead_Score__c\' on entity \'Lead\'', "No such column 'Lead_Score__c' on entity 'Lead'"],
    ['record 00Q5g00000ABCdeEAH at 2026-11-02T09:30:00Z, 200 records', 'record 00Q5g00000ABCdeEAH at 2026-11-02T09:30:00Z, 200 records'],
  ])('%s', (text, expected) => {
    expect(redactContactData(text)).toBe(expected);
  });
});

describe('CRM error messages carry no contact data', () => {
  it('HubSpot: a validation error quoting a value and an email', () => {
    const body = JSON.stringify({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Property values were not valid: [{"isValid":false,"message":"\\"Dana Whitfield\\" was not a valid number","error":"INVALID_INTEGER","name":"lead_score"},{"message":"Email address dana@northwind.example is invalid"}]',
      correlationId: 'c0ffee',
    });
    const err = hubspotError(new HubSpotHttpError(400, {}, body), 'hubspot:1', 'writing scores');
    expect(err.message).not.toMatch(/Dana|dana@northwind/);
    expect(err.message).toContain('"lead_score"');
    expect(err.message).toContain('INVALID_INTEGER');
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  it('Salesforce: a duplicate-value error quoting the email', () => {
    const body = JSON.stringify([{ message: 'duplicate value found: Email duplicates value "jo@acme.example" on record with id: 00Q5g00000ABCdeEAH', errorCode: 'DUPLICATE_VALUE', fields: ['Email'] }]);
    const err = salesforceError(new SalesforceHttpError(400, {}, body), 'salesforce:x', 'writing scores');
    expect(err.message).not.toContain('jo@acme.example');
    expect(err.message).toContain('00Q5g00000ABCdeEAH');
    expect(err.message).toContain('DUPLICATE_VALUE');
  });
});
