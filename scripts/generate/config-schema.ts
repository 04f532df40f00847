/**
 * schema/segura-firewall.schema.json, generated from the role table and the options
 * schema (`npx projen generate`; test/generated.test.ts fails when it is stale): the
 * options a config file's readers (the CLI's matrix and diagram, the audit) use.
 */
import { optionKeysFor, RULE_OPTIONS, RuleOptions } from '../../lib/core/config';
import { ALL_ROLES, ROLES } from '../../lib/core/roles';

type Json = { [key: string]: unknown };

const cidrs = { $ref: '#/definitions/cidrs' };

/** The JSON schema of the CLI's configuration file. */
function configSchema(): Json {
  const properties: Json = { $schema: { type: 'string' } };
  for (const role of ALL_ROLES) {
    const facts = ROLES[role];
    const path = facts.property.split('.');
    const description = [`${facts.title}.`, facts.configNote].filter(Boolean).join(' ');
    let container = properties;
    for (const key of path.slice(0, -1)) {
      const object = (container[key] ??= { type: 'object', additionalProperties: false, properties: {} }) as Json;
      container = object.properties as Json;
    }
    container[path[path.length - 1]] = { ...cidrs, description };
    if (facts.port) {
      const portPath = facts.port.property.split('.');
      const owner = properties[portPath[0]] as Json;
      (owner.properties as Json)[portPath[1]] = { $ref: '#/definitions/port', description: facts.port.title };
      owner.required = [path[path.length - 1]];
    }
  }
  const fileOptions = [...new Set([...optionKeysFor('cli'), ...optionKeysFor('audit')])];
  for (const key of fileOptions) properties[key] = RULE_OPTIONS[key as keyof RuleOptions].schema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/segura-constructs/segura-constructs/schema/segura-firewall.schema.json',
    title: 'segura-firewall configuration',
    description: 'The same options as the SeguraCluster constructs, with peers as CIDR strings, plus the addresses of the '
      + 'Segura nodes and gateways. A role left out gets no rules; an empty list is an error. Generated from the role table.',
    type: 'object',
    additionalProperties: false,
    definitions: {
      cidrs: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', description: 'An IPv4 or IPv6 CIDR, e.g. 10.0.0.0/16 or 10.0.1.4/32' },
      },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
    },
    properties,
  };
}

/** The schema file's text. */
export function configSchemaText(): string {
  return JSON.stringify(configSchema(), null, 2) + '\n';
}
