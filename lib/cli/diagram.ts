/**
 * The roles as nodes, grouped as the document groups them (the role table's
 * groups), and the flows as edges labelled with protocols and ports.
 */
import { MatrixLines } from './lines';
import { Section, SECTION_TITLES } from '../core/matrix';
import { ALL_ROLES, RoleGroup, ROLES } from '../core/roles';

const nodeId = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');

interface Edge { source: string; destination: string; section: Section; label: string }

/** One edge per section, source role and destination role, labelled with every protocol and port. */
function edges(lines: MatrixLines): Edge[] {
  const groups = new Map<string, { source: string; destination: string; section: Section; ports: Map<string, Set<number>> }>();
  for (const l of lines) {
    const key = `${l.section}|${l.source}|${l.destination}`;
    const g = groups.get(key) ?? { source: l.source, destination: l.destination, section: l.section, ports: new Map() };
    const set = g.ports.get(l.protocol) ?? new Set<number>();
    set.add(l.fromPort);
    g.ports.set(l.protocol, set);
    groups.set(key, g);
  }
  return [...groups.values()].map(g => ({
    source: g.source,
    destination: g.destination,
    section: g.section,
    label: [...g.ports.entries()].map(([p, ports]) => `${p} ${[...ports].sort((a, b) => a - b).join(', ')}`).join('; '),
  }));
}

/** A diagram node: its ID and label. */
interface DiagramNode { readonly id: string; readonly label: string }

/**
 * An edge between two hosts of the same role (member to member) goes to a second
 * node of that role, so that it shows: `MBR` -> `MBR (another member)`.
 */
const otherOf = (role: string): DiagramNode => ({ id: `${nodeId(role)}_other`, label: `${role} (another ${role === 'MBR' ? 'member' : 'host'})` });
const ends = (e: Edge): [string, string] => [nodeId(e.source), e.source === e.destination ? otherOf(e.destination).id : nodeId(e.destination)];

/** The diagram groups in order, each with the nodes present in the edges. */
function nodeGroups(all: Edge[]): Array<[string, DiagramNode[]]> {
  const present = new Set(all.flatMap(e => [e.source, e.destination]));
  const doubled = new Set(all.filter(e => e.source === e.destination).map(e => e.source));
  return Object.values(RoleGroup).map(group => [group, ALL_ROLES.filter(r => ROLES[r].group === group && present.has(r))
    .flatMap(r => [{ id: nodeId(r), label: r }, ...(doubled.has(r) ? [otherOf(r)] : [])])] as [string, DiagramNode[]])
    .filter(([, nodes]) => nodes.length > 0);
}

/** A Mermaid flowchart. */
export function* renderMermaid(lines: MatrixLines): Iterable<string> {
  const all = edges(lines);
  const out = ['flowchart LR'];
  for (const [title, nodes] of nodeGroups(all)) {
    out.push(`  subgraph ${nodeId(title)}["${title}"]`, ...nodes.map(n => `    ${n.id}["${n.label}"]`), '  end');
  }
  for (const section of Object.values(Section)) {
    const list = all.filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  %% ${SECTION_TITLES[section]}`);
    for (const e of list) {
      const [from, to] = ends(e);
      out.push(`  ${from} -->|"${e.label}"| ${to}`);
    }
  }
  yield out.join('\n') + '\n';
}

/** A Graphviz digraph with the same grouping. */
export function* renderDot(lines: MatrixLines): Iterable<string> {
  const all = edges(lines);
  const out = ['digraph segura {', '  rankdir=LR;', '  node [shape=box];'];
  nodeGroups(all).forEach(([title, nodes], i) => {
    out.push(`  subgraph cluster_${i} {`, `    label="${title}";`, ...nodes.map(n => `    ${n.id} [label="${n.label}"];`), '  }');
  });
  for (const section of Object.values(Section)) {
    const list = all.filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  // ${SECTION_TITLES[section]}`);
    for (const e of list) {
      const [from, to] = ends(e);
      out.push(`  ${from} -> ${to} [label="${e.label}"];`);
    }
  }
  out.push('}');
  yield out.join('\n') + '\n';
}
