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
