/** The configurations the benchmark synthesizes, as plain data shared by both variants. */
export interface BenchConfig {
  readonly users: string[];
  readonly devices: string[];
  readonly management: {
    readonly ntp: string[];
    readonly dns: string[];
    readonly mail: string[];
    readonly ldap: string[];
    readonly radius: string[];
    readonly tacacs: string[];
    readonly syslog: string[];
    readonly backup: string[];
  };
  readonly packageMirrors: string[];
  /** The mail port (the document says 420). */
  readonly smtpPort: number;
  /** Whether Telnet toward devices stays open. */
  readonly telnet: boolean;
  /**
   * What reaches the nodes on the users' ports from the load balancers (rows LB-*), given as
   * addresses or service tags (Azure); the AWS example's balancers are security groups, which
   * its hand-written copy makes itself.
   */
  readonly loadBalancers: string[];
}

const base = {
  users: ['10.10.0.0/16'],
  management: {
    ntp: ['10.30.0.10/32'],
    dns: ['10.0.0.2/32'],
    mail: ['10.30.0.25/32'],
    ldap: ['10.30.0.30/32', '10.30.0.31/32'],
    radius: ['10.30.0.40/32'],
    tacacs: ['10.30.0.41/32'],
    syslog: ['10.30.0.50/32'],
    backup: ['10.30.0.60/32'],
  },
  packageMirrors: ['203.0.113.10/32', '203.0.113.11/32'],
  loadBalancers: [],
};

/**
 * examples/aws and examples/azure. On AWS the users reach only the two load balancers, whose
 * groups reach the nodes (no users' row); on Azure the Standard Load Balancer keeps the users'
 * addresses (their rows stay) and its probes come from the AzureLoadBalancer tag; the Azure
 * example's DNS is 10.30.0.53.
 */
export const AWS_EXAMPLE: BenchConfig = { ...base, users: [], devices: ['10.20.0.0/16', '192.168.50.0/24'], smtpPort: 587, telnet: false };
export const AZURE_EXAMPLE: BenchConfig = {
  ...AWS_EXAMPLE,
  users: base.users,
  management: { ...base.management, dns: ['10.30.0.53/32'] },
  loadBalancers: ['AzureLoadBalancer'],
};

/**
 * n device /24s. Spread: 10.100.0.0/24, 10.100.2.0/24, ... (no two can be merged).
 * Adjacent: 10.100.0.0/24, 10.100.1.0/24, ... (aggregation merges them).
 */
export function devicePrefixes(n: number, adjacent = false): string[] {
  const step = adjacent ? 1 : 2;
  return Array.from({ length: n }, (_, i) => { const k = i * step; return `10.${100 + Math.floor(k / 256)}.${k % 256}.0/24`; });
}

/** The large configuration: 40 device prefixes, 6 DNS servers, 4 syslog servers, every integration on. */
export const LARGE: BenchConfig = {
  ...base,
  devices: devicePrefixes(40),
  management: {
    ...base.management,
    dns: Array.from({ length: 6 }, (_, i) => `10.30.1.${i + 1}/32`),
    syslog: Array.from({ length: 4 }, (_, i) => `10.30.2.${i + 1}/32`),
  },
  smtpPort: 420,
  telnet: true,
};

/** The scaling table: every integration (one peer each, the example's), with n device prefixes, at AWS's default quotas. */
export function withDevices(n: number, adjacent: boolean): BenchConfig {
  return { ...base, devices: devicePrefixes(n, adjacent), smtpPort: 420, telnet: true };
}
