/**
 * Random AWS estates for the overflow tests: 1 to 40 device prefixes, random
 * integrations, an Arbitrator or not, prefix lists of 1 to 60 entries, in a random
 * order of the user's lists; and, written here from AWS's documented counting (not
 * from the library), how many rules each node needs per direction and family, and
 * whether first-fit decreasing packs them.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { ClusterTraffic, FirewallPlan, Flow, Role } from '../../lib/core';

/** A peer of the estate: a CIDR, or a prefix list of `maxEntries` max entries (named by `id`). */
export type EstatePeer = { readonly cidr: string } | { readonly list: string; readonly maxEntries: number };

/** The properties an estate sets, as paths (`management.ntp`) with their roles. */
export const PROPERTIES: ReadonlyArray<readonly [string, Role]> = [
  ['users', Role.USERW], ['devices', Role.DVC], ['management.ntp', Role.NTP_SERVER], ['management.dns', Role.DNS_SERVER],
  ['management.mail', Role.MAIL_SERVER], ['management.ldap', Role.LDAP_SERVER], ['management.radius', Role.RADIUS_SERVER],
  ['management.tacacs', Role.TACACS_SERVER], ['management.syslog', Role.LOG_SERVER], ['management.backup', Role.BACKUP_SERVER],
  ['packageMirrors', Role.PACKAGE_MIRROR], ['arbitrator', Role.ARB],
];

export interface Estate {
  /** Each property's peers, in the user's order. */
  readonly peers: ReadonlyMap<string, readonly EstatePeer[]>;
  /** The Arbitrator as a SeguraArbitrator (else as peers, or none). */
  readonly arbitratorGateway: boolean;
  readonly clusterTraffic: ClusterTraffic;
  readonly ruleQuota: number;
  readonly maxSecurityGroups: number;
}

/**
 * The k-th address of a property: never adjacent to, inside or around another (no
 * aggregation), never shared by two properties.
 */
export function addressOf(property: string, k: number): string {
  const p = PROPERTIES.findIndex(([name]) => name === property);
  if (property === 'devices') return `10.${100 + Math.floor(k / 64)}.${(k % 64) * 4}.0/24`;
  if (property === 'users') return `172.${16 + Math.floor(k / 64)}.${(k % 64) * 4}.0/24`;
  return `192.168.${p}.${2 * k + 1}/32`;
}

const ADDRESSES = Array.from({ length: 121 }, (_, k) => k);

/** `min` to `max` peers of a property, in a random order of the user's list. */
const peerList = (property: string, min: number, max: number) => fc.integer({ min, max })
  .chain(n => fc.shuffledSubarray(ADDRESSES, { minLength: n, maxLength: n }))
  .map(picks => picks.map((k): EstatePeer => ({ cidr: addressOf(property, k) })));

/**
 * Random estates: `devices` device prefixes (1 to 40 by default), random
 * integrations with 1 or 2 peers, half of the estates with a prefix list of 1 to 60
 * entries somewhere in a property's list, an Arbitrator (as peers or as a construct)
 * or not, AWS's default quotas most of the time.
 */
