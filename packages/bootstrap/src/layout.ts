/** The store's master key file, at its root. */
export const MASTER_KEY_FILE = 'master_key'

/** corestore 5's folder of a core: `<dk[0..2]>/<dk[2..4]>/<dk>`, from the hex discovery key. */
export function coreDirectory(discoveryKeyHex: string): string {
  return `${discoveryKeyHex.slice(0, 2)}/${discoveryKeyHex.slice(2, 4)}/${discoveryKeyHex}`
}

export function corePath(discoveryKeyHex: string, file: string): string {
  return `${coreDirectory(discoveryKeyHex)}/${file}`
}
