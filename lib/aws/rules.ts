/**
 * From flows to security groups on AWS: each holder role's rules (merged per peer,
 * protocol and port range), laid out over as many groups as the quota needs
 * (layout.ts), then written. Knows EC2; knows no document rows.
 */
import { Annotations, Intrinsic, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { QuotaSecurityGroup } from './group';
import { firstThatFit, Layout, LayoutFallback, LayoutOverflow, layoutGroups, LayoutUnit, RecordedPlacement, recordOf, ruleKey, splitRule } from './layout';
import { groupIdOf, LayoutHolder, readLayoutFile, recordedPlacement, writeLayout } from './layout-file';
import { MergedRule, mergeRules, PeerSide } from './merge';
import { awsPeerKey, familyOf, isUnresolved, weightOf } from './peers';
import { checkInteger } from '../core/checks';
import { contains, Prefix, tryParseCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { Protocol } from '../core/matrix';
import { Flow } from '../core/plan';
import { RenderContext } from '../core/render-context';
import { ALL_ROLES, isNode, propertyOf, Role, ROLES } from '../core/roles';
import { Direction, sidesOf } from '../core/rules';

/** AWS's default quota of inbound (or outbound) rules per security group. */
const DEFAULT_RULE_QUOTA = 60;
/** AWS's default of 5 security groups per network interface, minus one left for the user's own. */
const DEFAULT_MAX_GROUPS = 4;
/** AWS caps rules per group times groups per interface at 1,000. */
const MAX_RULES_PER_INTERFACE = 1000;
/** AWS's default of security groups per network interface. */
const AWS_GROUPS_PER_INTERFACE = 5;
/** AWS allows at most 16 groups per interface (after a quota increase). */
const MAX_GROUPS_PER_INTERFACE = 16;
/** EC2 rule descriptions are at most 255 characters. */
const MAX_DESCRIPTION = 255;

/** A peer, or a reference to the group of a node or gateway role (resolved when written). */
export type RulePeer = ec2.IPeer | Role;

/** A merged rule and the peer it goes to. */
interface RuleSpec extends MergedRule {
  readonly peer: RulePeer;
}

/** One holder's rules, as layout units and the rules of each unit. */
export interface HolderRules {
  readonly holder: Role;
  readonly units: LayoutUnit[];
  readonly rules: ReadonlyMap<string, RuleSpec[]>;
}

const roleOrder = (role: Role) => ALL_ROLES.indexOf(role);
const isRef = (peer: RulePeer): peer is Role => typeof peer === 'string';
// One peer, one key: a group given twice (by two objects) is one peer, its rules written once.
const keyOf = (peer: RulePeer) => (isRef(peer) ? `role:${peer}` : awsPeerKey(peer));

/**
 * A rule's identity within its unit (the peer), as the layout file records it: its
 * protocol and ports (`tcp:443`, `udp:1812-1813`); a deploy-time port by the flows it serves.
 * @internal Exported for its unit tests (test/aws/rules.test.ts).
 */
export function ruleIdOf(context: RenderContext, rule: MergedRule): string {
  if (context.isUnresolved(rule.range.from)) return `${rule.protocol}:${rule.flows.map(f => f.id).join(',')}`;
  return `${rule.protocol}:${rule.range.from === rule.range.to ? rule.range.from : `${rule.range.from}-${rule.range.to}`}`;
}

/** A holder's groups, with the rules and layout they were made for. */
export interface HolderGroups {
  /** The holder's rules (a node's: its own and those kept for the gateways, units `role:DOMUM`, ...). */
  readonly rules: HolderRules;
  /** Where each unit's rules go. */
  readonly layout: Layout;
  /** The holder's groups; the first is the one rules reference. */
  readonly groups: readonly QuotaSecurityGroup[];
}

/** How `writeRules` writes a holder's rules. */
export interface WriteOptions {
  /** The first group of each node and gateway role: what a rule toward that role references. */
  readonly references: ReadonlyMap<Role, ec2.IPeer>;
  /** Rules toward a group of another stack, written from this one (a gateway's stack): they live in the writer's stack. */
  readonly remote?: boolean;
  /** Only this unit's rules (a gateway writes its own share of a node's groups, unit `role:DOMUM`). */
  readonly unit?: string;
}

/**
 * The rules of each holder in `holders` for `flows`. `peersOf` gives a role's peers
 * in the user's order (the layout keeps appended peers last; for node and gateway
 * roles, the role itself: a reference to its group).
 */
export function holderRules(context: RenderContext, flows: readonly Flow[], holders: readonly Role[],
  peersOf: (role: Role) => RulePeer[]): HolderRules[] {
  const peerByKey = new Map<string, RulePeer>();
  const roleOfKey = new Map<string, { role: Role; rank: number }>();
  const sides: PeerSide[] = [];
  for (const side of sidesOf(flows, holders)) {
    // Keyed by the peer itself: peers with the same address share rules whatever their role.
    for (const [rank, peer] of peersOf(side.peerRole).entries()) {
      const key = keyOf(peer);
      peerByKey.set(key, peer);
      const known = roleOfKey.get(key);
      if (known === undefined || roleOrder(side.peerRole) < roleOrder(known.role)) roleOfKey.set(key, { role: side.peerRole, rank });
      sides.push({ side, peerKey: key });
    }
  }
  const merged = mergeRules(sides, context.isUnresolved);
  return holders.map(holder => {
    const rules = new Map<string, RuleSpec[]>();
    for (const rule of merged.filter(r => r.holder === holder)) {
      rules.set(rule.peerKey, [...(rules.get(rule.peerKey) ?? []), { ...rule, peer: peerByKey.get(rule.peerKey)! }]);
    }
    const units: LayoutUnit[] = [...rules.entries()].map(([key, list]) => {
      const peer = peerByKey.get(key)!;
      const { role, rank } = roleOfKey.get(key)!;
      return {
        key,
        role,
        order: roleOrder(role),
        rank,
        pinned: isRef(peer),
        family: isRef(peer) ? 'both' : familyOf(peer),
        weight: isRef(peer) ? 1 : weightOf(peer).weight,
        rules: { ingress: list.filter(r => r.direction === 'ingress').length, egress: list.filter(r => r.direction === 'egress').length },
        ids: {
          ingress: list.filter(r => r.direction === 'ingress').map(r => ruleIdOf(context, r)),
          egress: list.filter(r => r.direction === 'egress').map(r => ruleIdOf(context, r)),
        },
      };
    });
    return { holder, units, rules };
  });
}

/** Check a `vpc` prop: an ec2.IVpc (anything with a vpcId). */
export function checkVpc(vpc: unknown, what: string): void {
  if (vpc === undefined || vpc === null) throw new SeguraValidationError('vpc', `is required (${what})`);
  if (typeof vpc !== 'object' || typeof (vpc as ec2.IVpc).vpcId !== 'string') {
    throw new SeguraValidationError('vpc', `expected ${what}, got ${describeValue(vpc)}`);
  }
}

/**
 * Check `ruleQuota` and `maxSecurityGroups`, together: AWS caps their product at 1,000.
 * A deploy-time `ruleQuota` (a token) gets a note on `scope`: the layout assumes the default.
 */
export function checkQuotas(ruleQuota: unknown, maxGroups: unknown, scope?: Construct): { quota: number; maxGroups: number } {
  const quota = checkInteger('ruleQuota', ruleQuota ?? undefined, 1, MAX_RULES_PER_INTERFACE, 'a rule quota', isUnresolved) ?? DEFAULT_RULE_QUOTA;
  // By default as many groups as AWS allows with this quota, at most DEFAULT_MAX_GROUPS.
  const groups = checkInteger('maxSecurityGroups', maxGroups ?? undefined, 1, MAX_GROUPS_PER_INTERFACE, 'a number of security groups')
    ?? (isUnresolved(quota) ? DEFAULT_MAX_GROUPS : Math.min(DEFAULT_MAX_GROUPS, Math.floor(MAX_RULES_PER_INTERFACE / quota)));
  if (!isUnresolved(quota) && quota * groups > MAX_RULES_PER_INTERFACE) {
    throw new SeguraValidationError('maxSecurityGroups', `${groups} groups of ruleQuota ${quota} rules make ${quota * groups} rules per network interface; `
      + `AWS allows at most ${MAX_RULES_PER_INTERFACE} (rules per group × groups per interface)`);
  }
  // A deploy-time quota cannot be planned with: the layout assumes AWS's default.
  if (isUnresolved(quota) && scope) {
    Annotations.of(scope).addInfo(`ruleQuota is a deploy-time value (a token): the groups are laid out for AWS's default of ${DEFAULT_RULE_QUOTA} rules `
      + 'per group, direction and address family, and not checked against your quota at synth. Give ruleQuota as a number to lay them out for it.');
  }
  return { quota: isUnresolved(quota) ? DEFAULT_RULE_QUOTA : quota, maxGroups: groups };
}

/** A holder to lay out: its rules, where it is (for messages), its place in the layout file, and its recorded placement. */
export interface HolderToLay {
  readonly rules: HolderRules;
  readonly where: string;
  readonly file?: LayoutHolder;
  readonly previous?: RecordedPlacement;
}

/**
 * Lay out holders' units (the Primary's and the members', or a gateway's), with the
 * layout file `file` when there is one: each holder's recorded placement read from
 * it, a warning on `scope` for every holder whose rules moved, and the new placements
 * written back. Fails as `layoutAllOrFail` does (before writing anything).
 */
export function layoutWithFile(scope: Construct, file: string | undefined, holders: readonly HolderToLay[], quota: number, maxGroups: number,
  roles: ReadonlyMap<Role, readonly ec2.IPeer[]>): Layout[] {
  if (file === undefined) return layoutAllOrFail(holders, quota, maxGroups, roles);
  const keys = holders.map(h => fileKeys(scope, h.rules.units));
  const content = readLayoutFile(file);
  const read = holders.map((h, i) => {
    const recorded = h.file && recordedPlacement(content, h.file);
    const unitOf = new Map([...keys[i]].map(([unit, key]) => [key, unit]));
    const previous = recorded && rekey(recorded, key => unitOf.get(key) ?? key);
    return { ...h, previous, rules: previous ? { ...h.rules, units: withCovers(h.rules.units, previous) } : h.rules };
  });
  const layouts = layoutAllOrFail(read, quota, maxGroups, roles);
  const accept = acceptsMoves(scope);
  for (const [i, layout] of layouts.entries()) {
    if (layout.moved.length > 0) Annotations.of(scope).addWarningV2('segura-constructs:layout-moved', movedMessage(file, read[i], layout, accept));
  }
  // A holder whose rules move keeps its recorded entry until the moves are accepted: the file is written when the
  // construct is built, before synth ends (a later error, `cdk synth --strict`), so recording the moves at once would
  // make the next synth move them silently.
  writeLayout(content, read.flatMap((h, i) => {
    if (!h.file || (layouts[i].moved.length > 0 && !accept)) return [];
    return [{ holder: h.file, record: rekey(recordOf(h.rules.units, layouts[i]), unit => keys[i].get(unit) ?? unit) }];
  }));
  return layouts;
}

/** The context key that records a layout whose rules move in the layout file (`cdk synth -c segura-constructs:acceptLayoutMoves=true`). */
const ACCEPT_LAYOUT_MOVES = 'segura-constructs:acceptLayoutMoves';

/**
 * Whether the app accepts the layout's moves: the context value ACCEPT_LAYOUT_MOVES is `true` (or the string `"true"`, from `-c`).
 * @internal Exported for its unit tests (test/aws/rules.test.ts).
 */
export function acceptsMoves(scope: Construct): boolean {
  const value: unknown = scope.node.tryGetContext(ACCEPT_LAYOUT_MOVES);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new SeguraValidationError(`context ${ACCEPT_LAYOUT_MOVES}`, `is ${describeValue(value)}; expected true or false`);
}

/**
 * Each unit's key as the layout file records it, where it differs: a peer given by a
 * deploy-time value that is no construct's attribute (`Fn.importValue(...)`) by its
 * CloudFormation expression (`{"Fn::ImportValue":"Shared"}`), not by its token's text
 * (`${Token[TOKEN.16]}`), which changes as the app creates other tokens. Other tokens
 * (`Lazy`) are not resolved early; a key two units would share is left as it is.
 * @internal Exported for its unit tests (test/aws/rules.test.ts).
 */
export function fileKeys(scope: Construct, units: readonly LayoutUnit[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key } of units) {
    if (!Token.isUnresolved(key) || !Tokenization.reverseString(key).tokens.every(t => t instanceof Intrinsic)) continue;
    try {
      out.set(key, JSON.stringify(Stack.of(scope).resolve(key)));
    } catch {
      // Not resolvable here: recorded by its text.
    }
  }
  const taken = new Set(units.map(u => u.key));
  const counts = new Map<string, number>();
  for (const k of out.values()) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const [unit, k] of out) if (counts.get(k)! > 1 || taken.has(k)) out.delete(unit);
  return out;
}

