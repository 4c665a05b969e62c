import { readFileSync } from 'node:fs'

/** A name as the vectors spell it: text, or bytes in hex. */
export type VectorName = { utf8: string } | { hex: string }

export interface KeyPairVector {
  label: string
  name: VectorName
  publicKey: string
  secretKey: string
  discoveryKey: string
}

export interface SecretVector {
  label: string
  namespace: string
  name: VectorName
  secret: string
}

// Computed once by corestore 5.8.2 itself: key pairs of `get({ name })`, and secrets of
// `store.inner._deriveSecret(namespace, name)` (tests-e2e recomputes both live against the package).
export const fixture = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as {
  masterKey: string
  vectors: KeyPairVector[]
  secrets: SecretVector[]
}

export const masterKey = Buffer.from(fixture.masterKey, 'hex')

export function nameOf(v: { name: VectorName }): string | Buffer {
  return 'utf8' in v.name ? v.name.utf8 : Buffer.from(v.name.hex, 'hex')
}
