import { App } from 'aws-cdk-lib';
import { createCrescendoStack, type CrescendoStack } from './stack';

export interface CrescendoAppOptions {
  /** Run esbuild for every function (slow); when false, only the template is produced. Default false. */
  bundling?: boolean;
  /** Extra CDK context, e.g. `{ jwtIssuer: 'https://...' }`. */
  context?: Record<string, unknown>;
}

/** The one place the app is assembled: used by infra/app.ts (the CDK CLI), the tests and the local stack. */
export function createCrescendoApp(options: CrescendoAppOptions = {}): { app: App; stack: CrescendoStack } {
  const context = { ...options.context, ...(!options.bundling && { 'aws:cdk:bundling-stacks': [] }) };
  const app = new App({ context });
  return { app, stack: createCrescendoStack(app) };
}

/** The synthesized CloudFormation template of the Crescendo stack, built in-process. */
export function synthesizeTemplate(options: { bundling?: boolean } = {}): Record<string, any> {
  const { app, stack } = createCrescendoApp(options);
  return app.synth().getStackByName(stack.stackName).template;
}
