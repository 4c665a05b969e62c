// sodium-universal ships no types; sodium.ts types the functions the keychain uses.
declare module 'sodium-universal'
