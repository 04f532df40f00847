/**
 * Evaluates synthesized Terraform JSON the way Azure evaluates NSGs: for each NSG
 * and direction, rules in priority order, first match wins, then Azure's default
 * rules (AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound;
 * AllowVnetOutBound, AllowInternetOutBound, DenyAllOutBound). A connection is
 * allowed when the source's NSG allows it outbound and the destination's inbound.
 */
import { Flow, FirewallMatrix } from '../../lib/core';

export interface Entity {
  readonly name: string;
  /** One address of the entity. */
  readonly ip: string;
  /** Terraform references of the ASGs its NIC is in. */
  readonly asgs: string[];
  /** Service tags the address belongs to (beyond VirtualNetwork / Internet, which are computed). */
  readonly tags: string[];
  /** Terraform reference of the NSG protecting it, if any. */
  readonly nsg?: string;
  /** The document roles it plays (for the expectation). */
  readonly roles: string[];
}

/** The virtual network's address space: an IPv4 and an IPv6 range. */
export const VNET = '10.0.0.0/16';
export const VNET6 = 'fd00:10::/48';
export const AZURE_LB = '168.63.129.16';

const familyOf = (ip: string) => (ip.includes(':') ? 6 : 4);

/** An address as a number (IPv4 or IPv6, `::` expanded). */
function ipToBig(ip: string): bigint {
  if (!ip.includes(':')) return ip.split('.').reduce((n, o) => n * 256n + BigInt(Number(o)), 0n);
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => n * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** Whether `ip` lies in `cidr` (an address without a length is a /32 or /128); never across families. */
export function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  if (familyOf(net) !== familyOf(ip)) return false;
  const width = familyOf(ip) === 6 ? 128n : 32n;
  const block = 2n ** (width - BigInt(bits ?? width));
  return ipToBig(ip) / block === ipToBig(net) / block;
}

/** Whether an address is in the virtual network (the `VirtualNetwork` tag). */
export const inVnet = (ip: string) => inCidr(ip, VNET) || inCidr(ip, VNET6);

/** Whether two entities can talk at all: one address family. */
export const sameFamily = (a: Entity, b: Entity) => familyOf(a.ip) === familyOf(b.ip);

/** First address of a CIDR, as a representative peer. */
export function firstAddress(cidr: string): string {
  return cidr.split('/')[0];
}

function matchesAddress(e: Entity, prefix: string): boolean {
  if (prefix === '*') return true;
  if (prefix === 'VirtualNetwork') return inVnet(e.ip);
  if (prefix === 'Internet') return !inVnet(e.ip) && e.ip !== AZURE_LB;
  if (prefix === 'AzureLoadBalancer') return e.ip === AZURE_LB;
  if (/^[A-Za-z]/.test(prefix)) return e.tags.includes(prefix);
  return inCidr(e.ip, prefix);
}

function matchesEnd(rule: any, side: 'source' | 'destination', e: Entity): boolean {
  const asgs: string[] | undefined = rule[`${side}_application_security_group_ids`];
  if (asgs) return asgs.some(a => e.asgs.includes(a));
  const prefixes: string[] = rule[`${side}_address_prefixes`] ?? [rule[`${side}_address_prefix`]];
  return prefixes.some(p => p !== undefined && matchesAddress(e, p));
}

/** A rule's destination ports as [first, last] ranges, parsed once. */
const portRanges = new WeakMap<object, Array<[number, number]>>();
function matchesPort(rule: any, port: number): boolean {
  let ranges = portRanges.get(rule);
  if (!ranges) {
    ranges = (rule.destination_port_ranges ?? [rule.destination_port_range]).map((r: string) => {
      if (r === '*') return [0, 65535];
      const [a, b] = String(r).split('-').map(Number);
      return [a, b ?? a];
    });
    portRanges.set(rule, ranges!);
  }
  return ranges!.some(([a, b]) => port >= a && port <= b);
}

export class NsgModel {
  private readonly rules: any[];
  private readonly sorted = new Map<string, any[]>();

