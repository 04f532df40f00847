/**
 * Hostile and careless input, at random: every prop of both clouds' clusters and
 * every key of the CLI config gets a random string or JSON value. The outcome is
 * always one of two: a SeguraValidationError (exit 2 on the CLI) naming that
 * property, or an output the evaluators find exact. Never another exception, never
 * an internal error.
 */
import './support/fast-synth';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { azurePeer, azurePeers, ip } from './azure/helpers';
import { awsPeer } from './support/aws-cluster';
import { CLI_ROLE_PROPERTIES, peersByRole } from './support/config-reader';
import { run } from '../lib/cli/main';
import { ClusterTraffic, FirewallMatrix, FirewallPlan, Role } from '../lib/core';
import { CONSTRUCT_PEER_ROLES, RULE_OPTIONS, RuleOptions } from '../lib/core/config';
import { readConfig } from '../lib/core/config-file';
import { ALL_ROLES, isNode, ROLES } from '../lib/core/roles';
import { SeguraValidationError } from '../lib/errors';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, wearersOf } from './support/aws-evaluator';
import { AZURE_LB, Entity, evaluateNsgs, inVnet, NsgModel } from './support/azure-evaluator';
import { AWS_CLUSTER_OWN_KEYS, AZURE_CLUSTER_OWN_KEYS, optionsNotFor } from './support/keys';
import { runs, share } from './support/runs';

// Random props and configs, each synthesized (or run through the CLI) and evaluated: tens of seconds on a 2-core machine.
jest.setTimeout(180_000);

/** An object of a class of the test's own: not a plain record. */
class Opaque {
  constructor(public readonly inner: unknown) {}
}

/** A Map, a Set or a class instance holding a value that would be valid as a plain object's or a list's. */
const notPlain = fc.oneof(
  fc.constantFrom(new Map([['MGT-SMTP', 587]]), new Map([['ntp', [ec2.Peer.ipv4('10.0.0.1/32')]]]), new Set(['DVC-TELNET']), new Set([ec2.Peer.ipv4('10.0.0.0/8')])),
  fc.jsonValue().map(v => new Map([['team', v]])),
  fc.jsonValue().map(v => new Set([v])),
  fc.jsonValue().map(v => new Opaque(v)),
);

/** A random value: a string, any JSON value, or a Map, a Set or a class instance. */
const anyValue = fc.oneof(fc.string(), fc.jsonValue(), notPlain, fc.constantFrom(NaN, Infinity, -1, 0, 1.5, true, false, null, [], {}, 'ALL_INSTANCES', ['users']));

/** Every prop path of a cluster: the role properties (nested ones too), the rule options, the cloud's own. */
const rolePaths = (roles: readonly Role[]) => [...new Set(roles.flatMap(r => {
  const parts = ROLES[r].property.split('.');
  return [parts[0], ROLES[r].property, ...(ROLES[r].port ? [ROLES[r].port!.property] : [])];
}))];
/** Every rule option of the options schema: a reader that does not use one refuses it, naming it. */
const RULE_KEYS = Object.keys(RULE_OPTIONS);

/** Valid values too, so that outputs are checked as often as errors: `peers` turns CIDR strings into the cloud's peers. */
const OWN_ROWS = FirewallMatrix.ALL_ROWS.filter(r => !r.follows).map(r => r.id);
function validValue(path: string, peers: (cidrs: string[]) => unknown): fc.Arbitrary<unknown> {
  const cidrs = fc.subarray(['10.1.0.0/16', '192.168.3.4/32', '172.16.0.0/12', '2001:db8::/48']);
  switch (path) {
    case 'portOverrides': return fc.dictionary(fc.constantFrom(...OWN_ROWS), fc.integer({ min: 1, max: 65535 }), { maxKeys: 3 });
    case 'disabledRules': return fc.subarray(OWN_ROWS, { maxLength: 4 });
    case 'allowAnyAddress': return fc.constant([]);
    case 'clusterTraffic': return fc.constantFrom(...Object.values(ClusterTraffic));
    case 'ruleQuota': return fc.constantFrom(60, 100, 200);
    case 'maxSecurityGroups': return fc.integer({ min: 1, max: 5 });
    case 'namePrefix': return fc.constantFrom('segura-a', 'prod');
    case 'keepAzureDefaultRules': return fc.boolean();
    case 'tags': return fc.constant({ team: 'pam' });
    case '$schema': return fc.constant('./segura-firewall.schema.json');
    case 'management': return fc.constant({});
    default:
      // Any other option: its valid examples, from the options schema.
      if (path in RULE_OPTIONS) return fc.constantFrom(...RULE_OPTIONS[path as keyof RuleOptions].examples);
      return path.endsWith('.port') ? fc.integer({ min: 1, max: 65535 }) : cidrs.map(peers);
  }
}
const valueFor = (path: string, peers: (cidrs: string[]) => unknown) => fc.oneof(anyValue, validValue(path, peers));

