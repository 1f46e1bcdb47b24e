import { z } from 'zod';

/**
 * A CRM-neutral lead: who it is, the current values of its attributes and its dated engagement events.
 *
 * Attributes use canonical names (see README, "Canonical attributes") that each CRM's mapping fills.
 * Fit is always recomputed from the current values, so points never pile up on a record.
 * Dates are epoch milliseconds everywhere inside the service; the JSON form accepts ISO strings too.
 */
export interface Lead {
  /** `hubspot:<portalId>` or `salesforce:<orgId>`. */
  tenant: string;
  /** The CRM object type: `contact` (HubSpot), `Lead` or `Contact` (Salesforce). */
  objectType: string;
  /** The CRM record id. */
  id: string;
  email?: string;
  /** Current attribute values by canonical name. Dates are epoch ms. */
  attributes: Record<string, AttributeValue>;
  /** Engagement events, in any order. */
  events: LeadEvent[];
}

export type AttributeValue = string | number | boolean | null | undefined;

export interface LeadEvent {
  /** Canonical event type: `page_view`, `form_submission`, `email_open`, `demo_request`, … */
  type: string;
  /** When it happened, epoch ms. */
  at: number;
  /** URL, form name, asset, campaign, … */
  properties?: Record<string, string | number | boolean | null>;
}

const time = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date (use ISO 8601, like 2026-11-02T09:30:00Z)')
    .transform((s) => Date.parse(s)),
]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The JSON form of a lead (as read from a file or an API), validated, with dates turned into epoch ms. */
export const leadJsonSchema = z.strictObject({
  tenant: z.string().min(1).default('local:file'),
  objectType: z.string().min(1).default('lead'),
  id: z.string().min(1),
  email: z.string().optional(),
  attributes: z.record(z.string(), scalar).default({}),
  events: z
    .array(
      z.strictObject({
        type: z.string().min(1),
        at: time,
        properties: z.record(z.string(), scalar).optional(),
      }),
    )
    .default([]),
});

/** Parses a lead in our own JSON form; derives `emailDomain` from `email` when the attributes lack it. */
export function parseLeadJson(input: unknown): Lead {
  const lead = leadJsonSchema.parse(input);
  return withDerivedAttributes(lead);
}

/** Fills the attributes every lead gets for free: `email` and `emailDomain`. */
export function withDerivedAttributes(lead: Lead): Lead {
  const attributes = { ...lead.attributes };
  const email = lead.email ?? (typeof attributes.email === 'string' ? attributes.email : undefined);
  if (email) {
    attributes.email ??= email;
    attributes.emailDomain ??= emailDomainOf(email);
  }
  return { ...lead, email, attributes };
}

export function emailDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0 || at === email.length - 1) return undefined;
  return email.slice(at + 1).trim().toLowerCase();
}
