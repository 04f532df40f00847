/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * Evaluates synthesized Terraform JSON the way Azure evaluates NSGs: for each NSG and
 * direction, rules in priority order, the first match decides, then Azure's six default
 * rules (test/support/azure-defaults.ts, from Microsoft's documentation). A connection is
 * allowed when the source's NSG allows it outbound and the destination's inbound.
 *
 * Exhaustive, not sampled: every boundary of every rule's ports and prefixes (the
 * defaults' tags too), of every flow's port and of every peer the test configured cuts
 * the port space and each address family into elementary intervals. Every rule and
 * every expectation treats all of an interval alike, so one probe per interval decides
 * for all of it: every address of both families, every port 0-65535. Nothing here reads
 * the library's code; tests give the peers as they wrote them.
 */
import { AZURE_DEFAULT_RULES_DOCUMENTED } from './azure-defaults';
import { Flow } from '../../lib/core';

export interface Entity {
  /** How connections name it: an instance's name, an address interval, `tag:NAME` or `asg:ID`. */
  readonly name: string;
  /** Its address (IPv4 or IPv6). */
  readonly ip: string;
  /** Terraform references (or IDs) of the ASGs its NIC is in. */
  readonly asgs: string[];
  /** Service tags the address belongs to (beyond VirtualNetwork, Internet and AzureLoadBalancer, which are addresses). */
  readonly tags: string[];
  /** Terraform reference of the NSG protecting it, if any. */
  readonly nsg?: string;
  /** The document roles it plays (for the expectation). */
  readonly roles: string[];
}

/** The virtual network's address space: an IPv4 and an IPv6 range (what the `VirtualNetwork` tag stands for here). */
export const VNET = '10.0.0.0/16';
export const VNET6 = 'fd00:10::/48';
/** The address behind the `AzureLoadBalancer` tag (Azure's health probes). */
export const AZURE_LB = '168.63.129.16';

type Family = 4 | 6;
type Interval = readonly [bigint, bigint];
const BITS = { 4: 32n, 6: 128n } as const;
const FAMILIES: readonly Family[] = [4, 6];
const full = (f: Family): Interval => [0n, (1n << BITS[f]) - 1n];

/** An address as a family and a number (IPv4 dotted, IPv6 with `::`); throws on anything else. */
export function parseIp(ip: string): { family: Family; value: bigint } {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const octets = ip.split('.').map(Number);
    if (octets.some(o => o > 255)) throw new Error(`not an address: ${ip}`);
    return { family: 4, value: octets.reduce((n, o) => (n << 8n) | BigInt(o), 0n) };
  }
  if (!/^[0-9a-fA-F:]+$/.test(ip) || (ip.match(/::/g) ?? []).length > 1) throw new Error(`not an address: ${ip}`);
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some(g => g.length === 0 || g.length > 4)) throw new Error(`not an address: ${ip}`);
  return { family: 6, value: groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** A CIDR (or a bare address) as its family and inclusive interval. */
export function cidrInterval(cidr: string): { family: Family; range: Interval } {
  const [addr, len] = cidr.split('/');
  const { family, value } = parseIp(addr);
  const size = 1n << (BITS[family] - BigInt(len ?? BITS[family]));
  const first = value - (value % size);
  return { family, range: [first, first + size - 1n] };
}

export function formatIp(value: bigint, family: Family): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map(s => String((value >> s) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map(s => ((value >> s) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes `::`.
  let best = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]) best = [i, j - i];
    i = j > i ? j : i + 1;
  }
  if (best[1] < 2) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}

/** An interval's name: its CIDR when it is one, else `first-last`. */
function intervalName([a, b]: Interval, family: Family): string {
  const size = b - a + 1n;
  if ((size & (size - 1n)) === 0n && a % size === 0n) {
    let len = BITS[family];
    for (let s = size; s > 1n; s >>= 1n) len--;
    return `${formatIp(a, family)}/${len}`;
  }
  return `${formatIp(a, family)}-${formatIp(b, family)}`;
}

/** The addresses of the tags Azure defines by address; other tags are properties of entities. */
function tagIntervals(tag: string): Record<Family, Interval[]> | undefined {
  const vnet = cidrInterval(VNET).range;
  const vnet6 = cidrInterval(VNET6).range;
  const lb = cidrInterval(AZURE_LB).range;
  switch (tag.toLowerCase()) {
    case '*': return { 4: [full(4)], 6: [full(6)] };
    case 'virtualnetwork': return { 4: [vnet], 6: [vnet6] };
    case 'azureloadbalancer': return { 4: [lb], 6: [] };
    // Everything outside the virtual network (and not Azure's probe address).
    case 'internet': return { 4: complement([vnet, lb], 4), 6: complement([vnet6], 6) };
    default: return undefined;
  }
}

function complement(list: Interval[], family: Family): Interval[] {
  const sorted = [...list].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const out: Interval[] = [];
  let next = 0n;
  for (const [a, b] of sorted) {
    if (a > next) out.push([next, a - 1n]);
    if (b + 1n > next) next = b + 1n;
  }
  if (next <= full(family)[1]) out.push([next, full(family)[1]]);
  return out;
}

/** What one side of a rule matches: ASGs, or addresses per family and service tags. */
interface Side {
  readonly asgs?: readonly string[];
  readonly addresses: Record<Family, Interval[]>;
  readonly tags: readonly string[];
}

function sideOf(prefixes: readonly string[] | undefined, asgs: readonly string[] | undefined, where: string): Side {
  if (asgs && prefixes?.length) throw new Error(`${where}: both ASGs and address prefixes`);
  if (asgs) return { asgs, addresses: { 4: [], 6: [] }, tags: [] };
  const addresses: Record<Family, Interval[]> = { 4: [], 6: [] };
  const tags: string[] = [];
  for (const p of prefixes ?? []) {
    const byTag = tagIntervals(p);
    if (byTag) {for (const f of FAMILIES) addresses[f].push(...byTag[f]);} else if (/^[A-Za-z]/.test(p)) {tags.push(p.toLowerCase());} else { const { family, range } = cidrInterval(p); addresses[family].push(range); }
  }
  if (addresses[4].length + addresses[6].length + tags.length === 0) throw new Error(`${where}: no address prefix`);
  return { asgs: undefined, addresses, tags };
}

interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly allow: boolean;
  readonly protocols: ReadonlySet<string>;
  readonly ports: ReadonlyArray<readonly [number, number]>;
  readonly source: Side;
  readonly destination: Side;
}

