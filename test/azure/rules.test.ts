/**
 * Azure's rule building (lib/azure/rules.ts) as plain data, without constructs: the
 * buckets of a slot (ASGs, service tags), the priority band and names, and the errors
 * that stop a rule from leaving its slot; then the rules render.ts writes (deny-all,
 * deploy-time ports) in a bare stack.
 */
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { Peer } from '../../lib/azure/peer';
import { PRIORITY_SLOTS } from '../../lib/azure/priorities';
import { addToUsage, newUsage, renderDenyAll, renderNsgRules } from '../../lib/azure/render';
import { nsgRules, RuleTarget } from '../../lib/azure/rules';
import { NSG_KINDS } from '../../lib/azure/slots';
import { FirewallPlan, Role } from '../../lib/core';
import { planFlows } from '../../lib/core/plan';
import { renderContext } from '../../lib/core/render-context';
import { SeguraValidationError } from '../../lib/errors';

const context = renderContext(() => false);
const users = FirewallPlan.flows({ peerRoles: [Role.USERW], clusterMembers: false });
const asg = (name: string) => Peer.applicationSecurityGroupId(`/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/${name}`);
/** The cluster's NSG, the Primary only, its users the given peers. */
const target = (peers: Peer[], slots: readonly string[] = PRIORITY_SLOTS.PRD_MBR): RuleTarget => ({
  holders: new Map([[Role.PRD, 'asg-prd']]),
  peersOf: role => (role === Role.USERW ? peers : [asg(role)]),
  slots,
  tokenString: String,
});
const summary = (rules: ReturnType<typeof nsgRules>) => rules.map(r => `${r.priority} ${r.name} ${JSON.stringify(r.source)}`);
const USERS_SLOT = PRIORITY_SLOTS.PRD_MBR.indexOf('ingress|USERW|tcp');

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
}