/**
 * `units`, each CIDR peer with the recorded CIDR peers that are gone and that it
 * contains (`covers`): a wider prefix that absorbed them (aggregation) takes their groups.
 * @internal Exported for its unit tests (test/aws/rules.test.ts).
 */
export function withCovers(units: readonly LayoutUnit[], previous: RecordedPlacement): LayoutUnit[] {
  const current = new Set(units.map(u => u.key));
  const gone = new Map<string, Prefix>();
  for (const rule of [...previous.ingress.keys(), ...previous.egress.keys()]) {
    const [key] = splitRule(rule);
    const p = !current.has(key) && !gone.has(key) ? tryParseCidr(key) : undefined;
    if (p) gone.set(key, p);
  }
  if (gone.size === 0) return [...units];
  return units.map(u => {
    const outer = tryParseCidr(u.key);
    const covers = outer ? [...gone].filter(([, inner]) => contains(outer, inner)).map(([key]) => key) : [];
    return covers.length > 0 ? { ...u, covers } : u;
  });
}

/** A recorded placement with each rule's unit key mapped by `mapKey`. */
function rekey(record: RecordedPlacement, mapKey: (key: string) => string): RecordedPlacement {
  const map = (m: ReadonlyMap<string, number>) => new Map([...m].map(([rule, g]) => {
    const [unit, id] = splitRule(rule);
    return [ruleKey(mapKey(unit), id), g];
  }));
  return { ingress: map(record.ingress), egress: map(record.egress) };
}

