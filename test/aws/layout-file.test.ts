/**
 * The `layoutFile` option on the constructs (AWS): synth writes where each rule went;
 * the next synth reads it, so appending peers keeps every rule's group (read from the
 * template: the group each rule's `GroupId` names) and rewrites the file; a record that
 * cannot hold the configuration gives a warning naming the moves; a bad file is a
 * SeguraValidationError naming `layoutFile`.
 */
import '../support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidr, FULL } from './helpers';
import { DomumGateway, SeguraCluster, SeguraClusterOptions } from '../../lib/aws';
import { SeguraValidationError } from '../../lib/errors';
import { groupId, ruleFacts, synthTemplates } from '../support/aws-evaluator';

jest.setTimeout(60_000);

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-layout-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(DIR, `layout-${n++}.json`);

/** n device /24s no aggregation can merge: 10.100.0.0/24, 10.100.2.0/24, ...; n servers likewise. */
const devices = (k: number) => Array.from({ length: k }, (_, i) => cidr(`10.100.${i * 2}.0/24`));
const servers = (k: number) => Array.from({ length: k }, (_, i) => cidr(`172.16.${i * 2}.1/32`));

interface Synthesized {
  /** Each rule by content (`holder|direction|peer|protocol:ports`) -> the construct ID of its group. */
  readonly groups: Map<string, string>;
  readonly stack: Stack;
}

/** Build the cluster and a Domum Gateway with `options`, synthesize, and read each rule's group from the template. */
function synth(options: SeguraClusterOptions, gatewayFile?: string, context?: Record<string, unknown>): Synthesized {
  const app = new App({ context });
  const stack = new Stack(app, 'S');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'] });
  const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...options });
  const domum = new DomumGateway(stack, 'Domum', { vpc, cluster, layoutFile: gatewayFile });
  // Each group by its template name: the holder (the path of its first group) and its own construct ID.
  const byId = new Map<string, { holder: string; id: string; role: string }>();
  for (const [role, list] of [['PRD', cluster.primarySecurityGroups], ['MBR', cluster.memberSecurityGroups], ['DOMUM', domum.securityGroups]] as const) {
    for (const g of list) byId.set(groupId(g), { holder: list[0].node.path, id: g.node.id, role });
  }
  const groups = new Map<string, string>();
  for (const f of ruleFacts(synthTemplates(app))) {
    if (f.peer === 'cidr:255.255.255.255/32' && f.protocol === 'icmp') continue;
    const at = byId.get(f.group)!;
    const peer = f.peer.startsWith('sg:') ? `role:${byId.get(f.peer.slice(3))!.role}` : f.peer.replace(/^cidr6?:/, '');
    const ports = f.fromPort === f.toPort ? `${f.fromPort}` : `${f.fromPort}-${f.toPort}`;
    groups.set(`${at.holder}|${f.direction}|${peer} ${f.protocol}:${ports}`, at.id);
  }
  return { groups, stack };
}

/** The file's rules as `holder|direction|rule` -> group construct ID. */
function fileGroups(file: string): Map<string, string> {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = new Map<string, string>();
  for (const [holder, entry] of Object.entries<any>(json.holders)) {
    for (const [d, groups] of Object.entries<any>(entry)) for (const [g, rules] of Object.entries<string[]>(groups)) for (const r of rules) out.set(`${holder}|${d}|${r}`, g);
  }
  return out;
}

const errorOf = (run: () => void): Error | undefined => { try { run(); } catch (e) { return e as Error; } return undefined; };

