import { buildAzureExample } from './app';

buildAzureExample().app.synth();
