/**
 * The fewest Salesforce calls a backfill of Leads can take, and what the shipped mapping's event
 * sources add to it.
 *
 * Reading: one SOQL query batch returns at most 2,000 records, so one poll page (one call) per 2,000
 * leads. Writing: sObject Collections take at most 200 records, so one composite PATCH per 200 leads.
 *
 *   floor = 2,000-record pages + 200-record writes = 0.5 + 5 = 5.5 calls per 1,000 leads
 *
 * The scoring model also reads each lead's related records (config/mappings/salesforce.yaml
 * `events`: CampaignMember, Task and Event for a Lead). The connector reads them in bulk for each
 * page: one SOQL per event source per chunk of ids (`WHERE LeadId IN (…)`), chunked so that the URL
 * stays under `maxQueryUrlLength` and at most 300 ids go in one list. What that costs per page is
 * computed here with the connector's own query builder and chunking, so it follows the mapping.
 */
import { objectMapping, salesforceMapping, type SalesforceObjectType } from '../../connectors/salesforce/mapping';
import { resolveOptions } from '../../connectors/salesforce/options';
import { relatedQuery } from '../../connectors/salesforce/related';
import { chunkIds } from '../../connectors/salesforce/soql';
import type { ActiveConfig } from '../../src/pipeline/context';

/** One SOQL batch (the poll's LIMIT, connectors/salesforce/options.ts `pollPageSize`). */
export const QUERY_PAGE = 2_000;
/** sObject Collections: records per composite request. */
export const WRITE_BATCH = 200;
/** Most ids in one related-records query (connectors/salesforce/related.ts `MAX_IDS_PER_QUERY`, not exported). */
export const RELATED_MAX_IDS = 300;

export interface EventSourceCost {
  from: string;
  /** Ids in one query of a full page: the connector's chunking (≤ 300 and the URL limit). */
  idsPerQuery: number;
  /** Queries for a full page of 2,000. */
  queriesPerPage: number;
  /** Queries for a full page if only the URL length limited the chunks (no 300-id cap). */
  queriesPerPageUrlOnly: number;
}

export interface EventCost {
  objectType: SalesforceObjectType;
  sources: EventSourceCost[];
  /** Extra queries per full page of 2,000 records, all sources together. */
  perPage: number;
  perPageUrlOnly: number;
}

export interface Floor {
  leads: number;
  pages: number;
  writes: number;
  eventQueries: number;
  /** Calls per 1,000 leads: pages + writes (the brief's 5.5). */
  per1000: number;
  /** The same plus the event queries the mapping needs, as the connector chunks them. */
  per1000WithEvents: number;
  /** The same with chunks limited by the URL length only. */
  per1000WithEventsUrlOnly: number;
}

/** Synthetic 18-character ids (what a page of Leads looks like in a URL). */
function fakeIds(n: number, prefix = '00Q'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(12, '0')}AAA`);
}

/** What the mapping's event sources cost per page of `pageSize` records of a type. */
export function eventCost(config: ActiveConfig, objectType: SalesforceObjectType, pageSize = QUERY_PAGE): EventCost {
  const mapping = salesforceMapping(config);
  const o = objectMapping(mapping, objectType);
  const options = resolveOptions();
  const ids = fakeIds(pageSize, objectType === 'Lead' ? '00Q' : '003');
  const sources = o.events.map((source) => {
    const build = (list: string) => relatedQuery(source, o, list, options.maxEventRowsPerQuery + 1);
    const chunks = chunkIds(ids, build, options.maxQueryUrlLength, RELATED_MAX_IDS);
    const urlOnly = chunkIds(ids, build, options.maxQueryUrlLength, Number.POSITIVE_INFINITY);
    return { from: source.from, idsPerQuery: chunks[0]?.length ?? 0, queriesPerPage: chunks.length, queriesPerPageUrlOnly: urlOnly.length };
  });
  return {
    objectType,
    sources,
    perPage: sources.reduce((n, s) => n + s.queriesPerPage, 0),
    perPageUrlOnly: sources.reduce((n, s) => n + s.queriesPerPageUrlOnly, 0),
  };
}

/** The floor of a backfill of `leads` Leads: pages of 2,000, writes of 200, and the event queries of each page. */
export function floorFor(config: ActiveConfig, leads: number): Floor {
  const pages = Math.ceil(leads / QUERY_PAGE);
  const writes = Math.ceil(leads / WRITE_BATCH);
  const full = Math.floor(leads / QUERY_PAGE);
  const rest = leads % QUERY_PAGE;
  const perFull = eventCost(config, 'Lead');
  const perRest = rest ? eventCost(config, 'Lead', rest) : undefined;
  const eventQueries = full * perFull.perPage + (perRest?.perPage ?? 0);
  const eventQueriesUrlOnly = full * perFull.perPageUrlOnly + (perRest?.perPageUrlOnly ?? 0);
  const per1000 = (x: number) => (1000 * x) / leads;
  return {
    leads,
    pages,
    writes,
    eventQueries,
    per1000: per1000(pages + writes),
    per1000WithEvents: per1000(pages + writes + eventQueries),
    per1000WithEventsUrlOnly: per1000(pages + writes + eventQueriesUrlOnly),
  };
}
