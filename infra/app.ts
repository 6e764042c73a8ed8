import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createCrescendoApp } from './synth';

// Bundling is left to the CLI (it skips it for stacks excluded by --exclusively).
const { app } = createCrescendoApp({ bundling: true });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
