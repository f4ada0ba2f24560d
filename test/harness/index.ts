export { createHarness, Harness, type HarnessOptions, type NodeRunOptions, type PollRunOptions, type WebhookCall, type WebhookRunOptions } from './harness';
export { TestCredentialsHelper, type CredentialsHelperCall } from './credentialsHelper';
export { CredentialTypeRegistry, loadPackageCredentialTypes } from './credentialTypes';
export type { BinaryMode } from './container';
export { failureOf, type NodeFailure } from './failure';
export { saveDynamicsSignIns, type DynamicsSignInNames } from './dynamicsSignIns';
