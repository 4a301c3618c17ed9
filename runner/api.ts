/**
 * What the language server and the extension may use of the runner, in one named module:
 * they stand on core and on this, never on the engine's or the CLI's insides.
 */
export { diskHost } from './load';
export { decodePipelineBytes } from './pipelineBytes';
export { runHistory } from './records/history';
export { describeHdfsTarget } from './hdfs/describe';
export { listRuns, readRun } from './records/eventLog';
export { statePaths } from './records/paths';
export {
  alive as lockHolderAlive,
  holderState as lockHolderState,
  readLock,
  type LockInfo,
} from './records/lock';
export { headerTime, splitAttempts, type LogSection } from './taskOutput';
export {
  partitionStatus,
  type PartitionStatusDoc,
  type PartitionedStatusRow,
  type StatusRow,
  type InstanceState,
} from './status/partitionStates';