function portRanges(list: readonly string[], where: string): Array<[number, number]> {
  return list.map(r => {
    if (r === '*') return [0, 65535];
    const m = /^(\d+)(?:-(\d+))?$/.exec(String(r));
    if (!m) throw new Error(`${where}: port range ${r}`);
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (a > b || b > 65535) throw new Error(`${where}: port range ${r}`);
    return [a, b];
  });
}

/** A Terraform `azurerm_network_security_rule` as the evaluator reads it. */
function parseRule(r: any): Rule {
  const where = `rule ${r.name}`;
  const allow = r.access === 'Allow';
  if (!allow && r.access !== 'Deny') throw new Error(`${where}: access ${r.access}`);
  if (r.direction !== 'Inbound' && r.direction !== 'Outbound') throw new Error(`${where}: direction ${r.direction}`);
  const protocol = String(r.protocol).toLowerCase();
  // TCP and UDP are what the plan opens; an Allow on anything else opens more than the evaluator models.
  if (allow && protocol !== 'tcp' && protocol !== 'udp') throw new Error(`${where} allows protocol ${r.protocol}`);
  const sourcePorts: string[] = r.source_port_ranges ?? [r.source_port_range ?? '*'];
  if (sourcePorts.join() !== '*') throw new Error(`${where}: source ports ${sourcePorts.join()} are not modelled`);
  return {
    name: r.name,
    priority: r.priority,
    direction: r.direction,
    allow,
    protocols: new Set(protocol === '*' ? ['tcp', 'udp'] : [protocol]),
    ports: portRanges(r.destination_port_ranges ?? [r.destination_port_range], where),
    source: sideOf(r.source_address_prefixes ?? (r.source_address_prefix === undefined ? undefined : [r.source_address_prefix]), r.source_application_security_group_ids, `${where} source`),
    destination: sideOf(r.destination_address_prefixes ?? (r.destination_address_prefix === undefined ? undefined : [r.destination_address_prefix]),
      r.destination_application_security_group_ids, `${where} destination`),
  };
}

