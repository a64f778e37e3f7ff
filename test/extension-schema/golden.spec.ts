import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsSid, LcField, LcSchema } from 'nestjs-lc-service';
import { schemaObjectOf, schemaRequestAnswer } from '../../src/params/ext-schema.js';

// The expected answers are written from the vendor's Go structs (common/config_schema.go,
// common/request_schema.go, SchemaRequestResponse in common/messages.go): fields in struct order,
// map keys sorted, `omitempty` dropping false/0/""/nil/empty slices but never a struct (`key`,
// `filter`, `messages`), `response` a pointer without omitempty (null).

class Config {
  @LcField({ label: 'API key', description: 'Key for the intel feed', dataType: 'secret' })
  @IsString()
  apiKey!: string;

  @LcField({ label: 'Tag', description: 'Tag to add' })
  @IsOptional()
  @IsString()
  tag?: string;
}

class ScanParams {
  @LcField({ label: 'Sensor', description: 'The sensor to scan', dataType: 'sid' })
  @IsSid()
  sid!: string;

  @LcField({ label: 'Depth', description: 'How deep', filter: { min: 1, max: 5 } })
  @IsOptional()
  @IsInt()
  depth?: number;
}

const ISSUE_EXAMPLE_GOLDEN = `{
  "views": [{ "name": "main", "layout_type": "action", "default_requests": ["scan"] }],
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
        "description": "Tag to add",
        "data_type": "string",
        "display_index": 2,
        "filter": {}
      }
    },
    "key": {},
    "requirements": [["apiKey"]]
  },
  "request_schema": {
    "scan": {
      "is_default": true,
      "label": "Scan",
      "is_user_facing": true,
      "short_description": "Scan a sensor",
      "long_description": "",
      "messages": {},
      "is_impersonated": false,
      "parameters": {
        "fields": {
          "depth": {
            "label": "Depth",
            "description": "How deep",
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

/** Equal as values and in key order: `encoding/json` writes struct fields in order, map keys sorted. */
function expectGolden(actual: unknown, golden: string): void {
  const expected: unknown = JSON.parse(golden);
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('schema_request answer: golden against the Go structs', () => {
  it("the issue's example: config with a secret, a sid and a bounded depth, a view", () => {
    const answer = schemaRequestAnswer({
      views: [{ name: 'main', layoutType: 'action', defaultRequests: ['scan'] }],
      config: Config,
      actions: [
        {
          name: 'scan',
          params: ScanParams,
          label: 'Scan',
          description: 'Scan a sensor',
          default: true,
        },
      ],
      requiredEvents: ['subscribe', 'unsubscribe'],
    });
    expectGolden(answer, ISSUE_EXAMPLE_GOLDEN);
  });

  it('no views, no config, an action without parameters: the empty shapes Go writes', () => {
    const answer = schemaRequestAnswer({
      actions: [{ name: 'ping', userFacing: false, impersonated: true }],
      requiredEvents: [],
    });
    expectGolden(
      answer,
      `{
        "config_schema": { "fields": {}, "key": {}, "requirements": [] },
        "request_schema": {
          "ping": {
            "is_user_facing": false,
            "short_description": "",
            "long_description": "",
            "messages": {},
            "is_impersonated": true,
            "parameters": { "fields": {}, "key": {}, "requirements": [] },
            "response": null
          }
        },
        "required_events": []
      }`,
    );
  });

  it('request_schema keys are sorted like a Go map, whatever the declaration order', () => {
    const answer = schemaRequestAnswer({
      actions: [{ name: 'zeta' }, { name: 'alpha' }, { name: 'mid' }],
      requiredEvents: ['update'],
    });
    expect(Object.keys(answer.request_schema as object)).toEqual(['alpha', 'mid', 'zeta']);
  });
});

enum Severity {
  Low = 'low',
  High = 'high',
}

@LcSchema({ elementName: 'rule', elementDescription: 'A detection rule' })
class Rule {
  @LcField({ label: 'Name', description: 'Rule name', placeholder: 'my-rule' })
  @IsString()
  @Matches(/^[a-z-]+$/i)
  name!: string;

  @LcField({ label: 'Enabled', description: 'Whether it runs', defaultValue: false })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@LcSchema({
  key: { name: 'host', label: 'Host', description: 'The host name', dataType: 'domain' },
})
class HostSettings {
  @LcField({ label: 'Port', description: 'TCP port' })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;
}

class RichConfig {
  @LcField({ label: 'Rules', description: 'Rules to install' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Rule)
  rules!: Rule[];

  @LcField({
    label: 'Hosts',
    description: 'Per-host settings',
    dataType: 'record',
    object: () => HostSettings,
  })
  @IsOptional()
  hosts?: Record<string, HostSettings>;

  @LcField({ label: 'Severity', description: 'Minimum severity', defaultValue: 'low' })
  @IsIn([Severity.Low, Severity.High])
  severity!: Severity;

  @LcField({
    label: 'Feeds',
    description: 'Intel feeds',
    dataType: 'complex_enum',
    complexEnumValues: [
      { label: 'Feed A', value: 'a', categoryKey: 'free' },
      { label: 'Feed B', value: 'b', referenceLink: 'https://example.com/b' },
    ],
  })
  @IsOptional()
  @IsString({ each: true })
  feeds?: string[];

  @LcField({
    label: 'Window',
    description: 'Look-back window',
    dataType: 'duration',
    displayIndex: 9,
    defaultValue: 0,
    filter: { max: 86400000 },
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  window?: number;
}

@LcSchema({ supportedActions: ['isolate'] })
class ScanResult {
  @LcField({ label: 'Found', description: 'Matches found' })
  @IsInt()
  found!: number;
}

describe('schema_request answer: every element shape', () => {
  it('nested objects, lists, records with a key, enums, complex enums, defaults, filters', () => {
    expectGolden(
      schemaObjectOf(RichConfig, 'test'),
      `{
        "fields": {
          "feeds": {
            "label": "Feeds",
            "description": "Intel feeds",
            "data_type": "complex_enum",
            "is_list": true,
            "display_index": 4,
            "complex_enum_values": [
              { "label": "Feed A", "value": "a", "category_key": "free" },
              { "label": "Feed B", "value": "b", "reference_link": "https://example.com/b" }
            ],
            "filter": {}
          },
          "hosts": {
            "label": "Hosts",
            "description": "Per-host settings",
            "data_type": "record",
            "display_index": 2,
            "object": {
              "fields": {
                "port": {
                  "label": "Port",
                  "description": "TCP port",
                  "data_type": "integer",
                  "display_index": 1,
                  "filter": { "min": 1, "max": 65535 }
                }
              },
              "key": { "name": "host", "label": "Host", "description": "The host name", "data_type": "domain" },
              "requirements": [["port"]]
            },
            "filter": {}
          },
          "rules": {
            "label": "Rules",
            "description": "Rules to install",
            "data_type": "object",
            "is_list": true,
            "display_index": 1,
            "object": {
              "fields": {
                "enabled": {
                  "label": "Enabled",
                  "description": "Whether it runs",
                  "data_type": "bool",
                  "display_index": 2,
                  "default_value": false,
                  "filter": {}
                },
                "name": {
                  "label": "Name",
                  "description": "Rule name",
                  "placeholder": "my-rule",
                  "data_type": "string",
                  "display_index": 1,
                  "filter": { "valid_re": "(?i)^[a-z-]+$" }
                }
              },
              "key": {},
              "element_name": "rule",
              "element_desc": "A detection rule",
              "requirements": [["name"]]
            },
            "filter": {}
          },
          "severity": {
            "label": "Severity",
            "description": "Minimum severity",
            "data_type": "enum",
            "display_index": 3,
            "default_value": "low",
            "enum_values": ["low", "high"],
            "filter": {}
          },
          "window": {
            "label": "Window",
            "description": "Look-back window",
            "data_type": "duration",
            "display_index": 9,
            "default_value": 0,
            "filter": { "max": 86400000 }
          }
        },
        "key": {},
        "requirements": [["rules"], ["severity"]]
      }`,
    );
  });

  it('an action with messages, a long description and a response with supported_actions', () => {
    const answer = schemaRequestAnswer({
      actions: [
        {
          name: 'scan',
          params: ScanParams,
          description: 'Scan a sensor',
          longDescription: 'Scan a sensor with every rule',
          messages: { inProgress: 'Scanning', success: 'Scanned' },
          response: ScanResult,
        },
      ],
      requiredEvents: [],
    });
    const scan = (answer.request_schema as Record<string, Record<string, unknown>>).scan;
    expect(Object.keys(scan)).toEqual([
      'is_user_facing',
      'short_description',
      'long_description',
      'messages',
      'is_impersonated',
      'parameters',
      'response',
    ]);
    expect(scan.long_description).toBe('Scan a sensor with every rule');
    expect(scan.messages).toEqual({ in_progress: 'Scanning', success: 'Scanned' });
    expectGolden(
      scan.response,
      `{
        "fields": {
          "found": {
            "label": "Found",
            "description": "Matches found",
            "data_type": "integer",
            "display_index": 1,
            "filter": {}
          }
        },
        "key": {},
        "requirements": [["found"]],
        "supported_actions": ["isolate"]
      }`,
    );
  });
});
