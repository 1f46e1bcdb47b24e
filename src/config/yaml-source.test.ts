import { parseYamlSource } from './yaml-source';

const text = [
  'a: 1', //              1
  'list:', //             2
  '  - x: 1', //          3
  '    y: 2', //          4
  '  - { x: 3 }', //      5
  'map:', //              6
  '  "12345":', //        7
  '    - 1', //           8
  'defaults: &d { z: 1 }', // 9
  'merged:', //           10
  '  <<: *d', //          11
  '  w: 2', //            12
].join('\n');

describe('YAML config files', () => {
  const source = parseYamlSource('x.yaml', text);

  it('parse to plain data (merge keys included)', () => {
    expect(source.problems).toEqual([]);
    expect(source.data).toEqual({ a: 1, list: [{ x: 1, y: 2 }, { x: 3 }], map: { '12345': [1] }, defaults: { z: 1 }, merged: { z: 1, w: 2 } });
  });

  it('know the line of every key and item', () => {
    expect(source.lineOf([])).toBe(1);
    expect(source.lineOf(['a'])).toBe(1);
    expect(source.lineOf(['list', 0])).toBe(3);
    expect(source.lineOf(['list', 0, 'y'])).toBe(4);
    expect(source.lineOf(['list', 1, 'x'])).toBe(5);
    expect(source.lineOf(['map', '12345', 0])).toBe(8);
    expect(source.lineOf(['merged', 'w'])).toBe(12);
  });

  it('place a missing key on the line of its parent', () => {
    expect(source.lineOf(['list', 0, 'missing'])).toBe(3);
    expect(source.lineOf(['list', 7])).toBe(2);
    expect(source.lineOf(['nope', 'deeper'])).toBe(1);
  });

  it('report a duplicate key on its second line, naming the first', () => {
    const dup = parseYamlSource('d.yaml', 'a:\n  b: 1\n  c: 2\n  b: 3\n');
    expect(dup.data).toBeUndefined();
    expect(dup.problems).toEqual([{ file: 'd.yaml', path: 'a.b', line: 4, message: 'duplicate key "b": a key can appear only once in a mapping (it is already on line 2)' }]);
  });

  it('report syntax errors with their line and column, and no data', () => {
    const bad = parseYamlSource('s.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
    expect(bad.data).toBeUndefined();
    expect(bad.problems.length).toBeGreaterThan(0);
    expect(bad.problems[0]).toMatchObject({ file: 's.yaml', path: '', message: expect.stringMatching(/^YAML syntax: .*\(column \d+\)$/) });
    expect(bad.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuse tabs as indentation in words an admin knows', () => {
    const tabs = parseYamlSource('t.yaml', 'a:\n\tb: 1\n');
    expect(tabs.problems[0]).toMatchObject({ line: 2, message: expect.stringContaining('indent with spaces, not tabs') });
  });

  it('refuse several documents in one file', () => {
    const docs = parseYamlSource('m.yaml', 'a: 1\n---\nb: 2\n');
    expect(docs.problems[0]?.message).toContain('several YAML documents');
  });

  it.each([[''], ['\n\n'], ['# only a comment\n'], ['~\n']])('report an empty file (%j)', (empty) => {
    expect(parseYamlSource('e.yaml', empty).problems).toEqual([{ file: 'e.yaml', path: '', line: 1, message: expect.stringContaining('the file is empty') }]);
  });
});