/** Azure's default rules (from Microsoft's documentation), in the evaluator's form. */
const DEFAULT_RULES: readonly Rule[] = AZURE_DEFAULT_RULES_DOCUMENTED.map(d => ({
  name: d.name,
  priority: d.priority,
  direction: d.direction,
  allow: d.access === 'Allow',
  protocols: new Set(['tcp', 'udp']),
  ports: portRanges([d.destinationPortRange], d.name),
  source: sideOf([d.sourceAddressPrefix], undefined, d.name),
  destination: sideOf([d.destinationAddressPrefix], undefined, d.name),
}));

const addressCache = new Map<string, { family: Family; value: bigint }>();
const addressOf = (e: Entity) => {
  let a = addressCache.get(e.ip);
  if (!a) { a = parseIp(e.ip); addressCache.set(e.ip, a); }
  return a;
};
const within = (v: bigint, list: readonly Interval[]) => list.some(([a, b]) => v >= a && v <= b);

function matches(side: Side, e: Entity): boolean {
  if (side.asgs) return side.asgs.some(a => e.asgs.includes(a));
  const { family, value } = addressOf(e);
  return within(value, side.addresses[family]) || e.tags.some(t => side.tags.includes(t.toLowerCase()));
}

/** Both entities have an address of one family (a connection never crosses families). */
export const sameFamily = (a: Entity, b: Entity) => addressOf(a).family === addressOf(b).family;

/** Whether an address is in the virtual network (the `VirtualNetwork` tag). */
export const inVnet = (ip: string) => {
  const { family, value } = parseIp(ip);
  return within(value, tagIntervals('VirtualNetwork')![family]);
};

/** A probe of the port space: an elementary interval, decided as a whole. */
export interface PortProbe {
  readonly lo: number;
  readonly hi: number;
  /** `443`, or `1435-3305` for an interval of several ports. */
  readonly label: string;
}

export class NsgModel {
  private readonly rules: any[];
  private readonly parsed = new Map<any, Rule>();
  private readonly sorted = new Map<string, Rule[]>();

  constructor(private readonly tf: any) {
    this.rules = Object.values(tf.resource?.azurerm_network_security_rule ?? {});
    for (const nsg of Object.values<any>(tf.resource?.azurerm_network_security_group ?? {})) {
      if (nsg.security_rule) throw new Error('inline security_rule blocks are not modelled');
    }
    for (const r of this.rules) this.parsed.set(r, parseRule(r));
  }

  /** `${azurerm_X.KEY.id}` of the resource of `type` whose name is `name`. */
  public ref(type: string, name: string, attr = 'id'): string {
    const entry = Object.entries<any>(this.tf.resource?.[type] ?? {}).find(([, r]) => r.name === name);
    if (!entry) throw new Error(`no ${type} named ${name}`);
    return `\${${type}.${entry[0]}.${attr}}`;
  }

  public rulesOf(nsgNameRef: string): any[] {
    return this.rules.filter(r => r.network_security_group_name === nsgNameRef);
  }

  /** An NSG's rules of one direction and then Azure's defaults, in priority order (two at one priority: Azure refuses the NSG). */
  private ordered(nsgNameRef: string, direction: string): Rule[] {
    const key = `${nsgNameRef}|${direction}`;
    let rules = this.sorted.get(key);
    if (!rules) {
      rules = [...this.rulesOf(nsgNameRef).map(r => this.parsed.get(r)!), ...DEFAULT_RULES].filter(r => r.direction === direction)
        .sort((a, b) => a.priority - b.priority);
      rules.forEach((r, i) => { if (i > 0 && rules![i - 1].priority === r.priority) throw new Error(`${nsgNameRef}: ${r.name} and ${rules![i - 1].name} at ${r.priority}`); });
      this.sorted.set(key, rules);
    }
    return rules;
  }

  /** Every rule of the model and Azure's defaults. */
  public allRules(): readonly Rule[] {
    return [...this.parsed.values(), ...DEFAULT_RULES];
  }

  /** Azure's decision of one NSG in one direction, for each port probe: the first matching rule by priority. */
  public evaluatePorts(nsgNameRef: string, direction: 'Inbound' | 'Outbound', src: Entity, dst: Entity, protocol: 'tcp' | 'udp',
    ports: readonly PortProbe[]): boolean[] {
    const candidates = this.ordered(nsgNameRef, direction)
      .filter(r => r.protocols.has(protocol) && matches(r.source, src) && matches(r.destination, dst));
    // A probe is an elementary interval: a rule's ranges hold all of it or none of it.
    return ports.map(p => candidates.find(r => r.ports.some(([a, b]) => p.lo >= a && p.lo <= b))?.allow ?? false);
  }

