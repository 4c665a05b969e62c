import varint from 'varint'

/** A derived core's `name` file: the name bytes prefixed by their length as a varint. */
export function encodeName(name: Uint8Array): Buffer {
  const prefix = Buffer.from(varint.encode(name.byteLength))
  return Buffer.concat([prefix, name])
}

/** The name in a `name` file, or `null` when the bytes are not a whole, well-formed name. */
export function decodeName(buf: Buffer): Buffer | null {
  if (buf.length < 2) return null
  let length: number
  try {
    length = varint.decode(buf, 0)
  } catch {
    return null
  }
  const offset = varint.decode.bytes ?? 0
  if (length === 0 || offset + length !== buf.length) return null
  return buf.subarray(offset)
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const CONTROL = /\p{Cc}/u

/**
 * A name as a person would read it: the text when its bytes are UTF-8 without control characters
 * (`default`, `drive1:photos`), otherwise `null` (a `get()` with no name derives from 32 random bytes).
 */
export function nameText(name: Uint8Array): string | null {
  let text: string
  try {
    text = utf8.decode(name)
  } catch {
    return null
  }
  return CONTROL.test(text) ? null : text
}
