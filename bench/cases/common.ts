/** What the cases share; imports nothing heavy, so each case process loads only its own cloud. */
import { BenchConfig, withDevices } from '../configs';

export type Variant = 'library' | 'hand';

export const CONTEXT = { '@aws-cdk/core:defaultCrossStackReferences': 'strong' };

/** The device ports of the document, by hand (Telnet optional). */
export const devicePorts = (c: BenchConfig) => [22, ...(c.telnet ? [23] : []), 7443, 1433, 5432, 3306, 3389, 135, 139, 445, 80, 443];

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

/** `aws-devices-N` / `azure-devices-N`: the large configuration with N device prefixes. */
export function scaleOf(name: string): BenchConfig | undefined {
  const m = /^(aws|azure)-devices-(\d+)$/.exec(name);
  return m ? withDevices(Number(m[2])) : undefined;
}
