// The fake upstream's public surface: start it, script it, read what it recorded.
export { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from './server.ts';
export { FAULT_NAMES } from './faults.ts';
export type { FakeToolCall, FaultName, RecordedRequest, Step, StepError, WireFormat } from './types.ts';
export { collect, type Collected } from './collect.ts';
