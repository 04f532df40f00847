import { TerraformStack, Testing } from 'cdktf';
import { ip } from './helpers';
import { DomumGateway, Peer, SeguraCluster } from '../../lib/azure';
import { SeguraValidationError } from '../../lib/errors';

function attempt(props: any, extra?: (stack: TerraformStack, cluster: SeguraCluster) => void): () => void {
  return () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'S');
    const cluster = new SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', ...props });
    extra?.(stack, cluster);
    Testing.fullSynth(stack);
  };
}

describe('Azure: bad input fails synth with a clear message', () => {
  test.each([
    ['malformed prefix', { users: [ip('10.0.0.0/33')] }, 'users[0]: "10.0.0.0/33" is not a valid IPv4 CIDR (the mask must be 0-32)'],
    ['host bits', { devices: [ip('192.168.1.1/24')] }, 'devices[0]: "192.168.1.1/24" has host bits set. Did you mean "192.168.1.0/24"'],
    ['bad service tag', { users: [Peer.serviceTag('Azure Cloud')] }, 'users[0]: "Azure Cloud" is not a service tag'],
    ['bad ASG id', { devices: [Peer.applicationSecurityGroupId('devices-asg')] }, 'devices[0]: "devices-asg" is not an application security group ID'],
    ['empty peer list', { users: [] }, 'users: the peer list is empty'],
    ['not a Peer', { users: ['10.0.0.0/8'] }, 'users[0]: expected a Peer (e.g. Peer.ipv4(\'10.0.0.0/16\')), got "10.0.0.0/8"'],
    ['missing resource group', { resourceGroupName: '' }, 'resourceGroupName: is required (a non-empty string), got ""'],
    ['missing location', { location: undefined }, 'location: is required (a non-empty string), got undefined'],
    ['bad name prefix', { namePrefix: 'segura prod' }, 'namePrefix: "segura prod" is not a usable name prefix'],
    ['unknown row', { devices: [ip('10.0.0.0/8')], disabledRules: ['DVC-TELNETT'] }, 'disabledRules[0]: "DVC-TELNETT" is not a row ID of the Segura firewall matrix. Did you mean "DVC-TELNET"?'],
    ['port out of range', { management: { mail: [ip('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': -1 } }, 'portOverrides["MGT-SMTP"]: -1 is not a port'],
    ['unknown management key', { management: { smtp: [ip('10.0.0.1/32')] } }, 'management.smtp: unknown property.'],
    ['too many tag peers for the priority space', { users: Array.from({ length: 51 }, (_, i) => Peer.serviceTag(`Tag${i}`)) }, 'USERW peers: 51 separate service-tag or ASG peers need more than the 50 priorities a rule slot has'],
  ])('%s', (_name, props, message) => {
    expect(attempt(props)).toThrow(SeguraValidationError);
    expect(attempt(props)).toThrow(message);
  });

  test('a Domum Gateway attached twice', () => {
    expect(attempt({}, (stack, cluster) => {
      new DomumGateway(stack, 'Domum1', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
      new DomumGateway(stack, 'Domum2', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
    })).toThrow('cluster: the SeguraCluster S/Segura already has the Domum Gateway S/Domum1');
  });

  test('a Domum row changed with no Domum Gateway attached', () => {
    expect(attempt({ portOverrides: { 'DOM-P2D-WSS': 8443 } })).toThrow(/DOM-P2D-WSS is in portOverrides or disabledRules, but no DomumGateway is attached to S\/Segura/);
  });
});
