/**
 * Azure NSGs' semantics, on the normalized model (model.ts), as Microsoft documents them:
 *
 * - "Network security groups overview"
 *   (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview):
 *   rules are processed in priority order (100-4096), the first match stops processing;
 *   rules match on the five-tuple (source, source port, destination, destination port,
 *   protocol), each independently; protocol `Any` (`*`) encompasses TCP, UDP and ICMP;
 *   two rules of one direction may not share a priority; the six default rules come
 *   after every NSG's own rules and cannot be removed.
 * - "How network security groups filter network traffic"
 *   (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works):
 *   inbound, the subnet's NSG is processed first, then the NIC's; outbound, the NIC's
 *   first, then the subnet's; traffic passes only when both allow it.
 * - "Azure service tags" (https://learn.microsoft.com/azure/virtual-network/service-tags-overview):
 *   VirtualNetwork is the VNet's address space, connected on-premises and peered spaces
 *   and the host's virtual IP (168.63.129.16); AzureLoadBalancer is that virtual IP;
 *   Internet is the address space outside the virtual network. The classic spellings
 *   VIRTUAL_NETWORK, AZURE_LOADBALANCER and INTERNET are the same tags. Tag names, like
 *   NSG and ASG names and IDs, compare without case.
 *
 * A rule restricted to destination ports matches the protocols with ports (TCP, UDP):
 * ICMP has no port for it to match, so only a rule on every port (`*`) covers it.
 */
import { AddressSet } from './address-set';
import { AZURE_DEFAULT_RULES, readNsgRule } from './azure-export';
import { Endpoint } from './compare';
import { NetworkSecurityGroup, NsgAddress, NsgRule, withinInput } from './model';
import { ALL_PORTS, Proto, Region } from './region';
import { FirewallState, MaybeRule, placeHint, Policy, PolicyRule, ProtectedInstance, UnplacedRole, UnresolvedRule } from './state';
import { didYouMean, SeguraValidationError } from '../core/errors';

/** An NSG as a placement names it, and the option that names it (`--cluster-nsg`, `nicNsgs.members[1]`). */
export interface NsgRef {
  readonly ref: string;
  readonly option: string;
}

/** An ASG resource ID as a placement gives it, and its option. */
export interface AsgRef {
  readonly id: string;
  readonly option: string;
}

/** A protected role on Azure: the NSGs on its instances' path, and the ASGs their NICs are in. */
export interface AzureRolePlacement {
  readonly role: string;
  /** The NSG on the instances' subnet. */
  readonly subnetNsg?: NsgRef;
  /** The NSG on each instance's NIC, in the order of `instances` (undefined: none). */
  readonly nicNsgs: ReadonlyArray<NsgRef | undefined>;
  readonly asgs: readonly AsgRef[];
  readonly instances: readonly Endpoint[];
}

/** What the matcher needs besides the NSGs. */
export interface AzureMatchInput {
  readonly placement: readonly AzureRolePlacement[];
  /** The address spaces of the VNet, its peers and connected networks (without the host's virtual IP). */
  readonly vnet: AddressSet;
  /** Configured roles whose NICs' ASGs are not given, for the hint on ASGs no role is in. */
  readonly unplacedAsgs: readonly UnplacedRole[];
}

/** The host's virtual IP: the AzureLoadBalancer tag, and part of VirtualNetwork. */
const AZURE_HOST_VIP = '168.63.129.16/32';

/** Azure's six default rules, in the model. */
const DEFAULTS: readonly NsgRule[] = AZURE_DEFAULT_RULES.map(r => readNsgRule(`Azure's default rule ${r.name}`, r));

/** What the audit makes of one side of a rule. */
interface Side {
  readonly set: AddressSet;
  readonly text: string;
  /** ASGs of the side that no role is in (their labels). */
  readonly unknownAsgs: readonly string[];
}

/** A rule, evaluated: its sides and region builder. */
interface Compiled {
  readonly rule: NsgRule;
  readonly isDefault: boolean;
  readonly source: Side;
  readonly destination: Side;
  readonly protocols: readonly Proto[] | 'all';
  readonly ports: ReadonlyArray<readonly [number, number]>;
  /** Why the audit cannot judge it (left out), if so. */
  readonly unresolved?: string;
}

const lower = (s: string) => s.toLowerCase();
const sameText = (a: string, b: string) => lower(a.trim()) === lower(b.trim());