/** `base` with `value` at `path` (a copy of the plain objects on the way; arrays and constructs are shared, never changed). */
function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, any> {
  const out: Record<string, any> = { ...base };
  const keys = path.split('.');
  let at = out;
  for (const k of keys.slice(0, -1)) at = (at[k] = typeof at[k] === 'object' && at[k] !== null && isPlain(at[k]) ? { ...at[k] } : {});
  at[keys[keys.length - 1]] = value;
  return out;
}
const isPlain = (v: object) => Object.getPrototypeOf(v) === Object.prototype;

/** The error must be ours, and name the property (or one inside it). */
function expectNamed(error: unknown, path: string): void {
  expect(error).toBeInstanceOf(SeguraValidationError);
  const property = (error as SeguraValidationError).property;
  const top = path.split('.')[0];
  expect({
    path,
    property,
    ok: property === path || property.startsWith(`${path}[`) || property.startsWith(`${path}.`) || property.startsWith(`${top}[`)
    || property.startsWith(`${top}.`) || property === top,
  }).toEqual({ path, property, ok: true });
}

/**
 * Refused at construction (a SeguraValidationError naming the property) or at synth
 * (the validation of rows changed for a gateway that was never attached).
 */
function expectRefused(error: unknown, path: string): void {
  if (error instanceof SeguraValidationError || !['portOverrides', 'disabledRules'].includes(path)) return expectNamed(error, path);
  expect(String(error)).toMatch(/is in portOverrides or disabledRules, but no \w+ is attached to F\/Segura, so it would be silently ignored/);
}

/** The peers of a props object, read by the test (CIDR strings by role). */
const cidrsOf = (props: object, cidr: (peer: any) => string) =>
  new Map([...peersByRole<any>(props)].map(([role, peers]) => [role as string, peers.map(cidr)]));

