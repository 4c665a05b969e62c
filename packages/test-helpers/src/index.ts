export { appendAll, readAll } from './blocks.ts'
export { refuseHardLinks } from './faults.ts'
export { seeded } from './random.ts'
export { openBelow, openFds, sampling } from './resources.ts'
export {
  CRASH_MODELS,
  type CrashModel,
  createSimulatedDisk,
  type DiskOperation,
  type FileState,
  PAGE,
  SECTOR,
  type SimulatedDisk,
  type SimulatedDiskOptions,
  type SimulatedFile,
} from './simulated-disk.ts'
export { type Entry, EXACT, type SnapshotOptions, snapshot } from './snapshot.ts'
export { FALSY_STORE_OPTIONS, opened, type Resource, withStore } from './stores.ts'
export { link } from './streams.ts'
export { defer, type Hooks } from './teardown.ts'
export { tmpBaseOthersReach, tmpDir, tmpDirOthersReach } from './tmp-dir.ts'
export { closedEvent, until, within } from './waiting.ts'