/** The default rules the export lists must be Azure's; any it leaves out still apply. */
function checkDefaults(nsg: NetworkSecurityGroup): void {
  for (const listed of nsg.defaultRules ?? []) {
    const azure = DEFAULTS.find(d => sameText(d.name, listed.name));
    if (!azure) {
      throw new SeguraValidationError(`${listed.where}.name`, `"${listed.name}" is not one of Azure's six default rules (${DEFAULTS.map(d => d.name).join(', ')})`);
    }
    const sides = (list: readonly NsgAddress[]) => list.map(a => (a.kind === 'any' ? '*' : lower(a.text))).sort().join(',');
    const ports = (list: ReadonlyArray<readonly [number, number]>) => list.map(([lo, hi]) => `${lo}-${hi}`).join(',');
    const fields: Array<[string, string, string]> = [
      ['priority', String(listed.priority), String(azure.priority)],
      ['direction', listed.direction, azure.direction],
      ['access', listed.access, azure.access],
      ['protocol', listed.protocol, azure.protocol],
      ['source', sides(listed.sources), sides(azure.sources)],
      ['destination', sides(listed.destinations), sides(azure.destinations)],
      ['destination ports', ports(listed.destinationPorts), ports(azure.destinationPorts)],
      ['source ports', ports(listed.sourcePorts), ports(azure.sourcePorts)],
    ];
    const differ = fields.find(([, got, want]) => got !== want);
    if (differ) {
      throw new SeguraValidationError(listed.where, `contradicts Azure's default rule ${azure.name} (${differ[0]} ${differ[1]}, where Azure's is ${differ[2]}): `
        + 'Azure applies its six default rules, unchanged, after every NSG\'s own; is this export edited?');
    }
  }
}

/** Custom rules: priorities within 100-4096, one rule per direction and priority. */
function checkRules(nsg: NetworkSecurityGroup): void {
  const seen = new Map<string, NsgRule>();
  for (const r of nsg.rules) {
    if (r.priority < 100 || r.priority > 4096) {
      throw new SeguraValidationError(`${r.where}.priority`, `expected an integer within 100-4096 (Azure's range for an NSG's own rules), got ${r.priority}`);
    }
    const key = `${r.direction}|${r.priority}`;
    const first = seen.get(key);
    if (first) {
      throw new SeguraValidationError(r.where, `"${r.name}" and "${first.name}" (${withinInput(first.where)}) are both ${r.direction} at priority ${r.priority}: `
        + 'Azure refuses two rules of one direction at one priority, so this export cannot be what Azure applies');
    }
    seen.set(key, r);
  }
}

/** The ASG IDs the rules of the export name, by lower-case ID. */
function asgsNamed(nsgs: readonly NetworkSecurityGroup[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of nsgs) {
    for (const r of n.rules) for (const a of [...r.sources, ...r.destinations]) if (a.kind === 'asg' && !out.has(lower(a.id))) out.set(lower(a.id), a.id);
  }
  return out;
}

function checkAsg(a: AsgRef, known: Map<string, string>): void {
  if (known.has(lower(a.id))) return;
  const ids = [...known.values()];
  const byName = ids.find(id => sameText(id.slice(id.lastIndexOf('/') + 1), a.id));
  if (!a.id.includes('/') && byName) {
    throw new SeguraValidationError(a.option, `"${a.id}" is an ASG's name: give its resource ID, "${byName}" `
      + `(az network asg show -g RESOURCE_GROUP -n ${a.id} --query id -o tsv)`);
  }
  if (ids.length === 0) throw new SeguraValidationError(a.option, `"${a.id}": no rule of the export names an ASG, so placing instances in one changes nothing`);
  throw new SeguraValidationError(a.option, `"${a.id}" is not an ASG that a rule of the export names (${ids.length} ASGs).${didYouMean(a.id, ids)}`);
}

/** Find an NSG by name or ID, without case. */
function findNsg(nsgs: readonly NetworkSecurityGroup[], ref: NsgRef): NetworkSecurityGroup {
  const byId = nsgs.filter(n => n.id !== undefined && sameText(n.id, ref.ref));
  if (byId.length > 0) return byId[0];
  const byName = nsgs.filter(n => sameText(n.name, ref.ref));
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new SeguraValidationError(ref.option, `${byName.length} NSGs of the export are named "${ref.ref}": give the ID (${byName.map(n => n.id).join(', ')})`);
  }
  throw new SeguraValidationError(ref.option, `"${ref.ref}" is not an NSG of the export (${nsgs.length} NSGs).${didYouMean(ref.ref, nsgs.map(n => n.name))}`);
}

