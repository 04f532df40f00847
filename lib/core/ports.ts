/**
 * Pure port-range logic shared by the renderers (the aws-ec2 rule-subsumption style:
 * plain functions, tested without constructs).
 */

/** An inclusive range of ports. */
export interface PortRange {
  /** First port. */
  readonly from: number;
  /** Last port (equal to `from` for a single port). */
  readonly to: number;
}

/**
 * Sort ports and join adjacent or equal ones into inclusive ranges, never wider
 * than the ports given: [22, 23, 80, 443, 445] -> 22-23, 80, 443, 445.
 *
 * @param isUnresolved ports for which this answers true (deploy-time tokens) are
 * kept as single-port ranges and never joined.
 */
export function mergePorts(ports: readonly number[], isUnresolved: (n: number) => boolean = () => false): PortRange[] {
  const tokens = ports.filter(p => isUnresolved(p));
  const concrete = [...new Set(ports.filter(p => !isUnresolved(p)))].sort((a, b) => a - b);
  const out: PortRange[] = [];
  for (const p of concrete) {
    const last = out[out.length - 1];
    if (last && p === last.to + 1) out[out.length - 1] = { from: last.from, to: p };
    else out.push({ from: p, to: p });
  }
  return [...out, ...[...new Set(tokens)].map(p => ({ from: p, to: p }))];
}

/** `22`, or `4567-4568`. */
export function formatRange(r: PortRange): string {
  return r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
}

/** True when `port` is an integer within 1-65535. */
export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
