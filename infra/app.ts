/**
 * CDK app entry (cdk.json `app`). One stage per synth:
 *   CDK_DISABLE_VERSION_CHECK=1 npx cdk synth -c stage=dev|staging|prod [-c nag=true]
 * `npm run synth` synthesises every stage (infra/synth-all.ts).
 */
import { createStageApp, type StageApp } from './stage-app.js';

let stageApp: StageApp;
try {
  stageApp = createStageApp();
} catch (error) {
  // Configuration mistakes (unknown stage, bad -c alarmEmail) get one clear line, not a stack trace.
  console.error(`infra/app.ts: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
stageApp.app.synth();
