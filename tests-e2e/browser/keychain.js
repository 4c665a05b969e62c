// The keychain bundled alone: what a user who only recomputes keys ships.
import { Keychain } from '@corestore/keychain'

globalThis.keychain = { Keychain }