/** The firewall state of the placed instances under the NSGs' rules. */
export function matchAzure(nsgs: readonly NetworkSecurityGroup[], input: AzureMatchInput): FirewallState {
  const seenIds = new Map<string, NetworkSecurityGroup>();
  for (const n of nsgs) {
    if (n.id === undefined) continue;
    const first = seenIds.get(lower(n.id));
    if (first) throw new SeguraValidationError(`${n.where}.id`, `"${n.id}" is also ${withinInput(first.where)}: a merged export repeats it; keep one copy of each NSG`);
    seenIds.set(lower(n.id), n);
  }
  const knownAsgs = asgsNamed(nsgs);
  for (const p of input.placement) for (const a of p.asgs) checkAsg(a, knownAsgs);
  const matcher = new AzureMatcher(nsgs, input);
  const instances = input.placement.flatMap(p => matcher.instancesOf(p));
  return { instances, unresolved: matcher.unresolvedRules() };
}

/** The NSGs of an export, evaluated for the placed instances: each NSG's rules compiled once. */
class AzureMatcher {
  /** Who is in an ASG (by lower-case ID): the instances of every role whose NICs are in it. */
  private readonly members = new Map<string, AddressSet>();
  private readonly vip = AddressSet.ofCidrs([AZURE_HOST_VIP]);
  private readonly virtualNetwork: AddressSet;
  private readonly internet: AddressSet;
  /** The hint on ASGs no role is placed in. */
  private readonly hint: string;
  private readonly compiled = new Map<NetworkSecurityGroup, Compiled[]>();
  private readonly unresolved = new Map<string, UnresolvedRule>();