describe('property: any value for any prop is an error naming it, or an exact output', () => {
  test('AWS', () => {
    const base = { users: ['10.10.0.0/16'], management: { ntp: ['10.30.0.1/32'], backup: ['10.30.0.8/32'] } };
    // Not layoutFile: a path, written at synth (a random one would leave files in the repository); test/aws/layout-file.test.ts has it.
    const paths = [...rolePaths(CONSTRUCT_PEER_ROLES), ...RULE_KEYS, ...AWS_CLUSTER_OWN_KEYS.filter(k => k !== 'layoutFile')];
    let errors = 0; let outputs = 0;
    const awsPeers = (list: string[]) => list.map(awsPeer);
    fc.assert(fc.property(fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), valueFor(p, awsPeers))), ([path, value]) => {
      const app = new App();
      const stack = new Stack(app, 'F');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
      const peer = (c: string) => ec2.Peer.ipv4(c);
      const management = { ntp: base.management.ntp.map(peer), backup: base.management.backup.map(peer) };
      const start = { vpc, users: base.users.map(peer), management };
      const props = withValue(start, path, value);
      let cluster: aws.SeguraCluster;
      let templates: ReturnType<typeof synthTemplates>;
      try {
        cluster = new aws.SeguraCluster(stack, 'Segura', props as any);
        templates = synthTemplates(app);
      } catch (e) {
        errors++;
        expectRefused(e, path);
        return;
      }
      outputs++;
      // An option the constructs do not use is refused, whatever its value.
      expect({ path, refused: optionsNotFor('constructs').includes(path) }).toEqual({ path, refused: false });
      const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
        [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
      ]);
      const peers = cidrsOf(props, (p: ec2.IPeer) => { const c = p.toIngressRuleConfig() as any; return c.cidrIp ? `cidr:${c.cidrIp}` : `cidr6:${c.cidrIpv6}`; });
      const flows = FirewallPlan.flows({
        peerRoles: [...peers.keys()] as Role[],
        clusterTraffic: props.clusterTraffic,
        portOverrides: props.portOverrides,
        disabledRules: props.disabledRules,
      });
      const actual = atoms(ruleFacts(templates), wearersOf(groups));
      const expected = expectedAtoms(flows, new Set(groups.keys()), peers);
      expect(minus(actual, expected)).toEqual([]);
      expect(minus(expected, actual)).toEqual([]);
    }), { numRuns: runs(60) });
    // Both outcomes happened.
    expect(errors).toBeGreaterThan(share(60, 0.25));
    expect(outputs).toBeGreaterThan(share(60, 0.04));
  });

  test('Azure', () => {
    const paths = [...rolePaths(CONSTRUCT_PEER_ROLES), ...RULE_KEYS, ...AZURE_CLUSTER_OWN_KEYS];
    let errors = 0; let outputs = 0;
    const azureList = (list: string[]) => list.map(azurePeer);
    fc.assert(fc.property(fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), valueFor(p, azureList))), ([path, value]) => {
      const stack = new TerraformStack(Testing.app(), 'F');
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const peer = (c: string) => ip(c);
      const props = withValue({ resourceGroupName: 'rg', location: 'brazilsouth', users: [peer('10.10.0.0/16')], management: { ntp: [peer('10.30.0.1/32')] } }, path, value);
      let cluster: azure.SeguraCluster;
      let synthesized: string;
      try {
        cluster = new azure.SeguraCluster(stack, 'Segura', props as any);
        synthesized = Testing.synth(stack, true);
      } catch (e) {
        errors++;
        expectRefused(e, path);
        return;
      }
      outputs++;
      expect({ path, refused: optionsNotFor('constructs').includes(path) }).toEqual({ path, refused: false });
      const model = new NsgModel(JSON.parse(synthesized));
      const nsg = model.ref('azurerm_network_security_group', `${cluster.namePrefix}-nsg`, 'name');
      const asg = (n: string) => model.ref('azurerm_application_security_group', `${cluster.namePrefix}-${n}-asg`);
      const instances: Entity[] = [
        { name: 'PRD', ip: '10.0.1.4', asgs: [asg('prd')], tags: [], nsg, roles: [Role.PRD] },
        { name: 'MBR', ip: '10.0.1.5', asgs: [asg('mbr')], tags: [], nsg, roles: [Role.MBR] },
      ];
      const peers = azurePeers(props);
      const flows = FirewallPlan.flows({
        peerRoles: [...peers.keys()] as Role[],
        clusterTraffic: props.clusterTraffic,
        portOverrides: props.portOverrides,
        disabledRules: props.disabledRules,
      });
      const { expected, actual, entities } = evaluateNsgs(model, instances, peers, flows);
      // keepAzureDefaultRules: true (the user's explicit choice) puts Azure's defaults back in force:
      // everything inside the virtual network, Azure's load balancer inbound, and everything outbound to outside it.
      const byName = new Map(entities.map(e => [e.name, e]));
      const byDefaults = (connection: string) => {
        const [src, dst] = connection.slice(0, connection.lastIndexOf(' ')).split('>').map(n => byName.get(n)!);
        if (props.keepAzureDefaultRules !== true) return false;
        return (inVnet(dst.ip) && inVnet(src.ip)) || src.ip === AZURE_LB || (!inVnet(dst.ip) && src.nsg !== undefined);
      };
      expect([...actual].filter(x => !expected.has(x) && !byDefaults(x))).toEqual([]);
      expect([...expected].filter(x => !actual.has(x))).toEqual([]);
    }), { numRuns: runs(60) });
    expect(errors).toBeGreaterThan(share(60, 0.25));
    expect(outputs).toBeGreaterThan(share(60, 0.04));
  });

  test('the CLI config: exit 2 with one line naming the key, or exit 0 with exactly the plan; never an internal error', async () => {
    const base = { primary: ['10.0.1.4/32'], members: ['10.0.1.5/32'], users: ['10.10.0.0/16'], management: { ntp: ['10.30.0.1/32'] } };
    const paths = [...rolePaths(ALL_ROLES), ...RULE_KEYS, '$schema'];
    let errors = 0; let outputs = 0;
    const pathAndValue = fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), valueFor(p, list => list)));
    await fc.assert(fc.asyncProperty(pathAndValue, async ([path, value]) => {
      const config = withValue(base, path, value);
      // What the CLI reads: JSON (NaN and Infinity become null, undefined keys vanish).
      const sent = JSON.parse(JSON.stringify(config));
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(['matrix', '--format', 'json', '--config', '-'], { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => JSON.stringify(sent) });
      expect([0, 2]).toContain(code);
      if (code === 2) {
        errors++;
        expect(err).toHaveLength(1);
        const property = /^segura-firewall: \(standard input\): ([^:]+):/.exec(err[0])?.[1] ?? '';
        expectNamed(new SeguraValidationError(property, ''), path);
        return;
      }
      outputs++;
      // An option the matrix command does not use is refused, whatever its value.
      expect({ path, refused: optionsNotFor('cli').includes(path) }).toEqual({ path, refused: false });
      expect(code).toBe(0);
      const lines = JSON.parse(out.join(''));
      const addresses = new Map<string, string[]>(peersByRole<string>(sent, CLI_ROLE_PROPERTIES));
      const flows = FirewallPlan.flows({
        peerRoles: [...addresses.keys()].filter(r => !isNode(r as Role)) as Role[],
        clusterMembers: addresses.has(Role.MBR),
        clusterTraffic: sent.clusterTraffic,
        portOverrides: sent.portOverrides,
        disabledRules: sent.disabledRules,
        aptProxyPort: sent.aptProxy?.port,
      });
      const of = (role: string) => addresses.get(role) ?? (role === Role.PRD ? [Role.PRD] : []);
      const expected = flows.flatMap(f => of(f.source).flatMap(s => of(f.destination).filter(d => d !== s).map(d => `${f.rowId} ${s}>${d} ${f.protocol}/${f.port}`)));
      expect(lines.map((l: any) => `${l.rowId} ${l.sourceAddress}>${l.destinationAddress} ${l.protocol}/${l.fromPort}`).sort()).toEqual(expected.sort());
    }), { numRuns: runs(150) });
    expect(errors).toBeGreaterThan(share(150, 0.33));
    expect(outputs).toBeGreaterThan(share(150, 0.066));
  });
});

