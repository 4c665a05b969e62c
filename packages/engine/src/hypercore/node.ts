import { createRequire } from 'node:module'
import { withKnownGoodNoise } from '../module-hooks/noise-pin.js'
import { withPageTables } from '../module-hooks/page-tables.js'
import { requireResolutionHook } from '../module-hooks/resolve.js'
import type {
  BitfieldConstructor,
  EngineModules,
  FileStorage,
  FlatTree,
  HypercoreCrypto,
  MemoryStorage,
  ProtocolConstructor,
  StorageClass,
  TreeIndexConstructor,
} from './modules.js'
import type { HypercoreConstructor } from './types.js'

// Node: `#node` resolves here. The engine packages are loaded by require, so that hypercore and
// hypercore-protocol load with noise-protocol 3.0.1 (see ../module-hooks/noise-pin.ts) and hypercore's
// bitfields get page tables that grow on demand (see ../module-hooks/page-tables.ts). Both need
// Node's CommonJS resolver: without one, say so before anything else asks it.
requireResolutionHook('hypercore 9')
const require = createRequire(import.meta.url)
const hypercoreRequire = createRequire(require.resolve('hypercore'))

const [hypercore, protocol] = withKnownGoodNoise(() =>
  withPageTables(() => [
    require('hypercore') as HypercoreConstructor,
    require('hypercore-protocol') as ProtocolConstructor,
  ]),
)

export const modules: EngineModules = {
  hypercore,
  protocol,
  storage: require('random-access-storage') as StorageClass,
  file: require('random-access-file') as FileStorage,
  memory: require('random-access-memory') as MemoryStorage,
  bitfield: require('hypercore/lib/bitfield') as BitfieldConstructor,
  treeIndex: require('hypercore/lib/tree-index') as TreeIndexConstructor,
  flat: hypercoreRequire('flat-tree') as FlatTree,
  crypto: require('hypercore/lib/crypto') as HypercoreCrypto,
}
