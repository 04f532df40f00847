/** What the cases share; imports nothing heavy, so each case process loads only its own cloud. */
import { BenchConfig, withDevices } from '../configs';

export type Variant = 'library' | 'hand';

export const CONTEXT = { '@aws-cdk/core:defaultCrossStackReferences': 'strong' };

/** A BenchConfig as the constructs' props, with the cloud's peer type. */
export function libraryProps<P>(c: BenchConfig, peer: (cidr: string) => P) {
  const l = (x: string[]) => x.map(peer);
  const m = c.management;
  return {
    users: l(c.users),
    devices: l(c.devices),
    management: {
      ntp: l(m.ntp),
      dns: l(m.dns),
      mail: l(m.mail),
      ldap: l(m.ldap),
      radius: l(m.radius),
      tacacs: l(m.tacacs),
      syslog: l(m.syslog),
      backup: l(m.backup),
    },
    packageMirrors: l(c.packageMirrors),
    ...(c.smtpPort !== 420 ? { portOverrides: { 'MGT-SMTP': c.smtpPort } } : {}),
    ...(c.telnet ? {} : { disabledRules: ['DVC-TELNET'] }),
  };
}

/** The Arbitrator outside the cloud: its two addresses. */
export const ARBITRATOR_PEERS = ['10.40.0.10/32', '10.40.0.12/32'];

/** `aws-arbitrator-outside-N`: every integration with N non-adjacent device prefixes, the Arbitrator as ARBITRATOR_PEERS. */
export function arbitratorOutsideOf(name: string): BenchConfig | undefined {
  const m = /^aws-arbitrator-outside-(\d+)$/.exec(name);
  return m ? withDevices(Number(m[1]), false) : undefined;
}

/** `aws-spread-N` / `azure-adjacent-N`: every integration with N device prefixes, spread or adjacent. */
export function scaleOf(name: string): BenchConfig | undefined {
  const m = /^(aws|azure)-(spread|adjacent)-(\d+)$/.exec(name);
  return m ? withDevices(Number(m[3]), m[2] === 'adjacent') : undefined;
}
