/**
 * The role table is the one source of every fact about a role; the data is frozen;
 * the cluster topology is one plain object for both clouds.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { FirewallMatrix, FirewallPlan, Role } from '../lib/core';
import { CONSTRUCT_PEER_ROLES, keysUnder, knownKeys } from '../lib/core/config';
import { CONFIG_KEYS, configKeys, readConfig } from '../lib/core/config-file';
import { SECTION_TITLES } from '../lib/core/matrix';
import { peerRoleOf } from '../lib/core/plan';
import { ALL_ROLES, CONTAINERS, GATEWAY_ROLES, NODE_ROLES, RoleGroup, RoleKind, ROLES } from '../lib/core/roles';
import { ClusterTopology } from '../lib/core/topology';
import { SeguraValidationError } from '../lib/errors';
import { clusterKeys, configFileKeys, CONSTRUCT_ROLES, keysAt } from './support/keys';

// Synthesizes apps on both clouds.
jest.setTimeout(60_000);

describe('the role table', () => {
  test('every role has every fact (a role without them fails here, and does not compile)', () => {
    expect(ALL_ROLES).toEqual(Object.values(Role));
    for (const role of Object.values(Role)) {
      const facts = ROLES[role];
      expect(facts).toBeDefined();
      expect(Object.values(RoleKind)).toContain(facts.kind);
      expect(Object.values(RoleGroup)).toContain(facts.group);
      expect(facts.property).toMatch(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)?$/);
      expect(facts.short).toMatch(/^[A-Z][A-Z0-9]*$/);
      expect(facts.title.length).toBeGreaterThan(5);
      if (facts.kind !== RoleKind.GATEWAY) expect(facts.peerListInConstructs).toBe(facts.kind === RoleKind.ADDRESSES);
      if (facts.kind === RoleKind.GATEWAY) expect(facts.gateway).toEqual({ construct: expect.any(String), name: expect.any(String), slug: expect.stringMatching(/^[a-z]+$/) });
      else expect(facts.gateway).toBeUndefined();
    }
  });

  test('names are unique: one property, one short name per role', () => {
    const all = ALL_ROLES.map(r => ROLES[r]);
    expect(new Set(all.map(f => f.property)).size).toBe(all.length);
    expect(new Set(all.map(f => f.short)).size).toBe(all.length);
  });

  test('the kinds: PRD and MBR are the nodes, DOMUM and ARB gateways, the rest peers', () => {
    expect(NODE_ROLES).toEqual([Role.PRD, Role.MBR]);
    expect(GATEWAY_ROLES).toEqual([Role.DOMUM, Role.ARB]);
    // An Arbitrator outside the cloud is given as peers; a Domum Gateway always as a construct.
    expect(CONSTRUCT_PEER_ROLES).toContain(Role.ARB);
    expect(CONSTRUCT_PEER_ROLES).not.toContain(Role.DOMUM);
  });

  test('every row\'s roles are in the table, and every non-node role has rows', () => {
    for (const row of FirewallMatrix.ALL_ROWS) {
      expect(ROLES[row.source]).toBeDefined();
      expect(ROLES[row.destination]).toBeDefined();
    }
    for (const role of ALL_ROLES.filter(r => !NODE_ROLES.includes(r))) {
      expect(FirewallMatrix.ALL_ROWS.some(r => peerRoleOf(r) === role)).toBe(true);
    }
  });

  test('the released roles keep their properties: a contract users\' props and configs name (new roles only add)', () => {
    const released: Array<[string, Role]> = [
      ['primary', Role.PRD], ['members', Role.MBR], ['domum', Role.DOMUM],
      ['users', Role.USERW], ['loadBalancers', Role.LOAD_BALANCER], ['devices', Role.DVC], ['arbitrator', Role.ARB],
      ['management.ntp', Role.NTP_SERVER], ['management.dns', Role.DNS_SERVER], ['management.mail', Role.MAIL_SERVER],
      ['management.ldap', Role.LDAP_SERVER], ['management.radius', Role.RADIUS_SERVER], ['management.tacacs', Role.TACACS_SERVER],
      ['management.syslog', Role.LOG_SERVER], ['management.backup', Role.BACKUP_SERVER],
      ['packageMirrors', Role.PACKAGE_MIRROR], ['aptProxy.peers', Role.APT_PROXY],
    ];
    for (const [property, role] of released) expect({ role, property: ROLES[role].property }).toEqual({ role, property });
    expect(ROLES[Role.APT_PROXY].port?.property).toBe('aptProxy.port');
  });

  test('the known keys derive from the table: constructs, CLI config and containers', () => {
    // test/support/keys.ts computes them from the role table and the options schema on its own.
    expect(CONSTRUCT_PEER_ROLES).toEqual(CONSTRUCT_ROLES);
    expect(knownKeys(CONSTRUCT_PEER_ROLES, ['vpc'])).toEqual(clusterKeys(['vpc']));
    for (const container of Object.keys(CONTAINERS)) expect(keysUnder(container, CONSTRUCT_PEER_ROLES)).toEqual(keysAt(container, CONSTRUCT_ROLES));
    expect(CONFIG_KEYS).toEqual(configFileKeys('cli'));
    expect(configKeys('audit')).toEqual(configFileKeys('audit'));
    // The role properties are where the configurations hold them: the top level, or one container deep.
    for (const role of ALL_ROLES) {
      const [first, ...rest] = ROLES[role].property.split('.');
      expect(rest.length === 0 || (rest.length === 1 && first in CONTAINERS)).toBe(true);
    }
  });
});

describe('every role property of the table reaches the plan, on both clouds and in the CLI', () => {
  const peerRoles = ALL_ROLES.filter(r => ROLES[r].peerListInConstructs);
  /** Props holding one peer at the role's property (its container filled in). */
  const propsFor = (role: Role, peer: unknown): Record<string, unknown> => {
    const keys = ROLES[role].property.split('.');
    const out: Record<string, any> = {};
    let at = out;
    for (const key of keys.slice(0, -1)) at = at[key] = {};
    at[keys[keys.length - 1]] = [peer];
    return out;
  };
  const rolesIn = (flows: Array<{ source: string; destination: string }>) => new Set(flows.flatMap(f => [f.source, f.destination]));

  test.each(peerRoles)('%s', (role) => {
    const stack = new Stack(new App(), 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
    const onAws = new aws.SeguraCluster(stack, 'Segura', { vpc, ruleQuota: 200, ...propsFor(role, ec2.Peer.ipv4('10.9.0.0/16')) });
    const onAzure = new azure.SeguraCluster(new TerraformStack(Testing.app(), 's'), 'Segura',
      { resourceGroupName: 'rg', location: 'brazilsouth', ...propsFor(role, azure.Peer.ipv4('10.9.0.0/16')) });
    const inCli = readConfig(propsFor(role, '10.9.0.0/16'));
    for (const flows of [onAws.flows, onAzure.flows, inCli.flows]) expect(rolesIn(flows).has(role)).toBe(true);
  });
});