export function estateArb(devices: [number, number] = [1, 40]): fc.Arbitrary<Estate> {
  const listed = PROPERTIES.filter(([p]) => p !== 'arbitrator').map(([p]) => p);
  return fc.record({
    devices: peerList('devices', ...devices),
    others: fc.record(Object.fromEntries(PROPERTIES.filter(([p]) => p !== 'devices' && p !== 'arbitrator')
      .map(([p]) => [p, fc.option(peerList(p, 1, 2), { nil: undefined })]))) as fc.Arbitrary<Record<string, EstatePeer[] | undefined>>,
    list: fc.option(fc.record({ property: fc.constantFrom(...listed), maxEntries: fc.integer({ min: 1, max: 60 }), at: fc.nat() }),
      { nil: undefined, freq: 2 }),
    arbitrator: fc.constantFrom('none', 'peers', 'gateway'),
    arbitratorPeers: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 2 }),
    clusterTraffic: fc.constantFrom(ClusterTraffic.ALL_INSTANCES, ClusterTraffic.ALL_INSTANCES, ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY),
    ruleQuota: fc.constantFrom(60, 60, 60, 30, 100),
    maxSecurityGroups: fc.constantFrom(4, 4, 4, 2, 5),
  }).map(r => {
    const peers = new Map<string, EstatePeer[]>([['devices', r.devices]]);
    for (const [p, list] of Object.entries(r.others)) if (list) peers.set(p, list);
    if (r.list) {
      const list = [...(peers.get(r.list.property) ?? [])];
      list.splice(r.list.at % (list.length + 1), 0, { list: `${r.list.property.replace('.', '-')}-list`, maxEntries: r.list.maxEntries });
      peers.set(r.list.property, list);
    }
    if (r.arbitrator === 'peers') peers.set('arbitrator', r.arbitratorPeers.map(k => ({ cidr: addressOf('arbitrator', k) })));
    return { peers, arbitratorGateway: r.arbitrator === 'gateway', clusterTraffic: r.clusterTraffic, ruleQuota: r.ruleQuota, maxSecurityGroups: r.maxSecurityGroups };
  });
}

/** `estate` with `n` new peers appended to `property`'s list (new addresses, none adjacent to a listed one). */
export function appended(estate: Estate, property: string, n: number, seed: number): Estate {
  const list = estate.peers.get(property) ?? [];
  const used = new Set(list.map(p => ('cidr' in p ? p.cidr : p.list)));
  const fresh: EstatePeer[] = [];
  for (let k = seed % 121; fresh.length < n; k++) {
    const cidr = addressOf(property, k % 121);
    if (!used.has(cidr)) fresh.push({ cidr });
  }
  return { ...estate, peers: new Map([...estate.peers, [property, [...list, ...fresh]]]) };
}

/** The roles the plan gets: the configured ones, and the gateways the cluster keeps room for (a Domum Gateway always; an Arbitrator unless given as peers). */
export function planRoles(estate: Estate): Role[] {
  const roles = PROPERTIES.filter(([p]) => estate.peers.has(p)).map(([, role]) => role);
  return [...roles, Role.DOMUM, ...(estate.peers.has('arbitrator') ? [] : [Role.ARB])];
}

const flowsOf = new WeakMap<Estate, Flow[]>();

export function estateFlows(estate: Estate): Flow[] {
  if (!flowsOf.has(estate)) flowsOf.set(estate, FirewallPlan.flows({ peerRoles: planRoles(estate), clusterTraffic: estate.clusterTraffic }));
  return flowsOf.get(estate)!;
}

/** Prefix lists made in a scope, by name and max entries (a construct is made once). */
const lists = new WeakMap<Stack, Map<string, ec2.IPeer>>();

/** The construct props of an estate (prefix lists are constructs: made in `stack`, once per name and size). */
export function estateProps(estate: Estate, stack: Stack): Record<string, any> {
  if (!lists.has(stack)) lists.set(stack, new Map());
  const made = lists.get(stack)!;
  const peerOf = (p: EstatePeer): ec2.IPeer => {
    if ('cidr' in p) return ec2.Peer.ipv4(p.cidr);
    const id = `${p.list}-${p.maxEntries}`;
    if (!made.has(id)) made.set(id, new ec2.PrefixList(stack, id, { maxEntries: p.maxEntries, entries: [{ cidr: `100.64.${made.size % 256}.0/24` }] }));
    return made.get(id)! as unknown as ec2.IPeer;
  };
  const props: Record<string, any> = {
    management: {}, clusterTraffic: estate.clusterTraffic, ruleQuota: estate.ruleQuota, maxSecurityGroups: estate.maxSecurityGroups,
  };
  for (const [property, list] of estate.peers) {
    const [a, b] = property.split('.');
    if (b) props.management[b] = list.map(peerOf); else props[a] = list.map(peerOf);
  }
  return props;
}

/** One rule as AWS counts it: its weight (a prefix list: its max entries) and the families it counts in. */
export interface CountedRule { readonly weight: number; readonly families: ReadonlyArray<'ipv4' | 'ipv6'> }

