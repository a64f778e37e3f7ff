import { HexDump, JobAttachment, JsonData, Table, YamlData } from '../../src/jobs/index.js';

describe('job attachments', () => {
  it('share the JobAttachment base type', () => {
    const all = [
      new HexDump('h', Buffer.alloc(1)),
      new Table('t', []),
      new YamlData('y', {}),
      new JsonData('j', {}),
    ];

    for (const attachment of all) expect(attachment).toBeInstanceOf(JobAttachment);
  });

  describe('HexDump', () => {
    it('serialises the bytes as base64 text', () => {
      const dump = new HexDump('magic', Buffer.from('MZ\x90\x00', 'latin1'));

      expect(JSON.parse(JSON.stringify(dump))).toEqual({
        att_type: 'hex_dump',
        caption: 'magic',
        data: 'TVqQAA==',
      });
    });

    it('encodes only the view of a Uint8Array, not its whole buffer', () => {
      const backing = new Uint8Array([1, 2, 3, 4, 5]);

      expect(new HexDump('slice', backing.subarray(1, 3)).toJSON().data).toBe(
        Buffer.from([2, 3]).toString('base64'),
      );
    });

    it('rejects data that is not bytes', () => {
      expect(() => new HexDump('bad', 'text' as unknown as Buffer)).toThrow(TypeError);
    });
  });

  describe('Table', () => {
    it('produces the RI table format', () => {
      const table = new Table('hosts', ['sid', 'online'], [['s1', true]]);
      table.addRow(['s2', false]);

      expect(table.length()).toBe(2);
      expect(table.toJSON()).toEqual({
        att_type: 'table',
        caption: 'hosts',
        headers: ['sid', 'online'],
        rows: [
          ['s1', true],
          ['s2', false],
        ],
      });
    });

    it('does not share rows between tables built without rows', () => {
      const first = new Table('a', ['x']);
      const second = new Table('b', ['x']);
      first.addRow(['only in a']);

      expect(second.toJSON().rows).toEqual([]);
    });

    it('copies rows, so reusing a row array does not rewrite the table', () => {
      const row = ['v1'];
      const table = new Table('t', ['x']);
      table.addRow(row);
      row[0] = 'v2';
      table.addRow(row);

      expect(table.toJSON().rows).toEqual([['v1'], ['v2']]);
    });

    it('validates that headers, rows and each row are arrays', () => {
      expect(() => new Table('t', 'a,b' as unknown as string[])).toThrow(
        'Table headers must be an array, not string',
      );
      expect(() => new Table('t', ['a'], {} as unknown as string[][])).toThrow(TypeError);
      expect(() => new Table('t', ['a']).addRow('x' as unknown as string[])).toThrow(
        'Table row must be an array, not string',
      );
    });
  });

  describe('YamlData', () => {
    it('renders an object as YAML text', () => {
      expect(new YamlData('conf', { rule: 'evil', ops: ['a', 'b'] }).toJSON()).toEqual({
        att_type: 'yaml',
        caption: 'conf',
        data: 'rule: evil\nops:\n  - a\n  - b\n',
      });
    });

    it('takes a string as YAML text already', () => {
      expect(new YamlData('raw', 'a: 1\n').toJSON().data).toBe('a: 1\n');
    });

    it('rejects a value that is neither structured data nor text', () => {
      expect(() => new YamlData('bad', 42 as unknown as object)).toThrow(TypeError);
    });
  });

  describe('JsonData', () => {
    it('is labelled json and holds pretty JSON text', () => {
      expect(new JsonData('event', { a: 1, b: [true] }).toJSON()).toEqual({
        att_type: 'json',
        caption: 'event',
        data: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}',
      });
    });

    it('renders at construction, so later mutation of the data is not seen', () => {
      const data = { n: 1 };
      const attachment = new JsonData('snap', data);
      data.n = 2;

      expect(attachment.toJSON().data).toBe('{\n  "n": 1\n}');
    });

    it('fails clearly on data that cannot be serialised', () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;

      expect(() => new JsonData('loop', circular)).toThrow(/^JSON data cannot be serialised/);
      expect(() => new JsonData('text', 'x' as unknown as object)).toThrow(TypeError);
    });
  });
});