describe('every error about a role names the user\'s property, on both clouds and in the CLI', () => {
  // For each peer role: an override of one of its rows while the role is not configured.
  const cases = ALL_ROLES.filter(r => ROLES[r].kind === RoleKind.ADDRESSES)
    .map(role => [role, ROLES[role].property, FirewallMatrix.ALL_ROWS.find(r => peerRoleOf(r) === role)!.id] as const);

  test.each(cases)('%s (%s)', (_role, property, rowId) => {
    const message = `portOverrides["${rowId}"]: "${rowId}" does not apply (${property} is not configured), so the override would be silently ignored`;
    const errorOf = (run: () => void) => { try { run(); } catch (e) { return e; } return undefined; };
    const awsError = errorOf(() => {
      const stack = new Stack(new App(), 'S');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
      new aws.SeguraCluster(stack, 'Segura', { vpc, portOverrides: { [rowId]: 1000 } });
    });
    const azureError = errorOf(() => new azure.SeguraCluster(new TerraformStack(Testing.app(), 's'), 'Segura',
      { resourceGroupName: 'rg', location: 'brazilsouth', portOverrides: { [rowId]: 1000 } }));
    const cliError = errorOf(() => readConfig({ portOverrides: { [rowId]: 1000 } }));
    for (const e of [awsError, azureError, cliError]) {
      expect(e).toBeInstanceOf(SeguraValidationError);
      expect((e as Error).message).toBe(message);
    }
  });
});