  /** A connection needs the source's NSG to allow it outbound and the destination's inbound. */
  public allowedPorts(src: Entity, dst: Entity, protocol: 'tcp' | 'udp', ports: readonly PortProbe[]): boolean[] {
    const out = src.nsg ? this.evaluatePorts(src.nsg, 'Outbound', src, dst, protocol, ports) : ports.map(() => true);
    const inb = dst.nsg ? this.evaluatePorts(dst.nsg, 'Inbound', src, dst, protocol, ports) : ports.map(() => true);
    return ports.map((_, i) => out[i] && inb[i]);
  }
}

/** The port space cut at every rule's range ends and every flow's port: one probe per elementary interval. */
export function portProbes(model: NsgModel, flows: readonly Flow[]): PortProbe[] {
  const cuts = new Set<number>([0, 65536]);
  for (const r of model.allRules()) for (const [a, b] of r.ports) { cuts.add(a); cuts.add(b + 1); }
  for (const f of flows) {
    if (typeof f.port !== 'number' || !Number.isInteger(f.port)) throw new Error(`flow ${f.id}: port ${f.port} is not a number`);
    cuts.add(f.port);
    cuts.add(f.port + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((lo, i) => {
    const hi = sorted[i + 1] - 1;
    return { lo, hi, label: lo === hi ? `${lo}` : `${lo}-${hi}` };
  });
}

/**
 * A role's peers as the test configured them: CIDRs (or addresses), `tag:NAME` for a
 * service tag, `asg:ID` for an application security group.
 */
export type AzurePeers = ReadonlyMap<string, readonly string[]>;

/** The roles an address plays, by the test's peers (a CIDR or an address tag holding it). */
function rolesAt(ip: string, peers: AzurePeers): string[] {
  const { family, value } = parseIp(ip);
  const roles: string[] = [];
  for (const [role, list] of peers) {
    const holds = list.some(p => {
      if (p.startsWith('asg:')) return false;
      if (p.startsWith('tag:')) return within(value, tagIntervals(p.slice(4))?.[family] ?? []);
      const c = cidrInterval(p);
      return c.family === family && within(value, [c.range]);
    });
    if (holds) roles.push(role);
  }
  return roles;
}

/**
 * Every party of the evaluation: the test's instances (nodes and gateways, each with an
 * IPv6 twin `NAME/6` in VNET6: a dual-stack NIC in the same ASGs), one probe per
 * elementary address interval of each family (named by its CIDR, or `first-last`), and
 * one entity per service-tag or ASG peer. Each plays every role whose peers hold its address.
 */
export function probeEntities(model: NsgModel, instances: readonly Entity[], peers: AzurePeers): Entity[] {
  const twins = instances.flatMap(e => {
    const { family, value } = addressOf(e);
    if (family !== 4) return [e];
    const v6 = cidrInterval(VNET6).range[0] + value;
    return [e, { ...e, name: `${e.name}/6`, ip: formatIp(v6, 6) }];
  });
  const taken = new Set(twins.map(e => { const a = addressOf(e); return `${a.family}|${a.value}`; }));
  const cuts: Record<Family, Set<bigint>> = { 4: new Set([0n, 1n << 32n]), 6: new Set([0n, 1n << 128n]) };
  const cut = (f: Family, [a, b]: Interval) => { cuts[f].add(a); cuts[f].add(b + 1n); };
  for (const r of model.allRules()) for (const side of [r.source, r.destination]) for (const f of FAMILIES) side.addresses[f].forEach(i => cut(f, i));
  for (const list of peers.values()) {
    for (const p of list) {
      if (p.startsWith('asg:')) continue;
      if (p.startsWith('tag:')) { const t = tagIntervals(p.slice(4)); if (t) for (const f of FAMILIES) t[f].forEach(i => cut(f, i)); continue; }
      const c = cidrInterval(p);
      cut(c.family, c.range);
    }
  }
  for (const e of twins) { const a = addressOf(e); cut(a.family, [a.value, a.value]); }
  const probes: Entity[] = [];
  for (const f of FAMILIES) {
    const sorted = [...cuts[f]].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const range: Interval = [sorted[i], sorted[i + 1] - 1n];
      if (range[0] === range[1] && taken.has(`${f}|${range[0]}`)) continue; // an instance's own address
      probes.push({ name: intervalName(range, f), ip: formatIp(range[0], f), asgs: [], tags: [], roles: [] });
    }
  }
  // Service-tag and ASG peers: an entity each, outside the address probes' reach of meaning (its address is only a placeholder).
  const named = new Map<string, Entity>();
  let n = 0;
  for (const [role, list] of peers) {
    for (const p of list) {
      const byAddress = p.startsWith('tag:') && tagIntervals(p.slice(4));
      if (!p.startsWith('asg:') && !(p.startsWith('tag:') && !byAddress)) continue;
      if (!named.has(p)) {
        n++;
        named.set(p, { name: p, ip: `100.64.${n}.1`, asgs: p.startsWith('asg:') ? [p.slice(4)] : [], tags: p.startsWith('tag:') ? [p.slice(4)] : [], roles: [] });
      }
      named.get(p)!.roles.push(role);
    }
  }
  const all = [...twins, ...probes, ...named.values()];
  return all.map(e => ({ ...e, roles: [...new Set([...e.roles, ...rolesAt(e.ip, peers)])] }));
}

/** Connections (`src>dst proto/ports`) the plan asks for, among `entities`. */
export function expectedConnections(flows: readonly Flow[], entities: readonly Entity[], ports: readonly PortProbe[]): Set<string> {
  const out = new Set<string>();
  for (const f of flows) {
    const probe = ports.find(p => p.lo === f.port && p.hi === f.port);
    if (!probe) throw new Error(`no probe for port ${f.port}`);
    for (const s of entities.filter(e => e.roles.includes(f.source))) {
      for (const d of entities.filter(e => e.roles.includes(f.destination))) {
        if (s !== d && sameFamily(s, d)) out.add(`${s.name}>${d.name} ${f.protocol}/${probe.label}`);
      }
    }
  }
  return out;
}

/** Connections the NSGs allow, among pairs where at least one end is protected. */
export function allowedConnections(model: NsgModel, entities: readonly Entity[], ports: readonly PortProbe[]): Set<string> {
  const out = new Set<string>();
  for (const s of entities) {
    for (const d of entities) {
      if (s === d || (!s.nsg && !d.nsg) || !sameFamily(s, d)) continue;
      for (const protocol of ['tcp', 'udp'] as const) {
        model.allowedPorts(s, d, protocol, ports).forEach((ok, i) => { if (ok) out.add(`${s.name}>${d.name} ${protocol}/${ports[i].label}`); });
      }
    }
  }
  return out;
}

export interface AzureEvaluation {
  /** What the plan asks for, and what the NSGs allow, as `src>dst proto/ports`. */
  readonly expected: Set<string>;
  readonly actual: Set<string>;
  /** Allowed beyond the plan; asked for by the plan and not allowed. */
  readonly extra: string[];
  readonly missing: string[];
  readonly entities: Entity[];
  readonly ports: PortProbe[];
}

/** Evaluate a model exhaustively against the flows a test expects, for its instances and its peers. */
export function evaluateNsgs(model: NsgModel, instances: readonly Entity[], peers: AzurePeers, flows: readonly Flow[]): AzureEvaluation {
  const entities = probeEntities(model, instances, peers);
  const ports = portProbes(model, flows);
  const expected = expectedConnections(flows, entities, ports);
  const actual = allowedConnections(model, entities, ports);
  return {
    expected,
    actual,
    extra: [...actual].filter(x => !expected.has(x)).sort(),
    missing: [...expected].filter(x => !actual.has(x)).sort(),
    entities,
    ports,
  };
}

/** The name of the address probe that holds `ip` (the elementary interval it falls in). */
export function probeAt(evaluation: AzureEvaluation, ip: string): string {
  const { family, value } = parseIp(ip);
  const probe = evaluation.entities.find(e => {
    if (e.nsg || e.asgs.length > 0 || e.tags.length > 0 || /^[a-z]+:/.test(e.name)) return false;
    const [a, b] = e.name.includes('/') ? [e.name, undefined] : e.name.split('-');
    const first = cidrInterval(a);
    if (first.family !== family) return false;
    const last = b === undefined ? first.range[1] : parseIp(b).value;
    return value >= first.range[0] && value <= last;
  });
  if (!probe) throw new Error(`no probe holds ${ip}`);
  return probe.name;
}

/** The label of the port probe that holds `port`. */
export function portAt(evaluation: AzureEvaluation, port: number): string {
  return evaluation.ports.find(p => port >= p.lo && port <= p.hi)!.label;
}
