/**
 * Pinned Azure priorities: every rule's slot is data (lib/azure/priorities.ts),
 * append-only, generated and checked here. A new row never moves an existing rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import { Peer } from '../../lib/azure/peer';
import { PRIORITY_SLOTS } from '../../lib/azure/priorities';
import { NsgRuleSpec, nsgRules } from '../../lib/azure/rules';
import { FIRST_PRIORITY, MAX_SLOTS, NSG_KINDS, SLOT_STRIDE, USER_BAND_FIRST } from '../../lib/azure/slots';
import { FirewallMatrix, MatrixRow, Protocol, Role, Section } from '../../lib/core';
import { planFlows } from '../../lib/core/plan';
import { renderContext } from '../../lib/core/render-context';
import { NODE_ROLES, PEER_ROLES } from '../../lib/core/roles';
import { appendSlots, catalogOf } from '../../scripts/generate/priorities';

const RELEASED = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'azure-priority-slots-released.json'), 'utf8'));

describe('the slot tables', () => {
  test('append-only: every released slot keeps its key', () => {
    for (const [kind, keys] of Object.entries<string[]>(RELEASED)) {
      expect(PRIORITY_SLOTS[kind].slice(0, keys.length)).toEqual(keys);
    }
  });

  test('every key the matrix can produce has a slot, within the priority band', () => {
    for (const kind of NSG_KINDS) {
      const slots = PRIORITY_SLOTS[kind.name];
      for (const key of catalogOf(kind)) expect(slots).toContain(key);
      expect(new Set(slots).size).toBe(slots.length);
      expect(slots.length).toBeLessThanOrEqual(MAX_SLOTS);
      expect(FIRST_PRIORITY + SLOT_STRIDE * slots.length - 1).toBeLessThan(USER_BAND_FIRST);
    }
  });
});

describe('the Azure example\'s rule names and priorities, before and after the pinning', () => {
  test('every rule recorded before the change (test/fixtures/azure-example-priorities.json) keeps its name and priority; new ones come after', () => {
    const { stack } = buildAzureExample(Testing.app());
    const tf = JSON.parse(Testing.synth(stack));
    const nsgs = tf.resource.azurerm_network_security_group;
    const nsgName = (ref: string) => Object.entries<any>(nsgs).find(([k]) => ref.includes(`.${k}.`))![1].name;
    const actual: Record<string, Record<string, number>> = {};
    for (const r of Object.values<any>(tf.resource.azurerm_network_security_rule)) {
      (actual[nsgName(r.network_security_group_name)] ??= {})[r.name] = r.priority;
    }
    const recorded: Record<string, Record<string, number>> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'azure-example-priorities.json'), 'utf8'));
    for (const [nsg, rules] of Object.entries(recorded)) {
      for (const [name, priority] of Object.entries(rules)) expect({ nsg, name, priority: actual[nsg]?.[name] }).toEqual({ nsg, name, priority });
      // Rules the example gained since (member to member, the Arbitrator's) take slots after every released one.
      const kind = nsg === 'segura-nsg' ? 'PRD_MBR' : 'DOMUM';
      for (const [name, priority] of Object.entries(actual[nsg])) {
        const appended = priority >= FIRST_PRIORITY + SLOT_STRIDE * RELEASED[kind].length;
        if (!(name in rules)) expect({ name, appended }).toEqual({ name, appended: true });
      }
    }
  });
});

describe('adding a row to a copy of the matrix moves no existing rule', () => {
  /** Every peer role configured, one prefix each; the nodes as ASGs. */
  const layout = (rows: readonly MatrixRow[], slots: readonly string[], without: Role): NsgRuleSpec[] => {
    const flows = planFlows({ peerRoles: PEER_ROLES.filter(r => r !== Role.DOMUM && r !== without) }, undefined, rows);
    return nsgRules(renderContext(() => false), flows, {
      holders: new Map(NODE_ROLES.map(r => [r, `asg-${r}`])),
      peersOf: role => NODE_ROLES.includes(role) ? [Peer.applicationSecurityGroupId(`asg-${role}`)] : [Peer.ipv4('10.9.0.0/16')],
      slots,
      tokenString: String,
    });
  };
  const row = (id: string, protocol: Protocol, destination: Role, port: number, service: string, section = Section.MANAGEMENT): MatrixRow =>
    ({ id, ordinal: 0, section, protocol, source: Role.PRD, destination, port, service });
  // A new kind of rule (NTS on tcp toward the NTP servers), inserted first in the document,
  // and a new port on an existing kind of rule (VNC toward the devices), inserted in the middle.
  const copy = [row('MGT-NTS', Protocol.TCP, Role.NTP_SERVER, 4460, 'NTS'), ...FirewallMatrix.ALL_ROWS.slice(0, 20),
    row('DVC-VNC', Protocol.TCP, Role.DVC, 5900, 'VNC', Section.DEVICES), ...FirewallMatrix.ALL_ROWS.slice(20)]
    .map((r, i) => ({ ...r, ordinal: i + 1 }));

  test.each([Role.APT_PROXY, Role.PACKAGE_MIRROR])('no existing rule changes its name or priority (without %s)', (without) => {
    const cluster = NSG_KINDS[0];
    const grown = appendSlots(PRIORITY_SLOTS, copy)[cluster.name];
    // The generator appended the new kind of rule at the end; existing slots are unchanged.
    expect(grown.slice(0, PRIORITY_SLOTS[cluster.name].length)).toEqual(PRIORITY_SLOTS[cluster.name]);
    expect(grown.slice(PRIORITY_SLOTS[cluster.name].length)).toEqual(['egress|NTP SERVER|tcp']);

    const before = layout(FirewallMatrix.ALL_ROWS, PRIORITY_SLOTS[cluster.name], without);
    const after = layout(copy, grown, without);
    const byName = (rules: NsgRuleSpec[]) => new Map(rules.map(r => [r.name, r.priority]));
    for (const [name, priority] of byName(before)) expect(byName(after).get(name)).toBe(priority);
    // The new rule is there, after every existing one; VNC joined the devices' rule.
    const nts = after.find(r => r.name === 'Segura-Out-PRD_MBR-to-NTP-Tcp')!;
    expect(nts.priority).toBe(FIRST_PRIORITY + SLOT_STRIDE * PRIORITY_SLOTS[cluster.name].length);
    expect(after.find(r => r.name === 'Segura-Out-PRD_MBR-to-DVC-Tcp')!.ports).toContain('5900');
    expect(after).toHaveLength(before.length + 1);
  });

  test('control: priorities from document order would have moved most rules', () => {
    const cluster = NSG_KINDS[0];
    const positional = catalogOf(cluster, copy);
    const moved = PRIORITY_SLOTS[cluster.name].filter((key, slot) => positional.indexOf(key) !== slot);
    expect(moved.length).toBeGreaterThan(PRIORITY_SLOTS[cluster.name].length / 2);
  });
});