describe('the data is frozen: no caller changes what a later plan sees', () => {
  const before = FirewallPlan.flows({ peerRoles: [Role.DVC] }).length;

  test.each([
    ['ALL_ROWS', () => FirewallMatrix.ALL_ROWS],
    ['TABLE_ROWS', () => FirewallMatrix.TABLE_ROWS],
    ['NOTE_ROWS', () => FirewallMatrix.NOTE_ROWS],
  ])('%s cannot be emptied, extended or edited', (_name, list) => {
    const rows = list();
    const length = rows.length;
    expect(() => { rows.length = 0; }).toThrow(TypeError);
    expect(() => rows.push({ ...rows[0], id: 'X' })).toThrow(TypeError);
    expect(() => rows.splice(0, 1)).toThrow(TypeError);
    expect(() => { (rows[0] as any).port = 1; }).toThrow(TypeError);
    expect(list().length).toBe(length);
    expect(FirewallPlan.flows({ peerRoles: [Role.DVC] })).toHaveLength(before);
  });

  test('the role table and the section titles too', () => {
    expect(() => { (ROLES as any)[Role.USERW] = {}; }).toThrow(TypeError);
    expect(() => { (ROLES[Role.USERW] as any).property = 'people'; }).toThrow(TypeError);
    expect(() => { (SECTION_TITLES as any).MANAGEMENT = 'x'; }).toThrow(TypeError);
    expect(ROLES[Role.USERW].property).toBe('users');
  });
});

describe('the cluster topology: one plain object for both clouds', () => {
  const topology = (props: unknown) => new ClusterTopology<string>({
    cluster: new Construct(undefined as any, 'Cluster'), props, backendKeys: ['where'], validatePeer: () => {}, isUnresolved: () => false, worldOpen: () => undefined, cidrOf: () => undefined,
  });

  test('own flows and each gateway\'s share partition the plan; attached gateways join the open flows', () => {
    const t = topology({ users: ['u'], devices: ['d'] });
    const all = FirewallPlan.flows({ peerRoles: [Role.USERW, Role.DVC, Role.DOMUM] });
    expect([...t.ownFlows, ...t.gatewayFlows(Role.DOMUM)].map(f => f.id).sort()).toEqual(all.map(f => f.id).sort());
    expect(t.gatewayFlows(Role.DOMUM).every(f => f.source === Role.DOMUM || f.destination === Role.DOMUM)).toBe(true);
    expect(t.flows).toEqual(t.ownFlows);
    t.attach(Role.DOMUM, new Construct(undefined as any, 'Domum'));
    expect(t.flows.map(f => f.id).sort()).toEqual(all.map(f => f.id).sort());
    expect(() => t.attach(Role.DOMUM, new Construct(undefined as any, 'Domum2')))
      .toThrow('cluster: the SeguraCluster Cluster already has the Domum Gateway Domum; a cluster takes one Domum Gateway (Domum2 is a second)');
  });

  test('options on the rows of a gateway that never attaches are reported', () => {
    expect(topology({ disabledRules: ['DOM-P2D-WSS'] }).validate())
      .toEqual(['DOM-P2D-WSS is in portOverrides or disabledRules, but no DomumGateway is attached to Cluster, so it would be silently ignored']);
  });

  test('unknown keys name the cloud\'s own keys and the shared ones', () => {
    expect(() => topology({ wher: 1 })).toThrow(`wher: unknown property. Did you mean "where"? Known: ${clusterKeys(['where']).join(', ')}`);
  });
});