/**
 * A record read twice could be checked on one read and used on another: a getter or a
 * Proxy answering differently the second time. Each record the props or the config
 * hold (the props themselves, management, aptProxy, portOverrides, tags) is given
 * two-faced, and each of its keys must be read once: the outcome (an error, or what
 * is synthesized) is exactly the outcome of the first answers given as a plain object.
 */
describe('property: getters and Proxies are read once; the outcome is that of their first answers', () => {
  /** Each key's first read gives `value`'s, every later one `later`: as getters on a plain object, or through a Proxy. */
  function twoFaced(value: Record<string, unknown>, later: unknown, how: 'getters' | 'proxy', reads: Map<string, number>): Record<string, unknown> {
    const read = (key: string) => {
      const n = (reads.get(key) ?? 0) + 1;
      reads.set(key, n);
      return n === 1 ? value[key] : later;
    };
    if (how === 'proxy') {
      return new Proxy({ ...value }, { get: (target, key, receiver) => (typeof key === 'string' && key in value ? read(key) : Reflect.get(target, key, receiver)) });
    }
    const out = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { enumerable: true, get: () => read(key) });
    return out;
  }

  /** The record at `path` ('' for the props themselves) made two-faced in a copy of `props`. */
  function withTwoFaced(props: Record<string, unknown>, path: string, later: unknown, how: 'getters' | 'proxy', reads: Map<string, number>) {
    if (path === '') return twoFaced(props, later, how, reads);
    return { ...props, [path]: twoFaced(props[path] as Record<string, unknown>, later, how, reads) };
  }

  /** What running `fn` gives: the error's message, or the output. */
  const outcome = (fn: () => string) => {
    try {
      return fn();
    } catch (e) {
      return `error: ${e instanceof SeguraValidationError ? '' : 'not ours: '}${(e as Error).message}`;
    }
  };

  /** A record's plain value, random but mostly valid; later reads answer with anything at all (world-open peers too). */
  const recordArb = (path: string, peer: (c: string) => unknown) => {
    switch (path) {
      case 'management': return fc.record({ ntp: fc.constant([peer('10.30.0.1/32')]), backup: fc.constantFrom([peer('10.30.0.8/32')], [peer('0.0.0.0/0')]) });
      case 'aptProxy': return fc.record({ peers: fc.constant([peer('10.40.0.1/32')]), port: fc.constantFrom(3128, 3142, 0) });
      case 'portOverrides': return fc.dictionary(fc.constantFrom('USR-SSH', 'USR-HTTP', 'MGT-NTP'), fc.integer({ min: 1, max: 65535 }), { minKeys: 1, maxKeys: 3 });
      case 'tags': return fc.dictionary(fc.constantFrom('team', 'owner'), fc.string(), { minKeys: 1, maxKeys: 2 });
      default: return fc.constant(undefined);
    }
  };
  const laterArb = (peer: (c: string) => unknown) => fc.oneof(anyValue, fc.constant([peer('0.0.0.0/0')]), fc.constant({ 'USR-SSH': 22222 }), fc.constant(undefined));

  test('AWS: the props, management, aptProxy and portOverrides', () => {
    const peer = (c: string) => ec2.Peer.ipv4(c);
    const paths = ['', 'management', 'aptProxy', 'portOverrides'];
    fc.assert(fc.property(fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), recordArb(p, peer), laterArb(peer), fc.constantFrom('getters', 'proxy'))),
      ([path, record, later, how]) => {
        const base: Record<string, unknown> = { users: [peer('10.10.0.0/16')], management: { ntp: [peer('10.30.0.1/32')] } };
        if (path !== '') base[path] = record;
        const synth = (props: Record<string, unknown>) => outcome(() => {
          const app = new App();
          const stack = new Stack(app, 'F');
          const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
          // The VPC joins the plain copy, so that it is read once like the rest.
          new aws.SeguraCluster(stack, 'Segura', Object.assign(props, { vpc }) as any);
          return JSON.stringify(synthTemplates(app));
        });
        const reads = new Map<string, number>();
        const twoFacedOutcome = synth(withTwoFaced(base, path, later, how as 'getters' | 'proxy', reads) as Record<string, unknown>);
        expect([...reads.values()].every(n => n === 1)).toBe(true);
        expect(twoFacedOutcome).toBe(synth({ ...base }));
      }), { numRuns: runs(15) });
  });

  test('Azure: the props, management, aptProxy, portOverrides and tags', () => {
    const peer = (c: string) => azure.Peer.ipv4(c);
    const paths = ['', 'management', 'aptProxy', 'portOverrides', 'tags'];
    fc.assert(fc.property(fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), recordArb(p, peer), laterArb(peer), fc.constantFrom('getters', 'proxy'))),
      ([path, record, later, how]) => {
        const base: Record<string, unknown> = { resourceGroupName: 'rg', location: 'brazilsouth', users: [peer('10.10.0.0/16')], management: { ntp: [peer('10.30.0.1/32')] } };
        if (path !== '') base[path] = record;
        const synth = (props: Record<string, unknown>) => outcome(() => {
          const stack = new TerraformStack(Testing.app(), 'F');
          new AzurermProvider(stack, 'azurerm', { features: [{}] });
          new azure.SeguraCluster(stack, 'Segura', props as any);
          return Testing.synth(stack, true);
        });
        const reads = new Map<string, number>();
        const twoFacedOutcome = synth(withTwoFaced(base, path, later, how as 'getters' | 'proxy', reads) as Record<string, unknown>);
        expect([...reads.values()].every(n => n === 1)).toBe(true);
        expect(twoFacedOutcome).toBe(synth({ ...base }));
      }), { numRuns: runs(15) });
  });

  test('the CLI config and the audit\'s: the config, management, aptProxy and portOverrides', () => {
    const paths = ['', 'management', 'aptProxy', 'portOverrides'];
    fc.assert(fc.property(fc.constantFrom(...paths).chain(p => fc.tuple(fc.constant(p), recordArb(p, c => c), laterArb(c => c), fc.constantFrom('getters', 'proxy'))),
      ([path, record, later, how]) => {
        const base: Record<string, unknown> = { primary: ['10.0.1.4/32'], members: ['10.0.1.5/32'], users: ['10.10.0.0/16'], management: { ntp: ['10.30.0.1/32'] } };
        if (path !== '') base[path] = record;
        const read = (config: unknown) => outcome(() => {
          const r = readConfig(config);
          return JSON.stringify({ flows: r.flows, configured: [...r.configured], warnings: r.warnings });
        });
        const reads = new Map<string, number>();
        const twoFacedOutcome = read(withTwoFaced(base, path, later, how as 'getters' | 'proxy', reads));
        expect([...reads.values()].every(n => n === 1)).toBe(true);
        expect(twoFacedOutcome).toBe(read({ ...base }));
      }), { numRuns: runs(60) });
  });
});
