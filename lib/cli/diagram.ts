/**
 * The roles as nodes, grouped as the document groups them (the role table's
 * groups), and the flows as edges labelled with protocols and ports.
 */
import { Write } from './formats';
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

/** The diagram groups in order, each with the roles present in `lines`. */
function nodeGroups(all: Edge[]): Array<[string, string[]]> {
  const present = new Set(all.flatMap(e => [e.source, e.destination]));
  return Object.values(RoleGroup).map(group => [group, ALL_ROLES.filter(r => ROLES[r].group === group && present.has(r))] as [string, string[]])
    .filter(([, roles]) => roles.length > 0);
}

/** A Mermaid flowchart. */
export function renderMermaid(lines: MatrixLines, write: Write): void {
  const all = edges(lines);
  const out = ['flowchart LR'];
  for (const [title, roles] of nodeGroups(all)) {
    out.push(`  subgraph ${nodeId(title)}["${title}"]`, ...roles.map(r => `    ${nodeId(r)}["${r}"]`), '  end');
  }
  for (const section of Object.values(Section)) {
    const list = all.filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  %% ${SECTION_TITLES[section]}`);
    for (const e of list) out.push(`  ${nodeId(e.source)} -->|"${e.label}"| ${nodeId(e.destination)}`);
  }
  write(out.join('\n') + '\n');
}

/** A Graphviz digraph with the same grouping. */
export function renderDot(lines: MatrixLines, write: Write): void {
  const all = edges(lines);
  const out = ['digraph segura {', '  rankdir=LR;', '  node [shape=box];'];
  nodeGroups(all).forEach(([title, roles], i) => {
    out.push(`  subgraph cluster_${i} {`, `    label="${title}";`, ...roles.map(r => `    ${nodeId(r)} [label="${r}"];`), '  }');
  });
  for (const section of Object.values(Section)) {
    const list = all.filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  // ${SECTION_TITLES[section]}`);
    for (const e of list) out.push(`  ${nodeId(e.source)} -> ${nodeId(e.destination)} [label="${e.label}"];`);
  }
  out.push('}');
  write(out.join('\n') + '\n');
}