describe('a slot\'s buckets', () => {
  test('ASGs in rules of 10, each a bucket after the prefixes\' bands; the same ASG in another case is one ASG', () => {
    const asgs = Array.from({ length: 11 }, (_, i) => asg(`a${i}`));
    const rules = nsgRules(context, users, target([...asgs, asg('A0'), Peer.ipv4('10.1.0.0/16')]));
    const base = 100 + 50 * USERS_SLOT;
    expect(rules.map(r => [r.priority, r.name, 'asgIds' in r.source ? r.source.asgIds.length : r.source])).toEqual([
      [base, 'Segura-In-PRD-from-USERW-Tcp', { prefix: '10.1.0.0/16' }],
      [base + 20, 'Segura-In-PRD-from-USERW-Tcp-ASG', 10],
      [base + 21, 'Segura-In-PRD-from-USERW-Tcp-ASG-2', 1],
    ]);
  });

  test('ASG IDs given as token objects (no string): compared by identity, each once', () => {
    const [a, b] = [Token.asAny('a'), Token.asAny('b')].map(t => Peer.applicationSecurityGroupId(t as unknown as string));
    const ids = (peers: Peer[]) => nsgRules(context, users, target(peers)).map(r => ('asgIds' in r.source ? r.source.asgIds.length : r.source));
    expect(ids([a, b])).toEqual([2]);
    expect(ids([a, a, b])).toEqual([2]);
  });

  test('IPv6 prefixes in rules of 4,000, in their own band', () => {
    const v6 = Array.from({ length: 4001 }, (_, i) => Peer.ipv6(`2001:db8:${i.toString(16)}::/48`));
    const base = 100 + 50 * USERS_SLOT;
    expect(nsgRules(context, users, target(v6)).map(r => [r.priority, r.name, 'prefixes' in r.source ? r.source.prefixes.length : r.source])).toEqual([
      [base + 10, 'Segura-In-PRD-from-USERW-Tcp-V6', 4000],
      [base + 11, 'Segura-In-PRD-from-USERW-Tcp-V6-2', { prefix: '2001:db8:fa0::/48' }],
    ]);
  });

  test('over 40,000 prefixes of one family in one slot: refused, naming the property and the family; 40,000 fill the band', () => {
    const v4 = (n: number) => Array.from({ length: n }, (_, i) => Peer.ipv4(`10.${Math.floor(i / 256)}.${i % 256}.0/24`));
    const v6 = (n: number) => Array.from({ length: n }, (_, i) => Peer.ipv6(`2001:db8:${i.toString(16)}::/48`));
    const base = 100 + 50 * USERS_SLOT;
    expect(nsgRules(context, users, target(v4(40_000))).map(r => [r.priority, r.name])).toEqual(
      Array.from({ length: 10 }, (_, i) => [base + i, `Segura-In-PRD-from-USERW-Tcp${i ? `-${i + 1}` : ''}`]));
    // A prefix given twice is one prefix.
    expect(nsgRules(context, users, target([...v4(2), Peer.ipv4('10.0.0.0/24')])).map(r => r.source)).toEqual([{ prefixes: ['10.0.0.0/24', '10.0.1.0/24'] }]);
    for (const [family, make] of [['IPv4', v4], ['IPv6', v6]] as const) {
      const e = errorOf(() => nsgRules(context, users, target(make(40_001))));
      expect(e).toBeInstanceOf(SeguraValidationError);
      expect(e.message).toBe(`users: more than 40000 ${family} prefixes after aggregation: more than one NSG rule slot holds; give wider prefixes`);
    }
  });

  test('over 100 ASGs in one slot: refused, naming the property and the count', () => {
    const e = errorOf(() => nsgRules(context, users, target(Array.from({ length: 101 }, (_, i) => asg(`a${i}`)))));
    expect(e).toBeInstanceOf(SeguraValidationError);
    expect(e.message).toBe('users: 101 application security groups: the rules of a slot name at most 100; give some peers as address prefixes instead of ASGs');
    expect(nsgRules(context, users, target(Array.from({ length: 100 }, (_, i) => asg(`a${i}`))))).toHaveLength(10);
  });

  test('service tags: each its own rule, in name order; over 20 refused', () => {
    const base = 100 + 50 * USERS_SLOT;
    expect(summary(nsgRules(context, users, target([Peer.serviceTag('VirtualNetwork'), Peer.serviceTag('AzureCloud')])))).toEqual([
      `${base + 30} Segura-In-PRD-from-USERW-Tcp-AzureCloud {"prefix":"AzureCloud"}`,
      `${base + 31} Segura-In-PRD-from-USERW-Tcp-VirtualNetwork {"prefix":"VirtualNetwork"}`,
    ]);
    const tags = (n: number) => Array.from({ length: n }, (_, i) => Peer.serviceTag(`Tag${String(i).padStart(2, '0')}`));
    expect(nsgRules(context, users, target(tags(20))).map(r => r.priority)).toEqual(Array.from({ length: 20 }, (_, i) => base + 30 + i));
    // A long tag name: the rule's name cut to Azure's 80 characters.
    const long = `Tag${'x'.repeat(60)}`;
    expect(nsgRules(context, users, target([Peer.serviceTag(long)])).map(r => r.name)).toEqual([`Segura-In-PRD-from-USERW-Tcp-${long}`.slice(0, 80)]);
    expect(errorOf(() => nsgRules(context, users, target(tags(21)))).message)
      .toBe('users: 21 service tags: a rule slot holds 20 (each tag takes a rule of its own); use fewer tags, or prefixes');
  });
});

describe('slots and priorities', () => {
  test('a rule without a slot, or whose slot reaches the band left to the user\'s rules, is the library\'s bug, said so', () => {
    expect(errorOf(() => nsgRules(context, users, target([Peer.ipv4('10.1.0.0/16')], []))).message)
      .toBe('segura-constructs: no priority slot for ingress|USERW|tcp (run `npx projen generate`; please report this bug)');
    // Slot 77 is the last below 4000 (100 + 50 x 77 = 3950); slot 78 would start at 4000.
    const at = (slot: number) => [...Array.from({ length: slot }, (_, i) => `filler|${i}`), 'ingress|USERW|tcp'];
    expect(nsgRules(context, users, target([Peer.ipv4('10.1.0.0/16'), Peer.ipv6('2001:db8::/32')], at(77))).map(r => r.priority)).toEqual([3950, 3960]);
    const e = errorOf(() => nsgRules(context, users, target([Peer.ipv4('10.1.0.0/16')], at(78))));
    expect(e.message).toBe('segura-constructs: rule Segura-In-PRD-from-USERW-Tcp would need priority 4000, in the band left to your rules (4000-4095; please report this bug)');
  });

  test('a gateway\'s NSG: the Primary and the members share its rules, named after both', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.DOMUM] });
    const rules = nsgRules(context, flows, {
      holders: new Map([[Role.DOMUM, 'asg-domum']]),
      peersOf: role => [asg(role)],
      combinedPeers: [Role.PRD, Role.MBR],
      slots: PRIORITY_SLOTS.DOMUM,
      tokenString: String,
    });
    expect(rules.map(r => [r.name, r.direction, r.ports, r.roles, r.description])).toEqual([
      ['Segura-In-DOMUM-from-PRD_MBR-Tcp', 'Inbound', ['443', '51445'], [Role.PRD, Role.MBR],
        'DOM-P2D-WEBSOCKET DOM-P2D-WSS: WebSocket 51445, WSS 443/tcp PRD+MBR to DOMUM (cluster note)'],
      ['Segura-Out-DOMUM-to-PRD_MBR-Tcp', 'Outbound', ['443', '51445'], [Role.PRD, Role.MBR],
        'DOM-D2P-WEBSOCKET DOM-D2P-WSS: WebSocket 51445, WSS 443/tcp DOMUM to PRD+MBR (cluster note)'],
    ]);
  });
});

