import { parseXml, XmlError } from './soap-xml';
import { toId18 } from './tenant';

describe('parseXml', () => {
  it('reads elements, prefixes, attributes, text, entities and CDATA', () => {
    const root = parseXml('<?xml version="1.0"?><a:r xmlns:a="urn:x" k=\'v&amp;w\'><b>1 &lt; 2 &#65;&#x42;</b><c/><d><![CDATA[<raw>]]></d><!-- note --></a:r>');
    expect(root).toMatchObject({ name: 'r', prefix: 'a', attributes: { 'xmlns:a': 'urn:x', k: 'v&w' } });
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', '1 < 2 AB'],
      ['c', ''],
      ['d', '<raw>'],
    ]);
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE r><r/>'],
    ['an internal entity (billion laughs)', '<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'],
    ['an undeclared entity', '<r>&xxe;</r>'],
    ['a bare ampersand', '<r>a & b</r>'],
    ['a processing instruction', '<r><?php echo 1 ?></r>'],
    ['mismatched tags', '<r><a></b></r>'],
    ['an unclosed element', '<r><a>'],
    ['two roots', '<r/><s/>'],
    ['text outside the root', 'x<r/>'],
    ['a duplicate attribute', '<r a="1" a="2"/>'],
    ['deep nesting', `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });
});

describe('toId18', () => {
  it('adds the case-checksum suffix to a 15-character id and keeps an 18-character one', () => {
    expect(toId18('00D5g000004ABCD')).toBe('00D5g000004ABCDEA4');
    expect(toId18('001000000000001')).toBe('001000000000001AAA');
    expect(toId18('00D5g000004ABCDEA4')).toBe('00D5g000004ABCDEA4');
    expect(() => toId18('short')).toThrow();
  });
});
