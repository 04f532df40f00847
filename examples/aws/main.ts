import { buildAwsExample } from './app';

buildAwsExample().app.synth();
