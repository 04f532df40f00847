/**
 * Reading the text of templates and plans: JSON (fast, with the line and column of a
 * fault) or CloudFormation YAML (the `yaml` library, YAML 1.1 as CloudFormation reads
 * it, with the short forms of the intrinsic functions: `!Ref`, `!GetAtt`, `!Sub`,
 * `!ImportValue` and the rest of the CloudFormation Template Reference's list), and
 * where each resource is written (the line SARIF points at).
 */
import { visit } from 'jsonc-parser';
import { isMap, isScalar, LineCounter, parseDocument, Scalar, ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';
import { jsonFault } from '../cli/json';
import { SeguraValidationError } from '../core/errors';

/** A parsed input and where its resources are written. */
export interface ParsedText {
  readonly value: unknown;
  /** Line and column (1-based) of each resource, by logical ID (templates) or address (plans). */
  readonly places: ReadonlyMap<string, { line: number; column: number }>;
}

/**
 * The intrinsic functions with a short form (CloudFormation Template Reference,
 * "Intrinsic function reference"): `!Name x` is `{ "Fn::Name": x }`; `!Ref x` is
 * `{ "Ref": x }`; `!Condition x` is `{ "Condition": x }`; `!GetAtt A.B` is `{ "Fn::GetAtt": ["A", "B"] }`.
 */
const SHORT_FORMS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString'];

const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

function shortFormTags(): Array<ScalarTag | CollectionTag> {
  return SHORT_FORMS.flatMap(name => {
    const key = longName(name);
    const scalar: ScalarTag = {
      tag: `!${name}`,
      resolve: (text: string) => ({ [key]: name === 'GetAtt' ? [text.slice(0, text.indexOf('.')), text.slice(text.indexOf('.') + 1)] : text }),
    };
    const collection = (kind: 'seq' | 'map'): CollectionTag => ({
      tag: `!${name}`,
      collection: kind,
      nodeClass: kind === 'seq' ? YAMLSeq : YAMLMap,
      resolve: (node: YAMLSeq | YAMLMap) => new Scalar({ [key]: node.toJSON() }),
    } as CollectionTag);
    return [scalar, collection('seq'), collection('map')];
  });
}

const CUSTOM_TAGS = shortFormTags();

/** JSON text, or a fault naming its line and column. */
function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const fault = jsonFault(text, e as Error);
    throw new SeguraValidationError(file, `is not valid JSON: line ${fault.line}, column ${fault.column}: ${fault.reason}`);
  }
}

/** Where each property that `pick` chooses (by its path and name) is first written. */
type Places = Map<string, { line: number; column: number }>;

function jsonPlaces(text: string, pick: (path: ReadonlyArray<string | number>, property: string) => boolean): Places {
  const places = new Map<string, { line: number; column: number }>();
  visit(text, {
    onObjectProperty: (property, _offset, _length, startLine, startCharacter, pathSupplier) => {
      if (!places.has(property) && pick(pathSupplier(), property)) places.set(property, { line: startLine + 1, column: startCharacter + 1 });
    },
  });
  return places;
}

/** A CloudFormation template, JSON or YAML, and the line of each resource. */
export function parseTemplateText(file: string, text: string): ParsedText {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(body)) {
    return { value: parseJson(file, body), places: jsonPlaces(body, path => path.length === 1 && path[0] === 'Resources') };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { version: '1.1', customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: true });
  // An unknown tag is only a warning to the library: CloudFormation refuses it.
  const error = doc.errors[0] ?? doc.warnings.find(w => w.code === 'TAG_RESOLVE_FAILED');
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new SeguraValidationError(file, `is not valid CloudFormation YAML: line ${line}, column ${col}: ${error.message.split('\n')[0]}`);
  }
  const places = new Map<string, { line: number; column: number }>();
  const resources = isMap(doc.contents) ? doc.contents.get('Resources', true) : undefined;
  if (isMap(resources)) {
    for (const item of resources.items) {
      if (isScalar(item.key) && item.key.range) {
        const { line, col } = lineCounter.linePos(item.key.range[0]);
        places.set(String(item.key.value), { line, column: col });
      }
    }
  }
  return { value: doc.toJS({ maxAliasCount: 1000 }), places };
}

/** A plan (`terraform show -json`) and where each resource address is first written (in planned_values). */
export function parsePlanText(file: string, text: string): ParsedText {
  const body = text.replace(/^\uFEFF/, '');
  // `terraform plan -json` writes a log, one JSON object a line: not a plan.
  if (/^\s*\{"@level"/.test(body) && body.trim().includes('\n')) {
    throw new SeguraValidationError(file, 'this is the log of `terraform plan -json`, not a plan: run `terraform plan -out=PLANFILE`, then `terraform show -json PLANFILE > plan.json`');
  }
  const value = parseJson(file, body);
  const addresses = new Map<string, { line: number; column: number }>();
  visit(body, {
    onLiteralValue: (v, _offset, _length, startLine, startCharacter, pathSupplier) => {
      const path = pathSupplier();
      if (path[path.length - 1] === 'address' && typeof v === 'string' && !addresses.has(v)) addresses.set(v, { line: startLine + 1, column: startCharacter + 1 });
    },
  });
  return { value, places: addresses };
}
