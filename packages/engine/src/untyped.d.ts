// The engine packages ship no types; browser.ts imports them statically and modules.ts types them.
declare module 'hypercore'
declare module 'hypercore/lib/bitfield.js'
declare module 'hypercore/lib/tree-index.js'
declare module 'hypercore-protocol'
declare module 'flat-tree'
declare module 'random-access-file'
declare module 'random-access-memory'
declare module 'random-access-storage'
