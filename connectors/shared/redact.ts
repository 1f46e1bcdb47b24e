/**
 * CRM error texts can quote the values a request carried: `Email address dana@acme.example is
 * invalid`, `"Dana Whitfield" was not a valid number`, `duplicate value found: +1 415 555 0100`.
 * They go to logs and to BullMQ's failed jobs (kept in clear text), so contact data is masked
 * before a CRM's text becomes part of an error message: email addresses, phone numbers, and quoted
 * values. API names (`lead_score`, `Lead_Score__c`, `Account.Industry`), error codes, record ids and
 * whole quoted sentences (a JSON `message`) are kept: they say what went wrong.
 */
export function redactContactData(text: string): string {
  return text
    .replace(EMAIL, '<email>')
    .replace(PHONE, (m) => (/^\d{4}-\d{2}-\d{2}/.test(m) || /^\d+$/.test(m) ? m : '<phone>'))
    .replace(DOUBLE_QUOTED, (token: string) => maskDoubleQuoted(token))
    .replace(SINGLE_QUOTED, (m, inner: string) => (API_NAME.test(inner) ? m : `'…'`))
    .replace(CURLY_QUOTED, (m, inner: string) => (API_NAME.test(inner) ? m : '“…”'));
}

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /(?<![\w.])\+?\d[\d ().-]{7,}\d(?![\w.])/g;
/** A double-quoted string, escaped quotes inside included (JSON strings in an error body). */
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\.)*"/g;
/** A single-quoted word (`'Lead'`): apostrophes in running text never pair up across a space. */
const SINGLE_QUOTED = /'([^'\s]{1,100})'/g;
const CURLY_QUOTED = /“([^”\n]{1,200})”/g;
/** A property, field or object API name, an error code, or a record id: safe to keep. */
const API_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Quoted text of more words than this is a sentence (a message), not a value. */
const MAX_VALUE_WORDS = 4;

function maskDoubleQuoted(token: string): string {
  const inner = token.slice(1, -1);
  if (API_NAME.test(inner)) return token;
  // a JSON string that quotes values itself: mask those
  if (inner.includes('\\"')) return `"${inner.replace(/\\"((?:[^"\\]|\\[^"])*)\\"/g, (m, v: string) => (API_NAME.test(v) ? m : '\\"…\\"'))}"`;
  return inner.trim().split(/\s+/).length > MAX_VALUE_WORDS ? token : '"…"';
}
