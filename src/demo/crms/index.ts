import { hubspotDemo } from './hubspot';
import { salesforceDemo } from './salesforce';
import type { DemoCrm } from './types';

export type { DemoCrm, DemoLead, DemoChange, DemoCrmStartOptions, DemoOwners, DemoSlaTask } from './types';

/** The CRMs the demo can run, by the connector's name for them. Adding one is a file in this folder and a line here. */
export const DEMO_CRMS: Record<string, () => DemoCrm> = {
  hubspot: hubspotDemo,
  salesforce: salesforceDemo,
};
