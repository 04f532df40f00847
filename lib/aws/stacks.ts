/**
 * Which stacks a stack depends on, before aws-cdk-lib wires its cross-stack references:
 * its explicit dependencies, and the stacks whose resources its own resources reference.
 * A gateway writes rules that reference its cluster's groups, so its stack comes after
 * the cluster's: one the cluster's stack depends on would make a cycle, which aws-cdk-lib
 * reports only as raw references. This finds the chain first, to say what to do.
 */
import { CfnElement, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, StringConcat, Tokenization } from 'aws-cdk-lib';

/**
 * Collects the references a value holds, without resolving them (cross-stack ones cannot
 * be, before synth), and without keeping what a lazy value answered (`Lazy.string` keeps
 * its first answer in a cache, aws-cdk-lib's `_cached`, behind a box in recent versions):
 * the cache is put back as it was, so that the value answers at synth as if never read here.
 */
class ReferenceCollector extends DefaultTokenResolver {
  public readonly found: Reference[] = [];
  constructor() {
    super(new StringConcat());
  }
  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (Reference.isReference(t)) {
      this.found.push(t);
      return 'reference';
    }
    // A lazy value (it has a producer or a cache), or the box around one.
    const caches = [t, (t as { inner?: object }).inner]
      .filter((x): x is { _cached?: unknown } => typeof x === 'object' && x !== null && ('_cached' in x || 'producer' in x))
      .map(x => [x, x._cached] as const);
    try {
      return super.resolveToken(t, context, postProcessor);
    } finally {
      for (const [x, cached] of caches) x._cached = cached;
    }
  }
}

/**
 * The stacks `stack` depends on, each with why: its explicit dependencies (the stack's,
 * and its constructs' `node.addDependency`) and the stacks its resources reference.
 */
function directDependencies(stack: Stack): Map<Stack, string> {
  const out = new Map<Stack, string>();
  for (const d of stack.dependencies) out.set(d, `${stack.stackName} depends on ${d.stackName} (addDependency)`);
  const constructs = stack.node.findAll().filter(c => Stack.of(c) === stack); // not a nested stack's own
  for (const c of constructs) {
    for (const d of c.node.dependencies) {
      const target = Stack.of(d);
      if (target !== stack && !out.has(target)) out.set(target, `${c.node.path || stack.stackName} depends on ${d.node.path} (node.addDependency)`);
    }
  }
  for (const element of constructs.filter(CfnElement.isCfnElement)) {
    const collector = new ReferenceCollector();
    // The element as CloudFormation will get it (an internal of aws-cdk-lib's, stable across v2).
    const template = (element as unknown as { _toCloudFormation(): object })._toCloudFormation();
    Tokenization.resolve(template, { scope: element, resolver: collector, preparing: true });
    for (const ref of collector.found) {
      const target = Stack.of(ref.target);
      if (target !== stack && !out.has(target)) out.set(target, `${element.node.path} references ${ref.target.node.path}`);
    }
  }
  return out;
}

/**
 * Why `from` depends on `to`, directly or through other stacks (`Seg/Segura/... references
 * Net/Vpc/Resource`), or undefined when it does not.
 */
export function dependencyChain(from: Stack, to: Stack): string | undefined {
  const seen = new Map<Stack, string[]>([[from, []]]);
  const queue = [from];
  while (queue.length > 0) {
    const stack = queue.shift()!;
    for (const [next, why] of directDependencies(stack)) {
      if (seen.has(next)) continue;
      const chain = [...seen.get(stack)!, why];
      if (next === to) return chain.join(', and ');
      seen.set(next, chain);
      queue.push(next);
    }
  }
  return undefined;
}
