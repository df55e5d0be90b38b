// The fake upstream's public surface: start it, script it, read what it recorded.
export { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions, type Responder } from './server.ts';
export { answerJson, toolLoop, toolResultsOf, type ToolTurn } from './turns.ts';
export { FAULT_NAMES } from './faults.ts';
export type { FakeToolCall, FaultName, RecordedRequest, Step, StepError, WireFormat } from './types.ts';
export { collect, type Collected } from './collect.ts';
