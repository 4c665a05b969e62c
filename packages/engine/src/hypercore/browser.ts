/// <reference path="../untyped.d.ts" />

import flat from 'flat-tree'
import hypercore from 'hypercore'
import bitfield from 'hypercore/lib/bitfield.js'
import crypto from 'hypercore/lib/crypto.js'
import treeIndex from 'hypercore/lib/tree-index.js'
import protocol from 'hypercore-protocol'
import file from 'random-access-file'
import memory from 'random-access-memory'
import storage from 'random-access-storage'
import type { EngineModules } from './modules.js'

// Browsers and bundlers: `#node` resolves here (every condition but `node`). Plain static imports, so
// a bundler sees and includes the engine packages. Nothing is hooked: hypercore-protocol gets the
// noise-protocol the bundler resolves (3.0.1 is needed: see docs/browser.md) and hypercore gets
// memory-pager as published. random-access-file is its browser build, which a store never calls:
// a directory path is refused before (INVALID_STORAGE).

export const modules = {
  hypercore,
  protocol,
  storage,
  file,
  memory,
  bitfield,
  treeIndex,
  flat,
  crypto,
} as EngineModules