describe('layoutFile', () => {
  test('synth writes the file: every rule of the template in the group the template puts it, one entry per holder, sorted', () => {
    const file = freshFile();
    const { groups } = synth({ ...FULL, devices: devices(16), layoutFile: file }, file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.version).toBe(1);
    expect(Object.keys(json.holders)).toEqual(['S/Domum/SecurityGroup', 'S/Segura/MemberSecurityGroup', 'S/Segura/PrimarySecurityGroup']);
    expect(Object.keys(json.holders['S/Segura/PrimarySecurityGroup'].egress))
      .toEqual(['PrimarySecurityGroup', 'PrimarySecurityGroup2', 'PrimarySecurityGroup3', 'PrimarySecurityGroup4']);
    // The file also keeps the room reserved for an Arbitrator not attached (its rules are not in the template).
    const recorded = fileGroups(file);
    expect(new Map([...recorded].filter(([rule]) => !rule.includes('|role:ARB ')))).toEqual(groups);
    expect([...recorded.keys()].filter(rule => rule.includes('|role:ARB ')).length).toBeGreaterThan(0);
    // Pretty-printed and sorted: written again as the library writes it, the same text.
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(json, undefined, 2)}\n`);
    expect(text.split('\n').length).toBeGreaterThan(200);
  });

  test('appending two device networks: every existing rule stays in its group, the file is rewritten; without the file, rules move', () => {
    // Two roles spill outbound: the devices, then 25 syslog servers after them in the role table.
    const estate = (k: number): SeguraClusterOptions => ({ ...FULL, management: { ...FULL.management, syslog: servers(25) }, devices: devices(k) });
    const file = freshFile();
    const before = synth({ ...estate(10), layoutFile: file }, file);
    const firstText = fs.readFileSync(file, 'utf8');
    const after = synth({ ...estate(12), layoutFile: file }, file);
    for (const [rule, g] of before.groups) expect({ rule, g: after.groups.get(rule) }).toEqual({ rule, g });
    // Each device network: 11 outbound rules on the Primary and 11 on the members.
    expect(after.groups.size).toBe(before.groups.size + 2 * 11 + 2 * 11);
    expect(fs.readFileSync(file, 'utf8')).not.toBe(firstText);
    expect(new Map([...fileGroups(file)].filter(([rule]) => !rule.includes('|role:ARB ')))).toEqual(after.groups);
    expect(Annotations.fromStack(after.stack).findWarning('*', Match.stringLikeRegexp('layoutFile'))).toEqual([]);
    // The same change without the file shifts the syslog servers' rules along, between groups (what the file is for).
    const [x, y] = [synth(estate(10)).groups, synth(estate(12)).groups];
    expect([...x].filter(([rule, g]) => y.get(rule) !== g).length).toBeGreaterThan(0);
  });

  test('Telnet off and on again: each device\'s SSH rule (tcp:22-23, then tcp:22) keeps its group; the template comes back the same', () => {
    const estate: SeguraClusterOptions = { ...FULL, devices: devices(12) };
    const file = freshFile();
    const before = synth({ ...estate, layoutFile: file }, file);
    const off = synth({ ...estate, layoutFile: file, disabledRules: ['DVC-TELNET'] }, file);
    // The merged SSH+Telnet rule becomes an SSH rule: the same peer, the same group.
    const ssh = [...before.groups].filter(([rule]) => rule.endsWith(' tcp:22-23'));
    expect(ssh.length).toBe(2 * 12);
    for (const [rule, g] of ssh) expect({ rule, g: off.groups.get(rule.replace(/ tcp:22-23$/, ' tcp:22')) }).toEqual({ rule, g });
    expect(off.groups.size).toBe(before.groups.size);
    const on = synth({ ...estate, layoutFile: file }, file);
    expect(on.groups).toEqual(before.groups);
    expect(Annotations.fromStack(on.stack).findWarning('*', Match.stringLikeRegexp('layoutFile'))).toEqual([]);
  });

  test('a network that aggregates with a listed one: the wider prefix\'s rules take the groups of the prefix it absorbed', () => {
    const file = freshFile();
    const before = synth({ ...FULL, devices: devices(12), layoutFile: file }, file);
    // 10.100.21.0/24 and the listed 10.100.20.0/24 aggregate into 10.100.20.0/23.
    const after = synth({ ...FULL, devices: [...devices(12), cidr('10.100.21.0/24')], layoutFile: file }, file);
    const absorbed = [...before.groups].filter(([rule]) => rule.includes('|10.100.20.0/24 '));
    expect(absorbed.length).toBe(2 * 11);
    for (const [rule, g] of absorbed) expect({ rule, g: after.groups.get(rule.replace('|10.100.20.0/24 ', '|10.100.20.0/23 ')) }).toEqual({ rule, g });
    for (const [rule, g] of before.groups) if (!rule.includes('|10.100.20.0/24 ')) expect({ rule, g: after.groups.get(rule) }).toEqual({ rule, g });
  });

  test('a peer given by Fn.importValue is recorded by its CloudFormation expression, not its token\'s text: its rules stay on an append', () => {
    // Each synth makes a new token (another text) for the same imported prefix list, as an app that creates other tokens first does.
    const estate = (k: number): SeguraClusterOptions => ({
      ...FULL,
      management: { ...FULL.management, syslog: servers(25) },
      devices: [...devices(10), ec2.Peer.prefixList(Fn.importValue('SharedDeviceList')), ...devices(k).slice(10)],
    });
    const file = freshFile();
    const before = synth({ ...estate(10), layoutFile: file }, file);
    const imported = [...before.groups].filter(([rule]) => rule.includes('|pl:{"Fn::ImportValue":"SharedDeviceList"} '));
    expect(imported.length).toBe(2 * 11);
    const after = synth({ ...estate(12), layoutFile: file }, file);
    for (const [rule, g] of before.groups) expect({ rule, g: after.groups.get(rule) }).toEqual({ rule, g });
    expect(fs.readFileSync(file, 'utf8')).toContain('"{\\"Fn::ImportValue\\":\\"SharedDeviceList\\"} tcp:443"');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('${Token[');
  });

  test('written only when its content changes: the same configuration writes nothing; a reformatted file is written back sorted', () => {
    const file = freshFile();
    synth({ ...FULL, layoutFile: file }, file);
    const text = fs.readFileSync(file, 'utf8');
    // The file is written whole, as a new file renamed over the old one: a write gives it a new inode.
    const inode = () => fs.statSync(file).ino;
    const first = inode();
    synth({ ...FULL, layoutFile: file }, file);
    expect(inode()).toBe(first);
    fs.writeFileSync(file, JSON.stringify(JSON.parse(text)));
    const compact = inode();
    synth({ ...FULL, layoutFile: file }, file);
    expect(inode()).not.toBe(compact);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    // Saved with a byte-order mark (some Windows editors): read as the same content, and written back without it.
    fs.writeFileSync(file, `\uFEFF${text}`);
    synth({ ...FULL, layoutFile: file }, file);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    // Checked out with Windows line endings (git's core.autocrlf): the same content, left as it is.
    fs.writeFileSync(file, text.replace(/\n/g, '\r\n'));
    const crlf = inode();
    synth({ ...FULL, layoutFile: file }, file);
    expect(inode()).toBe(crlf);
  });

  test('a record that no longer holds (ruleQuota lowered to 50, a fifth group): laid out afresh, with a warning naming the moves, recorded once accepted', () => {
    const file = freshFile();
    const before = synth({ ...FULL, devices: devices(16), layoutFile: file }, file);
    const after = synth({ ...FULL, devices: devices(16), layoutFile: file, ruleQuota: 50, maxSecurityGroups: 5 }, file);
    const moved = [...before.groups].filter(([rule, g]) => after.groups.get(rule) !== g);
    const movedOn = (holder: string) => moved.filter(([rule]) => rule.startsWith(`S/Segura/${holder}|`)).length;
    expect(movedOn('PrimarySecurityGroup')).toBeGreaterThan(0);
    const warnings = Annotations.fromStack(after.stack).findWarning('/S/Segura', Match.stringLikeRegexp('layoutFile'));
    const texts = warnings.map(w => String(w.entry.data));
    const primary = texts.find(t => t.includes('S/Segura/PrimarySecurityGroup (PRD)'))!;
    // How many (counted from the two templates), why, and the acknowledgement ID.
    expect(primary).toMatch(new RegExp(`^layoutFile ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${movedOn('PrimarySecurityGroup')} rules of S/Segura/PrimarySecurityGroup \\(PRD\\) move to another group`));
    expect(primary).toMatch(/count 60 ipv4 rules, over ruleQuota 50/);
    // Between which groups, and whose rules: as the two templates differ.
    const count = (keys: string[]) => [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())];
    const onPrimary = moved.filter(([rule]) => rule.startsWith('S/Segura/PrimarySecurityGroup|'));
    const pairs = count(onPrimary.map(([rule, g]) => `${g} to ${after.groups.get(rule)}`)).map(([pair, k]) => `${k} from ${pair}`);
    expect(/move to another group \(([^)]*)\)/.exec(primary)![1].split(', ').sort()).toEqual(pairs.sort());
    const whose = count(onPrimary.map(([rule]) => rule.split('|')[2].split(' ')[0])).map(([peer, k]) => `${peer} (${k})`);
    expect(/rules move \(how many rules\): (.*?)\. On deploy/.exec(primary)![1].split(', ').sort()).toEqual(whose.sort());
    expect(primary).toMatch(/\[ack: segura-constructs:layout-moved\]$/);
    // The file keeps the recorded placement until the moves are accepted (it is written before synth ends: a later
    // error or `--strict` must not turn the next synth's moves silent): the same layout, the same warning, every synth.
    expect(primary).toContain('keeps the recorded placement, so every synth lays these groups out afresh and says so, until you accept the moves: synth once with `-c segura-constructs:acceptLayoutMoves=true`');
    const recorded = fs.readFileSync(file, 'utf8');
    const lowered = { ...FULL, devices: devices(16), layoutFile: file, ruleQuota: 50, maxSecurityGroups: 5 };
    const again = synth(lowered, file);
    expect(again.groups).toEqual(after.groups);
    expect(Annotations.fromStack(again.stack).findWarning('*', Match.stringLikeRegexp('layoutFile')).map(w => w.entry.data)).toEqual(warnings.map(w => w.entry.data));
    expect(fs.readFileSync(file, 'utf8')).toBe(recorded);
    // Accepted (`-c segura-constructs:acceptLayoutMoves=true` gives the string): the same layout, the warning says the file records it.
    const accepted = synth(lowered, file, { 'segura-constructs:acceptLayoutMoves': 'true' });
    expect(accepted.groups).toEqual(after.groups);
    const acceptedTexts = Annotations.fromStack(accepted.stack).findWarning('/S/Segura', Match.stringLikeRegexp('layoutFile')).map(w => String(w.entry.data));
    expect(acceptedTexts.find(t => t.includes('S/Segura/PrimarySecurityGroup (PRD)'))).toContain(`${file} now records the new placement (segura-constructs:acceptLayoutMoves is true); commit it.`);
    expect(fs.readFileSync(file, 'utf8')).not.toBe(recorded);
    // The next synth reads the new placement: nothing moves, no warning.
    const settled = synth(lowered, file);
    expect(settled.groups).toEqual(after.groups);
    expect(Annotations.fromStack(settled.stack).findWarning('*', Match.stringLikeRegexp('layoutFile'))).toEqual([]);
  });

  test('the context value segura-constructs:acceptLayoutMoves is true or false (or their strings), else a SeguraValidationError naming it', () => {
    const file = freshFile();
    synth({ ...FULL, devices: devices(16), layoutFile: file }, file);
    const error = errorOf(() => synth({ ...FULL, devices: devices(16), layoutFile: file, ruleQuota: 50, maxSecurityGroups: 5 }, file,
      { 'segura-constructs:acceptLayoutMoves': 'yes' }));
    expect(error).toBeInstanceOf(SeguraValidationError);
    expect((error as SeguraValidationError).property).toBe('context segura-constructs:acceptLayoutMoves');
    expect(error!.message).toContain('is "yes"; expected true or false');
  });

  test('a malformed file, another version, or a group that is not the holder\'s: a SeguraValidationError naming layoutFile and the path', () => {
    const file = freshFile();
    const cases: Array<[string, RegExp]> = [
      ['{ "version": 1, "holders": ', /is not valid JSON/],
      ['{ "version": 2, "holders": {} }', /has version 2; this version of segura-constructs reads and writes version 1/],
      ['{ "version": 1 }', /has no "holders" object/],
      ['{ "version": 1, "holders": { "S/Segura/PrimarySecurityGroup": { "egress": { "PrimarySecurityGroup2": [443] } } } }', /is not a list of rules/],
      ['{ "version": 1, "holders": { "S/Segura/PrimarySecurityGroup": { "egress": { "MemberSecurityGroup2": ["10.0.0.0/8 tcp:22"] } } } }',
        /names group "MemberSecurityGroup2"; the groups of that holder are PrimarySecurityGroup, PrimarySecurityGroup2/],
    ];
    for (const [text, message] of cases) {
      fs.writeFileSync(file, text);
      const error = errorOf(() => synth({ ...FULL, layoutFile: file }));
      expect(error).toBeInstanceOf(SeguraValidationError);
      expect((error as SeguraValidationError).property).toBe('layoutFile');
      expect(error!.message).toContain(`layoutFile: ${file}: `);
      expect(error!.message).toMatch(message);
      // Left as it was: the user's file is not overwritten.
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
    }
    // A file that cannot be written (here its temporary path is taken by a directory): the same error, the old file kept.
    fs.writeFileSync(file, '{ "version": 1, "holders": {} }\n');
    const temporary = `${file}.${process.pid}.tmp`;
    fs.mkdirSync(temporary);
    const unwritable = errorOf(() => synth({ ...FULL, layoutFile: file }));
    fs.rmdirSync(temporary);
    expect([unwritable instanceof SeguraValidationError, (unwritable as SeguraValidationError).property]).toEqual([true, 'layoutFile']);
    expect(unwritable!.message).toMatch(new RegExp(`^layoutFile: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be written \\(EISDIR`));
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "version": 1, "holders": {} }\n');
    for (const value of ['', 42]) {
      const error = errorOf(() => synth({ ...FULL, layoutFile: value as any }));
      expect([error instanceof SeguraValidationError, (error as SeguraValidationError).property]).toEqual([true, 'layoutFile']);
    }
  });
});
