// Not part of the jsii API (jsii classes cannot extend Error): TypeScript and
// JavaScript users import it from 'segura-constructs/errors' to tell the library's
// validation errors apart.
export { SeguraValidationError } from './core/errors';
