/**
 * The examples' options (examples/aws/app.ts, examples/azure/app.ts), written here
 * again as the tests read them: the expectation of the example tests is the plan of
 * these, never what the example's constructs report.
 */

/**
 * examples/aws/app.ts's SeguraCluster options, peers as CIDRs. Its users reach the nodes
 * only through the balancers: no `users`; its `loadBalancers` are the balancers' security
 * groups (AWS_EXAMPLE_BALANCERS), which the AWS evaluation adds.
 */
export const AWS_EXAMPLE_OPTIONS = {
  devices: ['10.20.0.0/16', '192.168.50.0/24'],
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
  portOverrides: { 'MGT-SMTP': 587 },
  disabledRules: ['DVC-TELNET'],
};

/**
 * examples/aws/app.ts's load balancers (not the library's): the users' networks reach each on
 * its listeners' ports, and each reaches the nodes (PRD, MBR) on the same ports.
 */
export const AWS_EXAMPLE_BALANCERS = {
  users: '10.10.0.0/16',
  /** The ALB: HTTPS and HTTP. */
  web: [443, 80],
  /** The NLB: the SSH and RDP proxies. */
  proxy: [22, 3389],
};

/**
 * examples/azure/app.ts's: the same, but its DNS server, its users (a standard Load Balancer
 * keeps the users' addresses: their rows stay) and its load balancer's health probes (the
 * `AzureLoadBalancer` service tag).
 */
export const AZURE_EXAMPLE_OPTIONS = {
  ...AWS_EXAMPLE_OPTIONS,
  users: ['10.10.0.0/16'],
  loadBalancers: ['tag:AzureLoadBalancer'],
  management: { ...AWS_EXAMPLE_OPTIONS.management, dns: ['10.30.0.53/32'] },
};
