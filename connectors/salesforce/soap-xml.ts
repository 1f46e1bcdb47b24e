/**
 * A small, strict XML reader for the fixed SOAP envelopes Salesforce sends (Outbound Messages).
 * It reads elements, attributes, text and CDATA, and nothing that could reach outside the document:
 * a DOCTYPE (and so any entity declaration, external or not) or processing instruction other than
 * the XML declaration is refused, and the only entity references are the five XML predefines and
 * numeric character references. Size and depth are bounded. Namespaces are kept as prefixes; the
 * caller matches local names, which is all a fixed envelope needs.
 */

export interface XmlElement {
  /** Local name, without the prefix: `notifications` for `<soapenv:notifications>`. */
  name: string;
  prefix: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded, not trimmed. */
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 50_000;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a document into its root element; throws XmlError for anything that is not plain, well-formed XML. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const n = source.length;
  if (source.charCodeAt(0) === 0xfeff) i = 1;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  let count = 0;

  while (i < n) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const text = source.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decode(text);
      else if (text.trim()) throw new XmlError('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i);
      if (end < 0) throw new XmlError('unterminated processing instruction');
      if (!/^<\?xml[\s?]/.test(source.slice(i, i + 6)) || root || stack.length) throw new XmlError('processing instructions are not accepted');
      i = end + 2;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end < 0) throw new XmlError('unterminated CDATA section');
      const top = stack[stack.length - 1];
      if (!top) throw new XmlError('CDATA outside the root element');
      top.text += source.slice(i + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', i)) {
      throw new XmlError('DOCTYPE and entity declarations are not accepted');
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end < 0) throw new XmlError('unterminated end tag');
      const qname = source.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || qname !== qualified(top)) throw new XmlError(`end tag </${qname}> does not close ${top ? `<${qualified(top)}>` : 'anything'}`);
      i = end + 1;
    } else {
      const { element, selfClosing, next } = readStartTag(source, i);
      if (++count > MAX_ELEMENTS) throw new XmlError('too many elements');
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new XmlError('more than one root element');
      else root = element;
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > MAX_DEPTH) throw new XmlError('elements nested too deeply');
      }
      i = next;
    }
  }
  if (stack.length) throw new XmlError(`<${qualified(stack[stack.length - 1]!)}> is not closed`);
  if (!root) throw new XmlError('no root element');
  return root;
}

function qualified(e: XmlElement): string {
  return e.prefix ? `${e.prefix}:${e.name}` : e.name;
}

/** `<ns:name a="1" b='2'>` or `<name/>` at `start`. */
function readStartTag(source: string, start: number): { element: XmlElement; selfClosing: boolean; next: number } {
  let i = start + 1;
  const nameMatch = /^[^\s/>]+/.exec(source.slice(i, i + 200));
  const qname = nameMatch?.[0] ?? '';
  if (!NAME.test(qname)) throw new XmlError(`invalid element name "${qname.slice(0, 40)}"`);
  i += qname.length;
  const attributes: Record<string, string> = {};
  for (;;) {
    while (i < source.length && /\s/.test(source[i]!)) i++;
    if (source.startsWith('/>', i)) return { element: element(qname, attributes), selfClosing: true, next: i + 2 };
    if (source[i] === '>') return { element: element(qname, attributes), selfClosing: false, next: i + 1 };
    const m = /^([^\s=/>]+)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i, i + 10_000));
    if (!m?.[1] || !NAME.test(m[1])) throw new XmlError(`malformed attribute in <${qname}>`);
    if (m[1] in attributes) throw new XmlError(`duplicate attribute ${m[1]} in <${qname}>`);
    attributes[m[1]] = decode(m[3] ?? m[4] ?? '');
    i += m[0].length;
  }
}

function element(qname: string, attributes: Record<string, string>): XmlElement {
  const colon = qname.indexOf(':');
  return { name: colon < 0 ? qname : qname.slice(colon + 1), prefix: colon < 0 ? '' : qname.slice(0, colon), attributes, children: [], text: '' };
}

/** Decodes the five predefined entities and numeric character references; any other reference is an error. */
function decode(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  let i = 0;
  for (;;) {
    const amp = text.indexOf('&', i);
    if (amp < 0) return out + text.slice(i);
    const semi = text.indexOf(';', amp);
    const ref = semi < 0 ? '' : text.slice(amp + 1, semi);
    if (semi < 0 || ref.length === 0 || ref.length > 10) throw new XmlError('an "&" that starts no entity reference');
    out += text.slice(i, amp) + resolve(ref);
    i = semi + 1;
  }
}

function resolve(ref: string): string {
  const predefined = PREDEFINED[ref];
  if (predefined !== undefined) return predefined;
  const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
  if (!num) throw new XmlError(`unknown entity &${ref}; (only the XML predefined entities are accepted)`);
  const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
  if (code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`invalid character reference &${ref};`);
  return String.fromCodePoint(code);
}

/** The first child with this local name. */
export function child(e: XmlElement | undefined, name: string): XmlElement | undefined {
  return e?.children.find((c) => c.name === name);
}

/** Every child with this local name. */
export function childrenNamed(e: XmlElement | undefined, name: string): XmlElement[] {
  return e ? e.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of the first child with this local name. */
export function childText(e: XmlElement | undefined, name: string): string | undefined {
  const c = child(e, name);
  return c ? c.text.trim() : undefined;
}

/** Escapes text for an XML element or attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
