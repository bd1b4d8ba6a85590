export { run } from './program';
export { ExitCode, UsageError, type Io, type CommandResult } from './output';
export { kafkaConfig, type BrokerFlags } from './broker';
export { eventKey, sampleEvent } from './events';
export { REDRIVEN_FROM_HEADER } from './redrive';
