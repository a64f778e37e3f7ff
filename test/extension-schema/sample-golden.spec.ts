import { startSampleExtension, type SampleExtRun } from '../helpers/sample-extension.js';

// The sample extension's schema_request answer, written by hand from the vendor's Go structs
// (common/config_schema.go, common/request_schema.go, View and SchemaRequestResponse in
// common/messages.go): fields in struct order, map keys sorted (`fields`, `request_schema`),
// `omitempty` dropping false/0/"" (`is_default` and `label` of `rescan`) but never a struct
// (`key`, `filter`, `messages`), `response` a pointer without omitempty (null), slices in the
// order given (`requirements`, `default_requests`).
const SAMPLE_SCHEMA_GOLDEN = `{
  "views": [{ "name": "main", "layout_type": "action", "default_requests": ["scan", "lookup"] }],
  "config_schema": {
    "fields": {
      "apiKey": {
        "label": "API key",
        "description": "Key for the intel feed",
        "data_type": "secret",
        "display_index": 1,
        "filter": {}
      },
      "tag": {
        "label": "Tag",
        "description": "Tag the D&R rule adds to a flagged sensor",
        "data_type": "string",
        "display_index": 2,
        "filter": {}
      }
    },
    "key": {},
    "requirements": [["apiKey"]]
  },
  "request_schema": {
    "lookup": {
      "label": "Look up",
      "is_user_facing": true,
      "short_description": "Is this hash known-bad?",
      "long_description": "",
      "messages": {},
      "is_impersonated": false,
      "parameters": {
        "fields": {
          "hash": {
            "label": "SHA-256",
            "description": "The file hash to look up",
            "data_type": "string",
            "display_index": 1,
            "filter": { "valid_re": "^[0-9a-f]{64}$" }
          }
        },
        "key": {},
        "requirements": [["hash"]]
      },
      "response": null
    },
    "rescan": {
      "is_user_facing": false,
      "short_description": "Retry a scan queued while its sensor was offline",
      "long_description": "",
      "messages": {},
      "is_impersonated": false,
      "parameters": {
        "fields": {
          "attempt": {
            "label": "Attempt",
            "description": "Retries made so far",
            "data_type": "integer",
            "display_index": 3,
            "filter": { "min": 1 }
          },
          "depth": {
            "label": "Depth",
            "description": "How deep to scan",
            "data_type": "integer",
            "display_index": 2,
            "filter": { "min": 1, "max": 5 }
          },
          "sid": {
            "label": "Sensor",
            "description": "The sensor to scan",
            "data_type": "sid",
            "display_index": 1,
            "filter": {}
          }
        },
        "key": {},
        "requirements": [["sid"], ["attempt"]]
      },
      "response": null
    },
    "scan": {
      "is_default": true,
      "label": "Scan",
      "is_user_facing": true,
      "short_description": "Scan a sensor for known-bad files",
      "long_description": "",
      "messages": { "in_progress": "Scanning…", "success": "Scan started" },
      "is_impersonated": false,
      "parameters": {
        "fields": {
          "depth": {
            "label": "Depth",
            "description": "How deep to scan",
            "data_type": "integer",
            "display_index": 2,
            "filter": { "min": 1, "max": 5 }
          },
          "sid": {
            "label": "Sensor",
            "description": "The sensor to scan",
            "data_type": "sid",
            "display_index": 1,
            "filter": {}
          }
        },
        "key": {},
        "requirements": [["sid"]]
      },
      "response": null
    }
  },
  "required_events": ["subscribe", "unsubscribe"]
}`;

type Json = Record<string, unknown>;

describe("the sample extension's schema_request answer, against the Go structs", () => {
  let run: SampleExtRun;
  let data: Json;
  const expected = JSON.parse(SAMPLE_SCHEMA_GOLDEN) as Json;

  beforeAll(async () => {
    run = await startSampleExtension();
    const r = await run.client.schemaRequest();
    expect(r.status).toBe(200);
    expect(r.body.error).toBe('');
    data = r.body.data as Json;
  });
  afterAll(() => run.stop());

  it('has the top-level fields of SchemaRequestResponse, in struct order', () => {
    expect(Object.keys(data)).toEqual(Object.keys(expected));
  });

  it.each(['views', 'config_schema', 'required_events'])('%s matches field by field', (key) => {
    expect(data[key]).toEqual(expected[key]);
    expect(JSON.stringify(data[key])).toBe(JSON.stringify(expected[key]));
  });

  it.each(['lookup', 'rescan', 'scan'])('request_schema.%s matches field by field', (action) => {
    const actual = (data.request_schema as Json)[action];
    const want = (expected.request_schema as Json)[action];
    expect(actual).toEqual(want);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(want));
  });

  it('is byte for byte what encoding/json writes', () => {
    expect(JSON.stringify(data)).toBe(JSON.stringify(expected));
  });
});
