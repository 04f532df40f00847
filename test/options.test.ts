/**
 * The options schema (lib/core/config.ts, RULE_OPTIONS) says who uses each option: the
 * plan, the constructs, the CLI's matrix and diagram commands, the audit. Each reader
 * acts on the options it uses and refuses, naming the key, the ones it would ignore.
 * Every case below comes from the schema: a new option is checked with no edit here.
 */
import { Construct } from 'constructs';
import { run as runCli } from '../lib/cli/main';
import { FirewallPlan, Role } from '../lib/core';
import { planOptionsOf, RULE_OPTIONS, RuleOptions } from '../lib/core/config';
import { readConfig } from '../lib/core/config-file';
import { ClusterTopology } from '../lib/core/topology';
import { SeguraValidationError } from '../lib/errors';
import { optionsFor, Reader } from './support/keys';

const OPTIONS = Object.entries(RULE_OPTIONS) as Array<[keyof RuleOptions, (typeof RULE_OPTIONS)[keyof RuleOptions]]>;
const READERS: Reader[] = ['constructs', 'cli', 'audit'];

/** The constructs' reading of props, through the topology both clouds' clusters hold. */
const construct = (props: object) => new ClusterTopology<string>({
  cluster: new Construct(undefined as any, 'Cluster'), props, backendKeys: [], validatePeer: () => {}, isUnresolved: () => false, worldOpen: () => undefined, cidrOf: () => undefined,
});

/** The CLI's matrix command on a config given on standard input. */
async function matrix(config: object): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runCli(['matrix', '--format', 'json', '--config', '-'], { out: () => {}, err: m => { err.push(m); }, stdin: () => JSON.stringify(config) });
  return { code, err: err.join('') };
}

/** How each reader reads a configuration holding users and `extra`: undefined when it accepts it, else the error's property. */
const READ: Record<Reader, (extra: object) => Promise<string | undefined>> = {
  constructs: async extra => refusal(() => construct({ users: ['10.10.0.0/16'], ...extra })),
  audit: async extra => refusal(() => readConfig({ primary: ['10.0.1.4/32'], users: ['10.10.0.0/16'], ...extra }, 'audit')),
  cli: async extra => {
    const { code, err } = await matrix({ primary: ['10.0.1.4/32'], users: ['10.10.0.0/16'], ...extra });
    return code === 0 ? undefined : /^segura-firewall: \(standard input\): ([^:]+): .* would ignore it/.exec(err)?.[1] ?? err;
  },
};

function refusal(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (e) {
    if (!(e instanceof SeguraValidationError)) throw e;
    return e.message.includes('would ignore it') ? e.property : e.message;
  }
}

describe('the options schema', () => {
  test('every option names who uses it, among the known users, and has valid examples', () => {
    for (const [key, spec] of OPTIONS) {
      expect({ key, users: spec.usedBy.filter(u => !['plan', 'constructs', 'cli', 'audit'].includes(u)) }).toEqual({ key, users: [] });
      expect({ key, some: spec.usedBy.some(u => u !== 'plan') }).toEqual({ key, some: true });
      expect(spec.examples.length).toBeGreaterThan(0);
    }
  });

  test('the options the schema gives the plan are exactly those that reach the plan\'s options', () => {
    for (const [key, spec] of OPTIONS) {
      for (const example of spec.examples) {
        const plan = planOptionsOf([Role.USERW], { [key]: example } as RuleOptions) as unknown as Record<string, unknown>;
        expect({ key, reachesPlan: plan[key] !== undefined }).toEqual({ key, reachesPlan: spec.usedBy.includes('plan') });
      }
    }
  });

  test.each(READERS)('%s: accepts every option it uses (each valid example), refuses every other, naming the key', async reader => {
    for (const [key, spec] of OPTIONS) {
      for (const example of spec.examples) {
        expect({ key, example, refused: await READ[reader]({ [key]: example }) })
          .toEqual({ key, example, refused: optionsFor(reader).includes(key) ? undefined : key });
      }
    }
  });

  test('an option used by the plan changes what the plan opens for some example (none is decoration)', () => {
    const base = { peerRoles: [Role.USERW, Role.DVC] };
    const flows = (extra: object) => FirewallPlan.flows({ ...base, ...extra }).map(f => `${f.id} ${f.port}`).join();
    for (const [key, spec] of OPTIONS.filter(([, s]) => s.usedBy.includes('plan'))) {
      expect({ key, changes: spec.examples.some(e => flows({ [key]: e }) !== flows({})) }).toEqual({ key, changes: true });
    }
  });
});
