/**
 * The README's fenced code blocks, for the tests that run them (in process in npm test,
 * in scratch apps in test:external): every block of a language, indented ones (inside
 * a list item) included, dedented as Markdown reads them.
 */
import { builtinModules } from 'module';

/** The fenced blocks of `lang` in `markdown`, in order, dedented. */
export function fencedBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp(`^( *)\`\`\`${lang}\\n([\\s\\S]*?)^\\1\`\`\`$`, 'gm'))]
    .map(([, indent, body]) => body.split('\n').map(l => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n'));
}

/** A TypeScript block of the README: its code, its file name (`readme-N`, N from 1 in order) and its cloud. */
export interface TsBlock {
  readonly code: string;
  readonly name: string;
  /** `azure` when it imports the Azure backend; `aws` otherwise. */
  readonly cloud: 'aws' | 'azure';
}

export function tsBlocks(markdown: string): TsBlock[] {
  return fencedBlocks(markdown, 'ts').map((code, i) => ({ code, name: `readme-${i + 1}`, cloud: code.includes('\'segura-constructs/azure\'') ? 'azure' : 'aws' }));
}

/** The packages a block imports (`aws-cdk-lib`, `@cdktf/provider-azurerm`, `segura-constructs`), Node's own modules left out. */
export function packagesImported(code: string): string[] {
  const specifiers = [...code.matchAll(/^import .* from '([^']+)';$/gm)].map(m => m[1]);
  const names = specifiers.map(s => (s.startsWith('@') ? s.split('/').slice(0, 2) : s.split('/').slice(0, 1)).join('/'));
  return [...new Set(names.filter(n => !builtinModules.includes(n) && !n.startsWith('node:')))].sort();
}