/**
 * A node's rules per direction, from the plan: one rule per peer, protocol and run of
 * consecutive ports (EC2 rules take one port range); a reference to a group counts 1
 * in both families, a prefix list its max entries in both.
 */
export function nodeRules(estate: Estate, holder: Role.PRD | Role.MBR): Record<'ingress' | 'egress', CountedRule[]> {
  const ports = new Map<string, Set<number>>();
  const weightOf = new Map<string, CountedRule>();
  const roleProperty = new Map(PROPERTIES.map(([p, r]) => [r, p] as const));
  const peersOf = (role: Role): string[] => {
    if ([Role.PRD, Role.MBR, Role.DOMUM].includes(role) || (role === Role.ARB && !estate.peers.has('arbitrator'))) {
      weightOf.set(`sg:${role}`, { weight: 1, families: ['ipv4', 'ipv6'] });
      return [`sg:${role}`];
    }
    return (estate.peers.get(roleProperty.get(role)!) ?? []).map(p => {
      const key = 'cidr' in p ? p.cidr : `pl:${p.list}`;
      weightOf.set(key, 'cidr' in p ? { weight: 1, families: ['ipv4'] } : { weight: p.maxEntries, families: ['ipv4', 'ipv6'] });
      return key;
    });
  };
  for (const f of estateFlows(estate)) {
    const sides: Array<['ingress' | 'egress', Role]> = [];
    if (f.source === holder) sides.push(['egress', f.destination]);
    if (f.destination === holder) sides.push(['ingress', f.source]);
    for (const [direction, other] of sides) {
      for (const peer of peersOf(other)) {
        const key = `${direction}|${peer}|${f.protocol}`;
        if (!ports.has(key)) ports.set(key, new Set());
        ports.get(key)!.add(f.port);
      }
    }
  }
  const out = { ingress: [] as CountedRule[], egress: [] as CountedRule[] };
  for (const [key, set] of ports) {
    const [direction, peer] = key.split('|') as ['ingress' | 'egress', string];
    const sorted = [...set].sort((a, b) => a - b);
    const runs = sorted.filter((p, i) => i === 0 || sorted[i - 1] !== p - 1).length;
    for (let i = 0; i < runs; i++) out[direction].push(weightOf.get(peer)!);
  }
  return out;
}

/** The weighted count per family of some rules. */
export function countOf(rules: readonly CountedRule[]): Record<'ipv4' | 'ipv6', number> {
  const n = { ipv4: 0, ipv6: 0 };
  for (const r of rules) for (const f of r.families) n[f] += r.weight;
  return n;
}

/**
 * First-fit decreasing, from its textbook definition: the rules by weight, largest
 * first (a rule counting in both families before one counting in one), each into the
 * first of `groups` groups with room for it in every family it counts in.
 */
export function firstFitDecreasing(rules: readonly CountedRule[], quota: number, groups: number): boolean {
  const used = Array.from({ length: groups }, () => ({ ipv4: 0, ipv6: 0 }));
  return [...rules].sort((a, b) => b.weight - a.weight || b.families.length - a.families.length).every(r => {
    const g = used.find(x => r.families.every(f => x[f] + r.weight <= quota));
    if (g) for (const f of r.families) g[f] += r.weight;
    return g !== undefined;
  });
}

/** What the tests expect of an estate's nodes: fits by count, and (with prefix lists) packs first-fit decreasing. */
export function expectation(estate: Estate): { countFits: boolean; weighted: boolean; packs: boolean } {
  let countFits = true; let weighted = false; let packs = true;
  for (const holder of [Role.PRD, Role.MBR] as const) {
    const rules = nodeRules(estate, holder);
    for (const list of [rules.ingress, rules.egress]) {
      const n = countOf(list);
      if (n.ipv4 > estate.ruleQuota * estate.maxSecurityGroups || n.ipv6 > estate.ruleQuota * estate.maxSecurityGroups) countFits = false;
      if (list.some(r => r.weight > 1)) weighted = true;
      if (!firstFitDecreasing(list, estate.ruleQuota, estate.maxSecurityGroups)) packs = false;
    }
  }
  return { countFits, weighted, packs: countFits && packs };
}