describe('an NSG\'s usage across the constructs writing on it', () => {
  test('a rule name twice on one NSG is the library\'s bug, said so; the ASGs of both sides are counted once each', () => {
    const rule = (name: string, asgIds: string[]) => ({
      name, priority: 100, direction: 'Inbound' as const, protocol: 'Tcp' as const, ports: ['22'], source: { prefix: '10.0.0.0/8' }, destination: { asgIds }, description: '',
    });
    const usage = newUsage();
    addToUsage(usage, [rule('a', ['x', 'y']), { ...rule('b', ['y']), source: { asgIds: ['z'] } }], 'nsg');
    expect([...usage.names]).toEqual(['a', 'b']);
    expect([...usage.asgs].sort()).toEqual(['x', 'y', 'z']);
    expect(() => addToUsage(usage, [rule('a', ['x'])], 'nsg')).toThrow('segura-constructs: rule name a used twice (please report this bug)');
  });
});

describe('the deny-all rules', () => {
  test('one per direction at 4096, every protocol, port and address, each saying which of Azure\'s defaults it overrides', () => {
    const stack = new TerraformStack(Testing.app(), 'S');
    const nsg = new NetworkSecurityGroup(stack, 'Nsg', { name: 'nsg', location: 'westeurope', resourceGroupName: 'rg' });
    renderDenyAll(stack, nsg, 'rg');
    const rules = Object.values(JSON.parse(Testing.synth(stack)).resource.azurerm_network_security_rule) as Array<Record<string, unknown>>;
    const fields = (r: Record<string, unknown>) =>
      [r.name, r.priority, r.direction, r.access, r.protocol, r.source_address_prefix, r.destination_port_range, r.description];
    expect(rules.map(fields)).toEqual([
      ['Segura-DenyAllInbound', 4096, 'Inbound', 'Deny', '*', '*', '*',
        'Deny what the Segura firewall matrix does not allow (overrides Azure\'s AllowVnetInBound)'],
      ['Segura-DenyAllOutbound', 4096, 'Outbound', 'Deny', '*', '*', '*',
        'Deny what the Segura firewall matrix does not allow (overrides Azure\'s AllowVnetOutBound/AllowInternetOutBound)'],
    ]);
  });
});

describe('rules written', () => {
  test('a deploy-time port is written as the token\'s string', () => {
    const stack = new TerraformStack(Testing.app(), 'S');
    const nsg = new NetworkSecurityGroup(stack, 'Nsg', { name: 'nsg', location: 'westeurope', resourceGroupName: 'rg' });
    const smtp = new TerraformVariable(stack, 'SmtpPort', { type: 'number', default: 587 });
    const flows = planFlows({ peerRoles: [Role.MAIL_SERVER], clusterMembers: false, portOverrides: { 'MGT-SMTP': smtp.numberValue } }, v => Token.isUnresolved(v));
    renderNsgRules(stack, renderContext(v => Token.isUnresolved(v)), flows, {
      nsg,
      resourceGroupName: 'rg',
      kind: NSG_KINDS[0],
      holders: new Map([[Role.PRD, 'asg-prd']]),
      peersOf: role => (role === Role.MAIL_SERVER ? [Peer.ipv4('10.30.0.3/32')] : [asg(role)]),
      usage: newUsage(),
    });
    const rules = Object.values(JSON.parse(Testing.synth(stack)).resource.azurerm_network_security_rule) as Array<Record<string, unknown>>;
    expect(rules.map(r => [r.name, r.destination_port_range, r.destination_port_ranges, r.destination_address_prefix])).toEqual([
      ['Segura-Out-PRD-to-MAIL-Tcp', '${var.SmtpPort}', undefined, '10.30.0.3/32'],
    ]);
  });
});