/** Why a direction's recorded placement no longer holds, in a holder's group names. */
function fallbackText(f: LayoutFallback, baseId: string): string {
  if (f.reason === 'beyond') return `the file puts rules in ${groupIdOf(baseId, f.group)}, but maxSecurityGroups is ${f.maxGroups}`;
  if (f.reason === 'over') {
    return `the rules it records in ${groupIdOf(baseId, f.group)} count ${f.count} ${f.family} rules, over ruleQuota ${f.quota} `
      + '(a lower quota, or a prefix list with more max entries)';
  }
  return `the ${f.rules} new rules do not fit in the room the recorded rules leave`;
}

/**
 * The warning for a holder whose recorded rules moved: how many, between which groups, which peers, and why.
 * @internal Exported for its unit tests (test/aws/rules.test.ts).
 */
export function movedMessage(file: string, holder: HolderToLay, layout: Layout, accepted: boolean): string {
  const baseId = holder.file!.baseId;
  const pairs = new Map<string, number>();
  for (const m of layout.moved) {
    const pair = `${groupIdOf(baseId, m.from)} to ${groupIdOf(baseId, m.to)}`;
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  const why = (['ingress', 'egress'] as Direction[]).filter(d => layout.fallback[d] && layout.moved.some(m => m.direction === d))
    .map(d => `${d === 'ingress' ? 'inbound' : 'outbound'}: ${fallbackText(layout.fallback[d]!, baseId)}`);
  const byPeer = new Map<string, number>();
  for (const m of layout.moved) byPeer.set(m.key, (byPeer.get(m.key) ?? 0) + 1);
  const shown = [...byPeer].slice(0, 10).map(([key, k]) => `${key} (${k})`);
  const more = byPeer.size > shown.length ? ` and ${byPeer.size - shown.length} more` : '';
  const n = layout.moved.length;
  return `layoutFile ${file}: ${n} rule${n > 1 ? 's' : ''} of ${holder.where} move${n > 1 ? '' : 's'} to another group `
    + `(${[...pairs].map(([pair, k]) => `${k} from ${pair}`).join(', ')}): the recorded placement no longer holds the configuration `
    + `(${why.join('; ')}), so the groups are laid out afresh. The peers whose rules move (how many rules): ${shown.join(', ')}${more}. `
    + 'On deploy each of these rules is revoked in one group and authorized in another, in either order: traffic on it may be refused in between. '
    + (accepted ? `${file} now records the new placement (${ACCEPT_LAYOUT_MOVES} is true); commit it.`
      : `${file} keeps the recorded placement, so every synth lays these groups out afresh and says so, until you accept the moves: `
      + `synth once with \`-c ${ACCEPT_LAYOUT_MOVES}=true\` (the file then records the new placement; commit it), or undo the change.`);
}

/**
 * Lay out several holders' units (the Primary's and the members'), each from its
 * recorded placement when it has one, or fail with the numbers of the first that does
 * not fit; how many of the role's peers fit is counted on every holder at once.
 */
export function layoutAllOrFail(
  holders: ReadonlyArray<{ readonly rules: HolderRules; readonly where: string; readonly previous?: RecordedPlacement }>,
  quota: number, maxGroups: number, roles: ReadonlyMap<Role, readonly ec2.IPeer[]>): Layout[] {
  const results = holders.map(h => layoutGroups(h.rules.units, quota, maxGroups, h.previous));
  const failed = results.findIndex(r => !('placement' in r));
  if (failed < 0) return results as Layout[];
  let overflow = results[failed] as LayoutOverflow;
  if (overflow.largest && holders.length > 1) {
    const fit = firstThatFit(holders.map(h => h.rules.units), overflow.largest.keys, quota, maxGroups);
    overflow = { ...overflow, largest: { ...overflow.largest, fit } };
  }
  const role = overflow.largest?.role as Role | undefined;
  const property = role && ROLES[role] && !isNode(role) ? propertyOf(role) : 'ruleQuota';
  throw new SeguraValidationError(property, overflowMessage(holders[failed].rules.holder, holders[failed].where, overflow, quota, maxGroups, roles));
}

function overflowMessage(holder: Role, where: string, o: LayoutOverflow, quota: number, maxGroups: number,
  roles: ReadonlyMap<Role, readonly ec2.IPeer[]>): string {
  const dir = o.direction === 'ingress' ? 'inbound' : 'outbound';
  const groups = `${maxGroups} security group${maxGroups > 1 ? 's' : ''} (maxSecurityGroups) of ${quota} rules (ruleQuota)`;
  const counted = o.heaviest > 1 ? ' (a rule toward a prefix list counts its max entries)' : '';
  const parts = [];
  if (!o.unpacked) {
    parts.push(`the ${holder} instances (${where}) need ${o.needed} ${dir} ${o.family} rules${counted}, but ${groups} hold at most ${o.capacity}.`);
  } else if (o.heaviest > quota) {
    parts.push(`the ${holder} instances (${where}) need an ${dir} rule toward a prefix list of ${o.heaviest} max entries, which counts ${o.heaviest} ${o.family} rules, `
      + `but a security group holds at most ${quota} (ruleQuota).`);
  } else {
    parts.push(`the ${holder} instances (${where}) need ${o.needed} ${dir} ${o.family} rules${counted}, within the ${o.capacity} that ${groups} hold, `
      + `but they do not pack into them: placed largest first (rules of up to ${o.heaviest}), each into the first group with room, some rule finds none.`);
  }
  const ways = [];
  if (o.largest) {
    const role = o.largest.role as Role;
    const property = ROLES[role] && !isNode(role) ? propertyOf(role) : o.largest.role;
    const { units, perUnit, fit } = o.largest;
    const upTo = o.heaviest > 1 ? 'up to ' : '';
    parts.push(units === 1
      ? `${property}: its one peer needs ${upTo}${perUnit} ${dir} rules, which do not fit beside the other rules.`
      : `${property}: ${units} peers need ${upTo}${perUnit} ${dir} rules each; ${fit === 0 ? 'none fits' : fit === 1 ? 'only the first fits' : `the first ${fit} fit`} `
        + 'beside the other rules.');
    ways.push(`aggregate ${property} into fewer, wider prefixes`);
    // A prefix list counts its max entries per rule: it helps only when its max entries exceed its entries (and 1:
    // AWS's least MaxEntries; an empty list is given entries later, which a lower maximum would not hold). A
    // deploy-time size is a token, a negative number, so it never exceeds; deploy-time entries are no array.
    for (const peer of roles.get(role) ?? []) {
      const list = (peer as unknown as Construct).node?.defaultChild;
      if (list instanceof ec2.CfnPrefixList && Array.isArray(list.entries) && list.entries.length > 0
        && list.entries.length < (list.maxEntries ?? 0)) {
        ways.push(`lower the maxEntries of prefix list ${(peer as unknown as Construct).node.path} from ${list.maxEntries} to ${list.entries.length}`);
      }
    }
  }
  if (quota * maxGroups < MAX_RULES_PER_INTERFACE) {
    ways.push(`raise the rules-per-group quota with AWS and set ruleQuota (ruleQuota × maxSecurityGroups may reach ${MAX_RULES_PER_INTERFACE})`);
    const most = Math.min(MAX_GROUPS_PER_INTERFACE, Math.floor(MAX_RULES_PER_INTERFACE / quota));
    if (maxGroups < AWS_GROUPS_PER_INTERFACE && AWS_GROUPS_PER_INTERFACE * quota <= MAX_RULES_PER_INTERFACE) {
      ways.push(`let the library use all of AWS's default ${AWS_GROUPS_PER_INTERFACE} groups per interface when the instances wear no group of your own `
        + `(maxSecurityGroups: ${AWS_GROUPS_PER_INTERFACE}; up to ${most} at ruleQuota ${quota} after a quota increase)`);
    } else if (maxGroups < most) {
      ways.push(`allow more groups per interface (maxSecurityGroups, up to ${most} at ruleQuota ${quota}; AWS's default is ${AWS_GROUPS_PER_INTERFACE})`);
    }
  }
  return `${parts.join(' ')}${ways.length ? ` Ways out: ${ways.join('; or ')}.` : ''}`;
}

function portOf(context: RenderContext, protocol: Protocol, from: number, to: number, unique: string): ec2.Port {
  const ec2Protocol = protocol === Protocol.TCP ? ec2.Protocol.TCP : ec2.Protocol.UDP;
  if (context.isUnresolved(from)) {
    // A deploy-time port: its own string form, so that two such rules never share an ID.
    return new ec2.Port({ protocol: ec2Protocol, fromPort: from, toPort: to, stringRepresentation: `${protocol}:${unique}` });
  }
  if (from === to) return protocol === Protocol.TCP ? ec2.Port.tcp(from) : ec2.Port.udp(from);
  return protocol === Protocol.TCP ? ec2.Port.tcpRange(from, to) : ec2.Port.udpRange(from, to);
}

/** Create a holder's groups under `scope`: `${id}`, then `${id}2`, `${id}3`... (construct IDs are a contract). */
export function createGroups(scope: Construct, id: string, count: number, vpc: ec2.IVpc, description: string): QuotaSecurityGroup[] {
  return Array.from({ length: count }, (_, i) => new QuotaSecurityGroup(scope, i === 0 ? id : `${id}${i + 1}`, {
    vpc,
    allowAllOutbound: false,
    description: i === 0 ? description : `${description} (overflow group ${i + 1})`,
  }));
}

/**
 * Write a holder's rules on its groups as the layout places them, described and
 * written as the render context says; `options` say what rules toward node and
 * gateway roles reference, and which rules to write.
 */
export function writeRules(context: RenderContext, target: HolderGroups, options: WriteOptions): void {
  const { rules, layout, groups } = target;
  for (const [key, list] of rules.rules) {
    if (options.unit !== undefined && key !== options.unit) continue;
    const pieces = layout.placement.get(key)!;
    for (const direction of ['ingress', 'egress'] as Direction[]) {
      const ordered = list.filter(r => r.direction === direction);
      let next = 0;
      for (const [group, count] of pieces[direction]) {
        for (const rule of ordered.slice(next, next + count)) {
          const peer = isRef(rule.peer) ? options.references.get(rule.peer)! : rule.peer;
          const port = portOf(context, rule.protocol, rule.range.from, rule.range.to, rule.flows.map(f => f.id).join(','));
          const roles = [...new Set(rule.flows.map(f => (direction === 'ingress' ? f.source : f.destination)))];
          groups[group].addOwnRule(direction, peer, port, context.describe(rule, MAX_DESCRIPTION), options.remote ?? false, roles);
        }
        next += count;
      }
    }
  }
}