  constructor(private readonly tf: any) {
    this.rules = Object.values(tf.resource?.azurerm_network_security_rule ?? {});
    for (const nsg of Object.values<any>(tf.resource?.azurerm_network_security_group ?? {})) {
      if (nsg.security_rule) throw new Error('inline security_rule blocks are not modelled');
    }
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

  /** An NSG's rules of one direction, in priority order (computed once). */
  private ordered(nsgNameRef: string, direction: string): any[] {
    const key = `${nsgNameRef}|${direction}`;
    let rules = this.sorted.get(key);
    if (!rules) {
      rules = this.rulesOf(nsgNameRef).filter(r => r.direction === direction).sort((a, b) => a.priority - b.priority);
      this.sorted.set(key, rules);
    }
    return rules;
  }

  /** Azure's evaluation of one NSG in one direction, for each of `ports`: first matching rule by priority, then the defaults. */
  public evaluatePorts(
    nsgNameRef: string, direction: 'Inbound' | 'Outbound', src: Entity, dst: Entity, protocol: 'tcp' | 'udp', ports: readonly number[],
  ): boolean[] {
    // The rules whose protocol and ends match, in priority order; then the first of them matching each port.
    const candidates = this.ordered(nsgNameRef, direction).filter(r => {
      const proto = String(r.protocol).toLowerCase();
      return (proto === '*' || proto === protocol) && matchesEnd(r, 'source', src) && matchesEnd(r, 'destination', dst);
    });
    // Azure's default rules.
    const vnet = (e: Entity) => inVnet(e.ip);
    const byDefault = direction === 'Inbound' ? (vnet(src) && vnet(dst)) || src.ip === AZURE_LB : (vnet(src) && vnet(dst)) || !vnet(dst);
    return ports.map(port => {
      const first = candidates.find(r => matchesPort(r, port));
      return first ? first.access === 'Allow' : byDefault;
    });
  }

  /** Azure's evaluation of one NSG in one direction. */
  public evaluate(
    nsgNameRef: string, direction: 'Inbound' | 'Outbound', src: Entity, dst: Entity, protocol: 'tcp' | 'udp', port: number,
  ): boolean {
    return this.evaluatePorts(nsgNameRef, direction, src, dst, protocol, [port])[0];
  }

  public allowed(src: Entity, dst: Entity, protocol: 'tcp' | 'udp', port: number): boolean {
    return this.allowedPorts(src, dst, protocol, [port])[0];
  }

  /** A connection needs the source's NSG to allow it outbound and the destination's inbound. */
  public allowedPorts(src: Entity, dst: Entity, protocol: 'tcp' | 'udp', ports: readonly number[]): boolean[] {
    const out = src.nsg ? this.evaluatePorts(src.nsg, 'Outbound', src, dst, protocol, ports) : ports.map(() => true);
    const inb = dst.nsg ? this.evaluatePorts(dst.nsg, 'Inbound', src, dst, protocol, ports) : ports.map(() => true);
    return ports.map((_, i) => out[i] && inb[i]);
  }
}

/** Ports worth probing: every documented port, the given extra ones, and a few others. */
export function probePorts(extra: number[] = []): number[] {
  const neighbours = [1, 21, 24, 444, 446, 3141, 3143, 4566, 4569, 8080, 65535];
  return [...new Set([...FirewallMatrix.ALL_ROWS.map(r => r.port), ...extra, ...neighbours])].sort((a, b) => a - b);
}

/** Connections (src>dst proto/port) the plan asks for, among `entities`. */
export function expectedConnections(flows: Flow[], entities: Entity[], ports: number[]): Set<string> {
  const out = new Set<string>();
  for (const f of flows) {
    if (!ports.includes(f.port)) throw new Error(`probe ports miss ${f.port}`);
    for (const s of entities.filter(e => e.roles.includes(f.source))) {
      for (const d of entities.filter(e => e.roles.includes(f.destination))) {
        if (s !== d && sameFamily(s, d)) out.add(`${s.name}>${d.name} ${f.protocol}/${f.port}`);
      }
    }
  }
  return out;
}

/** Connections the NSGs allow, among pairs where at least one end is protected. */
export function allowedConnections(model: NsgModel, entities: Entity[], ports: number[]): Set<string> {
  const out = new Set<string>();
  for (const s of entities) {
    for (const d of entities) {
      if (s === d || (!s.nsg && !d.nsg) || !sameFamily(s, d)) continue;
      for (const protocol of ['tcp', 'udp'] as const) {
        model.allowedPorts(s, d, protocol, ports).forEach((ok, i) => { if (ok) out.add(`${s.name}>${d.name} ${protocol}/${ports[i]}`); });
      }
    }
  }
  return out;
}