  constructor(private readonly nsgs: readonly NetworkSecurityGroup[], input: AzureMatchInput) {
    for (const p of input.placement) {
      const mine = p.instances.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY);
      for (const a of p.asgs) this.members.set(lower(a.id), (this.members.get(lower(a.id)) ?? AddressSet.EMPTY).union(mine));
    }
    this.virtualNetwork = input.vnet.union(this.vip);
    this.internet = AddressSet.ALL.minus(this.virtualNetwork);
    this.hint = placeHint(input.unplacedAsgs, 'NICs are in it');
  }

  /** A role's instances with the NSGs on their path (subnet, NIC); those with none are left out. */
  public instancesOf(p: AzureRolePlacement): ProtectedInstance[] {
    const subnet = p.subnetNsg ? findNsg(this.nsgs, p.subnetNsg) : undefined;
    const instances: ProtectedInstance[] = [];
    p.instances.forEach((e, i) => {
      const nicRef = p.nicNsgs[i];
      const nic = nicRef ? findNsg(this.nsgs, nicRef) : undefined;
      // No NSG given on its path: its role is placed for its ASGs only, its own traffic is outside the export.
      if (!subnet && !nic) return;
      const both = subnet !== undefined && nic !== undefined;
      const layer = (nsg: NetworkSecurityGroup | undefined, where: string, inbound: boolean) =>
        (nsg ? [this.policyOf(nsg, `NSG ${nsg.name}${both ? ` on the ${where}` : ''}`, e, inbound, both)] : []);
      instances.push({
        role: p.role,
        address: e.address,
        // Inbound: the subnet's NSG, then the NIC's. Outbound: the NIC's, then the subnet's.
        ingress: [...layer(subnet, 'subnet', true), ...layer(nic, 'NIC', true)],
        egress: [...layer(nic, 'NIC', false), ...layer(subnet, 'subnet', false)],
      });
    });
    return instances;
  }

  /** The rules the audit could not judge, among those it read so far. */
  public unresolvedRules(): UnresolvedRule[] {
    return [...this.unresolved.values()];
  }

  private addressOf(a: NsgAddress): { set: AddressSet; unknown?: string } {
    switch (a.kind) {
      case 'any': return { set: AddressSet.ALL };
      case 'prefix': return { set: a.set };
      case 'asg': {
        const set = this.members.get(lower(a.id));
        return set ? { set } : { set: AddressSet.named(`asg:${lower(a.id)}`, a.text), unknown: a.text };
      }
      case 'tag':
        switch (lower(a.text)) {
          case 'virtualnetwork': case 'virtual_network': return { set: this.virtualNetwork };
          case 'internet': return { set: this.internet };
          case 'azureloadbalancer': case 'azure_loadbalancer': return { set: this.vip };
          // Another service tag (AzureCloud, Storage.WestEurope, ...): addresses the config does not hold.
          default: return { set: AddressSet.named(`tag:${lower(a.text)}`, a.text) };
        }
    }
  }

  private sideOf(list: readonly NsgAddress[]): Side {
    let set = AddressSet.EMPTY;
    const unknownAsgs: string[] = [];
    for (const a of list) {
      const r = this.addressOf(a);
      set = set.union(r.set);
      if (r.unknown) unknownAsgs.push(r.unknown);
    }
    return { set, text: list.map(a => a.text).join(', '), unknownAsgs };
  }

  private compile(rule: NsgRule, isDefault: boolean): Compiled {
    const everyPort = rule.destinationPorts.some(([lo, hi]) => lo === 0 && hi === 65535);
    const protocols: readonly Proto[] | 'all' = rule.protocol === '*' ? (everyPort ? 'all' : ['tcp', 'udp'])
      : rule.protocol === 'Tcp' ? ['tcp'] : rule.protocol === 'Udp' ? ['udp'] : rule.protocol === 'Icmp' ? ['icmp'] : ['other'];
    const source = this.sideOf(rule.sources);
    const destination = this.sideOf(rule.destinations);
    // Every flow's client uses an ephemeral port: a rule that does not match them all cannot be judged.
    const ephemeral = rule.sourcePorts.some(([lo, hi]) => lo <= 1024 && hi >= 65535);
    const unknown = [...source.unknownAsgs, ...destination.unknownAsgs];
    const unresolved = rule.unresolved ? rule.unresolved : !ephemeral
      ? `source ports ${rule.sourcePortsText.join(', ')}: the audit judges destination ports, with clients on ephemeral ports (1024-65535)`
      : rule.access === 'Deny' && unknown.length > 0
        ? `a Deny naming ${unknown.map(u => `ASG ${u}`).join(', ')}, which no role is placed in: the audit cannot tell whose traffic it stops${this.hint}`
        : undefined;
    return { rule, isDefault, source, destination, protocols, ports: protocols === 'all' ? [ALL_PORTS] : rule.destinationPorts, unresolved };
  }

  private compiledOf(nsg: NetworkSecurityGroup): Compiled[] {
    let list = this.compiled.get(nsg);
    if (!list) {
      checkRules(nsg);
      checkDefaults(nsg);
      // Azure's defaults after the NSG's own rules, whatever the export lists.
      const own = [...nsg.rules].sort((a, b) => a.priority - b.priority);
      list = [...own.map(r => this.compile(r, false)), ...DEFAULTS.map(r => this.compile(r, true))];
      this.compiled.set(nsg, list);
    }
    return list;
  }

  /** One NSG's rules as the policy of one instance (`e`) in one direction. */
  private policyOf(nsg: NetworkSecurityGroup, label: string, e: Endpoint, inbound: boolean, stacked: boolean): Policy {
    const rules: PolicyRule[] = [];
    const maybe: MaybeRule[] = [];
    const hint = this.hint;
    for (const c of this.compiledOf(nsg).filter(x => (x.rule.direction === 'Inbound') === inbound)) {
      const [mine, theirs] = inbound ? [c.destination, c.source] : [c.source, c.destination];
      const applies = mine.set.covers(e.set);
      if (c.unresolved) {
        this.unresolved.set(`${nsg.name}/${c.rule.name}`, {
          rule: c.rule.name, reason: `in ${nsg.name}: ${c.unresolved}`, ...(c.rule.location ? { locations: [c.rule.location] } : {}),
        });
        if (applies || mine.unknownAsgs.length > 0) {
          maybe.push({ name: c.rule.name, allow: c.rule.access === 'Allow', region: Region.of(c.protocols, c.ports, AddressSet.ALL), why: c.unresolved });
        }
        continue;
      }
      if (!applies) {
        if (mine.unknownAsgs.length > 0 && c.rule.access === 'Allow') {
          maybe.push({
            name: c.rule.name,
            allow: true,
            region: Region.of(c.protocols, c.ports, AddressSet.ALL),
            why: `it applies to ${mine.unknownAsgs.map(u => `ASG ${u}`).join(', ')}, which no role is placed in${hint}`,
          });
        }
        continue;
      }
      rules.push({
        name: c.rule.name,
        reportAs: stacked ? `${nsg.name}/${c.rule.name}` : undefined,
        peer: theirs.text,
        other: theirs.set,
        allow: c.rule.access === 'Allow',
        allProtocols: c.rule.protocol === '*',
        allTraffic: c.protocols === 'all',
        region: Region.of(c.protocols, c.ports, theirs.set),
        isDefault: c.isDefault,
        unknown: theirs.unknownAsgs.length > 0 && hint ? `${theirs.unknownAsgs.map(u => `ASG ${u}`).join(', ')}: no role is placed in it${hint}` : undefined,
        location: c.rule.location,
      });
    }
    return { name: label, order: 'first-match', rules, maybe, locations: nsg.location ? [nsg.location] : undefined };
  }
}
