/**
 * Reading a synthesized output back: how many rules it emits, and, for the
 * same-flows check, what it allows, with groups named by role instead of by ID.
 */
import * as fs from 'fs';
import * as path from 'path';
import { atoms, interval, ruleFacts, union } from '../test/support/aws-evaluator';

function roleOfDescription(description: string): string {
  const m = /\b(PRD|MBR|DOMUM|ARB)\b|(Domum)|(Arbitrator)/.exec(description);
  return m ? (m[1] ?? (m[2] ? 'DOMUM' : 'ARB')) : description;
}

/**
 * AWS: each node's rules (the Primary's, the members', over all of their groups) per direction and family, keyed
 * `role|direction|family`; a reference to a group counts in both families.
 */
export function rulesPerRole(outdir: string): Map<string, number> {
  const templates: Record<string, any> = {};
  for (const f of fs.readdirSync(outdir).filter(x => x.endsWith('.template.json'))) {
    templates[f.replace('.template.json', '')] = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
  }
  const roleOf = new Map<string, string>();
  for (const [stack, t] of Object.entries(templates)) {
    for (const [id, r] of Object.entries<any>(t.Resources)) {
      if (r.Type === 'AWS::EC2::SecurityGroup') roleOf.set(`${stack}/${id}`, roleOfDescription(r.Properties.GroupDescription));
    }
  }
  const out = new Map<string, number>();
  for (const f of ruleFacts(templates).filter(x => !(x.peer === 'cidr:255.255.255.255/32' && x.protocol === 'icmp'))) {
    const role = roleOf.get(f.group);
    if (role !== 'PRD' && role !== 'MBR') continue;
    for (const family of f.peer.startsWith('cidr:') ? ['ipv4'] : f.peer.startsWith('cidr6:') ? ['ipv6'] : ['ipv4', 'ipv6']) {
      const key = `${role}|${f.direction}|${family}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

export function countRules(cloud: 'aws' | 'azure', outdir: string, withFacts: boolean): { rules: number; groups: number; facts?: string[] } {
  if (cloud === 'aws') {
    const templates: Record<string, any> = {};
    for (const f of fs.readdirSync(outdir).filter(x => x.endsWith('.template.json'))) {
      templates[f.replace('.template.json', '')] = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
    }
    const facts = ruleFacts(templates).filter(f => !(f.peer === 'cidr:255.255.255.255/32' && f.protocol === 'icmp'));
    const groups = Object.values(templates).flatMap(t => Object.values<any>(t.Resources)).filter(r => r.Type === 'AWS::EC2::SecurityGroup').length;
    if (!withFacts) return { rules: facts.length, groups };
    // Name groups by role (from their descriptions), so that library and hand-written compare.
    const roleOf = new Map<string, string>();
    for (const [stack, t] of Object.entries(templates)) {
      for (const [id, r] of Object.entries<any>(t.Resources)) {
        if (r.Type === 'AWS::EC2::SecurityGroup') roleOf.set(`${stack}/${id}`, roleOfDescription(r.Properties.GroupDescription));
      }
    }
    // Groups named by the role that wears them (a role may wear several), addresses as intervals.
    return { rules: facts.length, groups, facts: [...atoms(facts, g => roleOf.get(g) ?? g)].sort() };
  }
  const stacks = path.join(outdir, 'stacks');
  let rules = 0;
  let groups = 0;
  const facts = new Set<string>();
  // Prefixes compare by the addresses they cover (the library aggregates 10.0.0.0/32 and 10.0.0.1/32 into a /31).
  const prefixes = new Map<string, Array<[bigint, bigint]>>();
  const isPrefix = (end: string) => /^[0-9a-f:.]+\/\d+$/i.test(end);
  for (const s of fs.readdirSync(stacks)) {
    const tf = JSON.parse(fs.readFileSync(path.join(stacks, s, 'cdk.tf.json'), 'utf8'));
    const byRef = (type: string, attr: string) => new Map(Object.entries<any>(tf.resource?.[type] ?? {}).map(([k, r]) => [`\${${type}.${k}.${attr}}`, r.name]));
    const asgs = byRef('azurerm_application_security_group', 'id');
    const nsgs = byRef('azurerm_network_security_group', 'name');
    groups += nsgs.size;
    for (const r of Object.values<any>(tf.resource?.azurerm_network_security_rule ?? {})) {
      rules++;
      if (!withFacts) continue;
      const ends = (side: string): string[] => r[`${side}_application_security_group_ids`]?.map((a: string) => asgs.get(a))
        ?? r[`${side}_address_prefixes`] ?? [r[`${side}_address_prefix`]];
      const ports: string[] = r.destination_port_ranges ?? [r.destination_port_range];
      for (const src of ends('source')) {
        for (const dst of ends('destination')) {
          for (const range of ports) {
            const [a, b] = range === '*' ? [0, 0] : range.split('-').map(Number);
            for (let p = a; p <= (b ?? a); p++) {
              const head = [nsgs.get(r.network_security_group_name), r.direction, r.access, r.protocol];
              if (isPrefix(dst) && !isPrefix(src)) {
                const key = [...head, src, 'prefix', p].join('|');
                prefixes.set(key, [...(prefixes.get(key) ?? []), interval(dst)]);
              } else if (isPrefix(src) && !isPrefix(dst)) {
                const key = [...head, 'prefix', dst, p].join('|');
                prefixes.set(key, [...(prefixes.get(key) ?? []), interval(src)]);
              } else {
                facts.add([...head, src, dst, p].join('|'));
              }
            }
          }
        }
      }
    }
  }
  for (const [key, list] of prefixes) for (const [lo, hi] of union(list)) facts.add(key.replace('prefix', `${lo}-${hi}`));
  return { rules, groups, facts: withFacts ? [...facts].sort() : undefined };
}
