/** The store's master key file, at its root. */
export const MASTER_KEY_FILE = 'master_key'

/** corestore 5's folder of a core: `<dk[0..2]>/<dk[2..4]>/<dk>`, from the hex discovery key. */
export function coreDirectory(discoveryKeyHex: string): string {
  return `${discoveryKeyHex.slice(0, 2)}/${discoveryKeyHex.slice(2, 4)}/${discoveryKeyHex}`
}

export function corePath(discoveryKeyHex: string, file: string): string {
  return `${coreDirectory(discoveryKeyHex)}/${file}`
}

const HEX2 = /^[0-9a-f]{2}$/
const HEX64 = /^[0-9a-f]{64}$/

/** The folders above a core's folder, nearest first (`xx/yy`, then `xx`): removed when a purge empties them. */
export function coreParents(discoveryKeyHex: string): [string, string] {
  return [`${discoveryKeyHex.slice(0, 2)}/${discoveryKeyHex.slice(2, 4)}`, discoveryKeyHex.slice(0, 2)]
}

/**
 * Every core folder of a directory store, as hex discovery keys in order: the layout read back.
 * @param list the sub-folders of a folder relative to the store (`''` is its root)
 */
export async function* coreFolders(list: (folder: string) => Promise<string[]>): AsyncGenerator<string> {
  for (const a of (await list('')).filter((n) => HEX2.test(n))) {
    for (const b of (await list(a)).filter((n) => HEX2.test(n))) {
      for (const dk of await list(`${a}/${b}`)) {
        if (HEX64.test(dk) && dk.startsWith(a + b)) yield dk
      }
    }
  }
}
