/**
 * The README's Azure audit example, run as written: its `az` commands answered from
 * the fixtures (`az network nsg list` is azure-nsg-list.json; `az network asg show -g RG
 * -n NAME --query id -o tsv` prints the ID of that ASG in azure-asg-list.json, the
 * output of `az network asg list`), its audit command run through the CLI; the output
 * must be the block the README shows, character for character.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'audit');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## Audit an existing firewall'), README.indexOf('From TypeScript, `segura-constructs/audit`'));

/** The fenced blocks of one language in the audit section. */
const blocks = (lang: string) => [...SECTION.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map(m => m[1]);

/** Shell words: whitespace-separated, double quotes kept together, $NAME expanded. */
function words(line: string, vars: Map<string, string>): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map(m => (m[1] ?? m[2]).replace(/\$([A-Z_]+)/g, (_, v) => {
    if (!vars.has(v)) throw new Error(`$${v} is used before the README defines it`);
    return vars.get(v)!;
  }));
}

describe('the README\'s Azure audit example', () => {
  test('its commands, with the ASG IDs the documented az command prints, produce the output it shows', async () => {
    const script = blocks('sh').find(b => b.includes('audit azure'))!;
    const lines = script.replace(/\\\n\s*/g, '').split('\n').filter(l => l.trim() !== '' && !l.startsWith('#'));
    const asgs: Array<{ id: string; name: string; resourceGroup: string }> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'azure-asg-list.json'), 'utf8'));
    const files = new Map([['site.json', path.join(FIXTURES, 'azure-site.json')]]);
    const vars = new Map<string, string>();
    let argv: string[] | undefined;
    for (const line of lines.slice(lines.findIndex(l => l.startsWith('az network nsg list')))) {
      const assign = /^([A-Z_]+)=\$\((.*)\)$/.exec(line);
      if (line.startsWith('az network nsg list -o json > ')) {
        files.set(line.split('> ')[1], path.join(FIXTURES, 'azure-nsg-list.json'));
      } else if (line.startsWith('az network vnet show ')) {
        // Prints the address spaces the example passes to --vnet.
        expect(line).toMatch(/--query addressSpace\.addressPrefixes/);
      } else if (assign) {
        const [, name, command] = assign;
        const m = /^az network asg show -g (\S+) -n (\S+) --query id -o tsv$/.exec(command);
        expect(m).not.toBeNull();
        const asg = asgs.find(a => a.resourceGroup === m![1] && a.name === m![2]);
        expect(asg).toBeDefined();
        vars.set(name, asg!.id);
      } else if (line.startsWith('npx segura-firewall audit azure ')) {
        argv = words(line, vars).slice(2).map(w => files.get(w) ?? w);
      } else {
        throw new Error(`a line the test does not know how to run: ${line}`);
      }
    }
    expect(vars.size).toBe(3);
    const out: string[] = []; const err: string[] = [];
    const code = await run(argv!, { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '' });
    expect({ code, err: err.join('') }).toEqual({ code: 1, err: '' });
    const shown = SECTION.slice(SECTION.indexOf('(a test runs them):'));
    expect(`${out.join('')}`).toBe(blocks('text').find(b => shown.includes(b))!);
  });
});
