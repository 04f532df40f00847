/**
 * Real estate sizes on Azure: aggregation, Azure's limits per rule (4,000 prefixes
 * a side, one address family) and per NSG (100 ASGs, 1,000 rules), with stable
 * priorities for split rules.
 */
import { Annotations, TerraformStack, Testing } from 'cdktf';
import { AZ_FULL, buildAzure, ip } from './helpers';
import * as azure from '../../lib/azure';
import { Peer } from '../../lib/azure/peer';
import { addToUsage, newUsage } from '../../lib/azure/render';
import { NsgRuleSpec, SLOT_BANDS } from '../../lib/azure/rules';
import { SLOT_STRIDE } from '../../lib/azure/slots';
import { SeguraValidationError } from '../../lib/errors';
import { probeAt } from '../support/azure-evaluator';

// Apps with thousands of prefixes, synthesized (and evaluated).
jest.setTimeout(60_000);

const rules = (tf: any) => Object.values<any>(tf.resource.azurerm_network_security_rule).sort((a, b) => a.priority - b.priority);
const nonAdjacent = (n: number) => Array.from({ length: n }, (_, i) => `10.${100 + Math.floor(i / 128)}.${(i % 128) * 2}.0/24`);
const errorOf = (run: () => void): Error | undefined => { try { run(); } catch (e) { return e as Error; } return undefined; };

describe('Azure: lossless aggregation', () => {
  test('64 adjacent device /24s become one /18, and every one of them is reachable exactly as before', () => {
    const devices = Array.from({ length: 64 }, (_, i) => `10.1.${i}.0/24`);
    const built = buildAzure({ devices: devices.map(ip) });
    const dvc = rules(built.tf).filter(r => r.name.includes('-DVC-'));
    expect(dvc.map(r => r.destination_address_prefix ?? r.destination_address_prefixes)).toEqual(['10.1.0.0/18']);
    // Every address and port, evaluated: each configured /24 is a probe of its own, and so is what lies just outside the /18.
    const { evaluation } = built;
    expect(evaluation.extra).toEqual([]);
    expect(evaluation.missing).toEqual([]);
    expect(devices.every(d => probeAt(evaluation, d.split('/')[0]) === d)).toBe(true);
    expect(probeAt(evaluation, '10.1.64.1')).not.toMatch(/^10\.1\.[0-9.]+\/24$/);
  });

  test('an info message says what was merged', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const cluster = new azure.SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', devices: [ip('10.1.0.0/24'), ip('10.1.1.0/24')] });
    Testing.synth(stack);
    const info = cluster.node.metadata.filter(m => m.type === Annotations.name || m.type === 'aws:cdk:info' || String(m.type).includes('info'));
    expect(info.map(m => m.data)).toEqual(['devices: 2 merged into 1 (10.1.0.0/23); the same addresses, fewer prefixes']);
  });
});

describe('Azure: limits per rule', () => {
  test('5,000 device prefixes: rules of at most 4,000 prefixes each, at stable priorities', () => {
    const built = buildAzure({ devices: nonAdjacent(5000).map(ip) });
    const dvc = rules(built.tf).filter(r => r.name.includes('-DVC-'));
    expect(dvc.map(r => [r.name, r.priority, r.destination_address_prefixes.length])).toEqual([
      ['Segura-Out-PRD_MBR-to-DVC-Tcp', 700, 4000],
      ['Segura-Out-PRD_MBR-to-DVC-Tcp-2', 701, 1000],
    ]);
  });

  test('IPv4 and IPv6 prefixes never share a rule; more IPv4 prefixes never move the IPv6 rule', () => {
    const v6 = [Peer.ipv6('2001:db8::/32'), Peer.ipv6('2001:db9::/32')];
    const one = buildAzure({ users: [ip('10.10.0.0/16'), ...v6] });
    const users = (tf: any) => rules(tf).filter(r => r.name.includes('-USERW-'));
    for (const r of users(one.tf)) {
      const prefixes: string[] = r.source_address_prefixes ?? [r.source_address_prefix];
      expect(new Set(prefixes.map(p => p.includes(':')))).toHaveProperty('size', 1);
    }
    expect(users(one.tf).map(r => [r.name, r.priority])).toEqual([['Segura-In-PRD_MBR-from-USERW-Tcp', 650], ['Segura-In-PRD_MBR-from-USERW-Tcp-V6', 660]]);
    const many = buildAzure({ users: [...nonAdjacent(4500).map(ip), ...v6] });
    expect(users(many.tf).map(r => [r.name, r.priority])).toEqual([
      ['Segura-In-PRD_MBR-from-USERW-Tcp', 650], ['Segura-In-PRD_MBR-from-USERW-Tcp-2', 651], ['Segura-In-PRD_MBR-from-USERW-Tcp-V6', 660],
    ]);
  });

  test('the bands of a slot fit in its stride', () => {
    const ends = Object.values(SLOT_BANDS).map(([first, size]) => first + size);
    expect(Math.max(...ends)).toBeLessThanOrEqual(SLOT_STRIDE);
  });
});

describe('Azure: limits per NSG', () => {
  const asg = (i: number) => Peer.applicationSecurityGroupId(`/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a${i}`);

  test('at most 100 application security groups in an NSG\'s rules (the nodes\' own count)', () => {
    expect(() => buildAzure({ users: Array.from({ length: 98 }, (_, i) => asg(i)) })).not.toThrow();
    const e = errorOf(() => buildAzure({ users: Array.from({ length: 99 }, (_, i) => asg(i)) }));
    expect(e).toBeInstanceOf(SeguraValidationError);
    expect(e!.message).toBe('peers: the rules of NSG test/Segura/NetworkSecurityGroup would name 101 application security groups; '
      + 'Azure allows 100 per NSG. Give some peers as address prefixes instead of ASGs');
  });

  test('at most 1,000 rules in an NSG, the deny-all rules included', () => {
    const spec = (i: number): NsgRuleSpec => ({
      name: `r${i}`, priority: 100 + i, direction: 'Inbound', protocol: 'Tcp', ports: ['22'], source: { prefix: '10.0.0.0/8' }, destination: { asgIds: ['a'] }, description: '',
    });
    const usage = newUsage();
    addToUsage(usage, Array.from({ length: 998 }, (_, i) => spec(i)), 'nsg');
    expect(() => addToUsage(usage, [spec(998)], 'nsg')).toThrow('peers: NSG nsg would hold 1001 rules with its deny-all rules; Azure allows 1000 per NSG');
  });

  test('every integration still fits: the example-sized NSG is far from the limits', () => {
    expect(rules(buildAzure(AZ_FULL, { domum: true }).tf).length).toBeLessThan(40);
  });
});
