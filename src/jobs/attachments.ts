import { stringify as toYaml } from 'yaml';

export interface HexDumpJson {
  att_type: 'hex_dump';
  caption: string;
  /** Base64 of the raw bytes. */
  data: string;
}

export type TableCell = string | number | boolean | null;

export interface TableJson {
  att_type: 'table';
  caption: string;
  headers: string[];
  rows: TableCell[][];
}

export interface YamlJson {
  att_type: 'yaml';
  caption: string;
  /** YAML text. */
  data: string;
}

export interface JsonDataJson {
  att_type: 'json';
  caption: string;
  /** Pretty-printed JSON text. */
  data: string;
}

export type AttachmentJson = HexDumpJson | TableJson | YamlJson | JsonDataJson;

/** What `Job.narrate()` accepts. `toJSON()` returns a fresh object, so a narration is a snapshot. */
export abstract class JobAttachment {
  abstract toJSON(): AttachmentJson;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function isStructured(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Binary data shown as a hex dump. Unlike the RI, the data is base64 text, so it serialises. */
export class HexDump extends JobAttachment {
  private readonly caption: string;
  private readonly base64: string;

  constructor(caption: string, data: Buffer | Uint8Array) {
    super();
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`HexDump data must be a Buffer or Uint8Array, not ${describeType(data)}`);
    }
    this.caption = String(caption);
    this.base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }

  toJSON(): HexDumpJson {
    return { att_type: 'hex_dump', caption: this.caption, data: this.base64 };
  }
}

export class Table extends JobAttachment {
  private readonly caption: string;
  private readonly headers: string[];
  private readonly rows: TableCell[][] = [];

  constructor(
    caption: string,
    headers: readonly string[],
    rows: readonly (readonly TableCell[])[] = [],
  ) {
    super();
    if (!Array.isArray(headers)) {
      throw new TypeError(`Table headers must be an array, not ${describeType(headers)}`);
    }
    if (!Array.isArray(rows)) {
      throw new TypeError(`Table rows must be an array of arrays, not ${describeType(rows)}`);
    }
    this.caption = String(caption);
    this.headers = [...headers];
    for (const row of rows) this.addRow(row);
  }

  addRow(row: readonly TableCell[]): void {
    if (!Array.isArray(row)) {
      throw new TypeError(`Table row must be an array, not ${describeType(row)}`);
    }
    // Copied so a caller reusing its row array cannot rewrite rows already added.
    this.rows.push([...row]);
  }

  length(): number {
    return this.rows.length;
  }

  toJSON(): TableJson {
    return {
      att_type: 'table',
      caption: this.caption,
      headers: [...this.headers],
      rows: this.rows.map((row) => [...row]),
    };
  }
}

/**
 * Data shown as YAML. An object or array is rendered to YAML text (keys in insertion order; the RI's
 * PyYAML sorted them); a string is taken as YAML text already.
 */
export class YamlData extends JobAttachment {
  private readonly caption: string;
  private readonly text: string;

  constructor(caption: string, data: object | string) {
    super();
    if (typeof data !== 'string' && !isStructured(data)) {
      throw new TypeError(
        `YAML data must be an object, an array or YAML text, not ${describeType(data)}`,
      );
    }
    this.caption = String(caption);
    this.text = typeof data === 'string' ? data : toYaml(data);
  }

  toJSON(): YamlJson {
    return { att_type: 'yaml', caption: this.caption, data: this.text };
  }
}

/** Data shown as JSON, rendered now (two-space indent, like the RI) so later mutation is not seen. */
export class JsonData extends JobAttachment {
  private readonly caption: string;
  private readonly text: string;

  constructor(caption: string, data: object) {
    super();
    if (!isStructured(data)) {
      throw new TypeError(`JSON data must be an object or an array, not ${describeType(data)}`);
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(data, null, 2);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw new TypeError(`JSON data cannot be serialised: ${reason}`);
    }
    this.caption = String(caption);
    // An object whose toJSON() returns undefined renders as nothing; show it as JSON null.
    this.text = text ?? 'null';
  }

  toJSON(): JsonDataJson {
    return { att_type: 'json', caption: this.caption, data: this.text };
  }
}
