import { modules } from '#node'
import type { TreeNode } from '../hypercore/modules.js'
import {
  bitfieldPageSize,
  type CoreFileName,
  HEADER_SIZE,
  hypercoreHeader,
  NODE_SIZE,
  SIGNATURE_SIZE,
} from './stored-size.js'

export type { CoreFileName }

// hypercore 9 writes a block's data, tree nodes and signature in parallel, then the bitfield that
// claims it, and syncs nothing: after a power cut any of those writes may be missing or torn. This
// rebuilds a core's files from what verifies: the signature proves a length and its roots, the roots
// prove the tree nodes below them, the leaves prove the data. Nothing else on disk is believed.

const crypto = modules.crypto
const flat = modules.flat

/** The hypercore 9 files recovery reads and rewrites. */

/** Raw access to one core's files; reads give `null` where a file is absent or ends before. */
export interface RecoveryFiles {
  read(file: CoreFileName, offset: number, size: number): Promise<Buffer | null>
  /** The file's size; 0 when absent. */
  size(file: CoreFileName): Promise<number>
  write(file: CoreFileName, offset: number, data: Buffer): Promise<void>
  /** Cut the file to `size` bytes (nothing when it is shorter). */
  truncate(file: CoreFileName, size: number): Promise<void>
}

export interface RecoveryOptions {
  readonly publicKey: Buffer
  /** The writer's secret key: a core cut back below its last signature is signed again. */
  readonly secretKey: Buffer | null
  /** Blocks `[0, trusted)` were on disk whole before the writes being recovered: not read again. */
  readonly trusted: number
}

/** What recovery found and did. */
export interface Recovery {
  /** The length the bitfield claimed. */
  readonly claimed: number
  /** The length the core has now. */
  readonly length: number
  /** Blocks whose data was read and checked against the tree. */
  readonly verifiedBlocks: number
  /** Blocks that did not verify: cut off (a writer) or dropped to download again (a replica). */
  readonly droppedBlocks: number
  /** Whether any file was rewritten. */
  readonly changed: boolean
}

type Bitfield = ReturnType<typeof modules.bitfield>

/**
 * Make a core's files consistent after a crash: its length the highest one a valid signature proves
 * (the bitfield may claim more or less), every block it claims verified against the tree. A writer's
 * log is cut at its first block that does not verify and signed again at that length; a replica
 * keeps the blocks that verify and forgets the others, to download them again. Idempotent: run it
 * again after a crash during it and it finishes the job.
 */
export async function recoverCore(files: RecoveryFiles, opts: RecoveryOptions): Promise<Recovery> {
  const state = await readState(files)
  const tree = new NodeReader(files)
  const claimed = modules.treeIndex(state.bitfield.tree).blocks()
  const writer = opts.secretKey !== null
  const proofs = provedLengths(files, tree, opts, claimed)

  let length = 0
  let cutFrom = 0
  let verifiedBlocks = 0
  let droppedBlocks = 0
  let rebuilt: Bitfield
  if (writer) {
    // The highest signed length whose blocks all verify; failing that, the longest verified prefix
    // of any signed length (a block torn under one signature may be whole under a shorter one).
    for await (const proved of proofs) {
      if (proved.length <= length) break
      // A trusted length that no longer verifies proves nothing below it either: check from the start.
      const check = new Verifier(files, tree, opts.trusted <= proved.length ? opts.trusted : 0)
      const bad = await check.firstBad(proved.roots)
      verifiedBlocks += check.blocks
      if (bad === null) {
        length = proved.length
        cutFrom = 0
        break
      }
      if (bad > length) {
        length = bad
        cutFrom = proved.length
      }
    }
    droppedBlocks = Math.max(claimed, cutFrom) - length
    rebuilt = fullBitfield(state.pageSize, length)
  } else {
    const proved = (await proofs.next()).value ?? { length: 0, roots: [] }
    const replica = new ReplicaVerifier(files, tree, state.bitfield, state.pageSize)
    await replica.visit(proved.roots)
    length = proved.length
    verifiedBlocks = replica.blocks
    droppedBlocks = replica.dropped
    rebuilt = replica.rebuilt
  }

  let changed = await rewriteBitfield(files, state, rebuilt)
  if (writer) changed = (await cutWriter(files, tree, opts, length, cutFrom > length)) || changed
  else changed = (await cutAfter(files, 'signatures', HEADER_SIZE + SIGNATURE_SIZE * length)) || changed
  changed = (await fixHeader(files, 'tree')) || changed
  changed = (await fixHeader(files, 'signatures')) || changed
  return { claimed, length, verifiedBlocks, droppedBlocks: Math.max(0, droppedBlocks), changed }
}

interface State {
  readonly pageSize: number
  readonly file: Buffer
  readonly bitfield: Bitfield
}

async function readState(files: RecoveryFiles): Promise<State> {
  const size = await files.size('bitfield')
  const file = (size > 0 && (await files.read('bitfield', 0, size))) || Buffer.alloc(0)
  // A header lost to the crash (zeros, or short) says nothing: hypercore 9 writes 3584-byte pages.
  const pageSize = bitfieldPageSize(file)
  const pages: Buffer[] = []
  for (let offset = HEADER_SIZE; offset < file.length; offset += pageSize) {
    const page = Buffer.alloc(pageSize)
    file.copy(page, 0, offset, Math.min(offset + pageSize, file.length))
    pages.push(page)
  }
  return { pageSize, file, bitfield: modules.bitfield(pageSize, pages) }
}

interface Proved {
  readonly length: number
  readonly roots: TreeNode[]
}

/**
 * The lengths a signature (or, for a core that is not live, the key itself) proves, with their
 * roots, highest first. Candidates are the bitfield's claim and every signed length from the trusted
 * one up (a crash may have kept a signed block whose bitfield update was lost); then, if that was
 * not enough, every signed length below.
 */
async function* provedLengths(
  files: RecoveryFiles,
  tree: NodeReader,
  opts: RecoveryOptions,
  claimed: number,
): AsyncGenerator<Proved> {
  const end = await files.size('signatures')
  const slots = Math.max(0, Math.floor((end - HEADER_SIZE) / SIGNATURE_SIZE))
  const from = Math.min(Math.max(0, opts.trusted - 1), slots)
  const tried = new Set<number>()
  for (const [first, last] of [
    [from, slots],
    [0, from],
  ] as const) {
    const signatures =
      last > first
        ? ((await files.read('signatures', HEADER_SIZE + SIGNATURE_SIZE * first, SIGNATURE_SIZE * (last - first))) ??
          Buffer.alloc(0))
        : Buffer.alloc(0)
    const signatureAt = (length: number): Buffer | null => {
      const slot = length - 1 - first
      if (slot < 0 || (slot + 1) * SIGNATURE_SIZE > signatures.length) return null
      return signatures.subarray(slot * SIGNATURE_SIZE, (slot + 1) * SIGNATURE_SIZE)
    }
    const candidates: number[] = []
    for (let i = last - first - 1; i >= 0; i--) {
      if (!isBlank(signatures.subarray(i * SIGNATURE_SIZE, (i + 1) * SIGNATURE_SIZE))) candidates.push(first + i + 1)
    }
    if (claimed > first && claimed <= last && !candidates.includes(claimed)) candidates.push(claimed)
    if (first === from && claimed > last) candidates.push(claimed)
    for (const length of candidates.sort((a, b) => b - a)) {
      if (tried.has(length)) continue
      tried.add(length)
      const roots = await tree.roots(length)
      if (roots && proves(opts.publicKey, roots, length, signatureAt(length))) yield { length, roots }
    }
  }
}

function proves(publicKey: Buffer, roots: TreeNode[], length: number, signature: Buffer | null): boolean {
  if (signature && signature.length === SIGNATURE_SIZE && !isBlank(signature)) {
    const signable = crypto.signable(roots, length)
    // hypercore 9 also accepts the older form, signed over the tree hash alone.
    return (
      crypto.verify(signable, signature, publicKey) || crypto.verify(signable.subarray(0, 32), signature, publicKey)
    )
  }
  // A core that is not live has no signatures: its key is the hash of its roots.
  return crypto.tree(roots).equals(publicKey)
}

/** Reads tree nodes, 64 KiB at a time, for the many small reads a walk down the tree makes. */
class NodeReader {
  static readonly CHUNK = 1638
  readonly #files: RecoveryFiles
  readonly #chunks = new Map<number, Promise<Buffer | null>>()
  #size: Promise<number> | null = null

  constructor(files: RecoveryFiles) {
    this.#files = files
  }

  /** The node at `index`, or `null` when it was never written whole (hypercore's "No node found"). */
  async get(index: number): Promise<TreeNode | null> {
    const chunk = Math.floor(index / NodeReader.CHUNK)
    let read = this.#chunks.get(chunk)
    if (!read) {
      read = this.#read(chunk)
      this.#chunks.set(chunk, read)
    }
    const buf = await read
    const at = (index - chunk * NodeReader.CHUNK) * NODE_SIZE
    if (!buf || buf.length < at + NODE_SIZE) return null
    const hash = buf.subarray(at, at + 32)
    const size = Number(buf.readBigUInt64BE(at + 32))
    if (size === 0 && isBlank(hash)) return null
    return { index, hash, size }
  }

  async roots(length: number): Promise<TreeNode[] | null> {
    const roots: TreeNode[] = []
    for (const index of flat.fullRoots(2 * length)) {
      const node = await this.get(index)
      if (!node) return null
      roots.push(node)
    }
    return roots
  }

  async #read(chunk: number): Promise<Buffer | null> {
    this.#size ??= this.#files.size('tree')
    const size = await this.#size
    const start = HEADER_SIZE + chunk * NodeReader.CHUNK * NODE_SIZE
    const length = Math.min(NodeReader.CHUNK * NODE_SIZE, size - start)
    if (length <= 0) return null
    return this.#files.read('tree', start, length)
  }
}

/** Reads blocks in order, through a window, for a walk that visits leaves left to right. */
class DataReader {
  static readonly WINDOW = 256 * 1024
  readonly #files: RecoveryFiles
  #window: { offset: number; buf: Buffer } | null = null
  #size: Promise<number> | null = null

  constructor(files: RecoveryFiles) {
    this.#files = files
  }

  async read(offset: number, size: number): Promise<Buffer | null> {
    const w = this.#window
    if (w && offset >= w.offset && offset + size <= w.offset + w.buf.length) {
      return w.buf.subarray(offset - w.offset, offset - w.offset + size)
    }
    this.#size ??= this.#files.size('data')
    const end = Math.min(await this.#size, offset + Math.max(size, DataReader.WINDOW))
    if (end < offset + size) return null
    const buf = await this.#files.read('data', offset, end - offset)
    if (!buf) return null
    this.#window = { offset, buf }
    return buf.subarray(0, size)
  }
}

function blockSpan(index: number): [number, number] {
  const [left, right] = flat.spans(index)
  return [left / 2, right / 2]
}

/** A parent's two children, read and checked against it; `null` when they do not prove it. */
async function children(tree: NodeReader, node: TreeNode): Promise<[TreeNode, TreeNode] | null> {
  const [left, right] = await Promise.all([tree.get(flat.leftChild(node.index)), tree.get(flat.rightChild(node.index))])
  if (!left || !right || left.size + right.size !== node.size) return null
  return crypto.parent(left, right).equals(node.hash) ? [left, right] : null
}

/** A writer's blocks from `from` on, checked in order: the first that does not verify. */
class Verifier {
  blocks = 0
  readonly #data: DataReader
  readonly #tree: NodeReader
  readonly #from: number

  constructor(files: RecoveryFiles, tree: NodeReader, from: number) {
    this.#data = new DataReader(files)
    this.#tree = tree
    this.#from = from
  }

  async firstBad(roots: TreeNode[]): Promise<number | null> {
    let offset = 0
    for (const root of roots) {
      const bad = await this.#walk(root, offset)
      if (bad !== null) return bad
      offset += root.size
    }
    return null
  }

  async #walk(node: TreeNode, offset: number): Promise<number | null> {
    const [first, last] = blockSpan(node.index)
    if (last < this.#from) return null
    if (node.index % 2 === 0) {
      const data = await this.#data.read(offset, node.size)
      if (!data || !crypto.data(data).equals(node.hash)) return first
      this.blocks++
      return null
    }
    const pair = await children(this.#tree, node)
    if (!pair) return first
    return (await this.#walk(pair[0], offset)) ?? this.#walk(pair[1], offset + pair[0].size)
  }
}

/** A replica's tree walked from its proved roots: what verifies goes into a new bitfield. */
class ReplicaVerifier {
  blocks = 0
  dropped = 0
  readonly rebuilt: Bitfield
  readonly #data: DataReader
  readonly #tree: NodeReader
  readonly #old: Bitfield

  constructor(files: RecoveryFiles, tree: NodeReader, old: Bitfield, pageSize: number) {
    this.#data = new DataReader(files)
    this.#tree = tree
    this.#old = old
    this.rebuilt = modules.bitfield(pageSize, [])
  }

  async visit(roots: TreeNode[]): Promise<void> {
    let offset = 0
    for (const root of roots) {
      await this.#walk(root, offset)
      offset += root.size
    }
  }

  async #walk(node: TreeNode, offset: number): Promise<void> {
    this.rebuilt.tree.set(node.index, true)
    if (node.index % 2 === 0) {
      const block = node.index / 2
      if (!this.#old.get(block)) return
      const data = await this.#data.read(offset, node.size)
      if (data && crypto.data(data).equals(node.hash)) {
        this.rebuilt.set(block, true)
        this.blocks++
      } else this.dropped++
      return
    }
    const tree = this.#old.tree
    if (!tree.get(flat.leftChild(node.index)) || !tree.get(flat.rightChild(node.index))) return
    const pair = await children(this.#tree, node)
    if (!pair) {
      this.dropped += this.#old.total(...spanEnd(node.index))
      return
    }
    await this.#walk(pair[0], offset)
    await this.#walk(pair[1], offset + pair[0].size)
  }
}

function spanEnd(index: number): [number, number] {
  const [first, last] = blockSpan(index)
  return [first, last + 1]
}

/** A writer's bitfield: every block below `length`, with the tree nodes they make. */
function fullBitfield(pageSize: number, length: number): Bitfield {
  const bitfield = modules.bitfield(pageSize, [])
  const tree = modules.treeIndex(bitfield.tree)
  for (let i = 0; i < length; i++) {
    bitfield.set(i, true)
    tree.set(2 * i)
  }
  return bitfield
}

/** The bitfield file for `bitfield`: the header, then every page up to the last one in use. */
function bitfieldFile(pageSize: number, bitfield: Bitfield): Buffer {
  const pages = bitfield.pages
  let count = 0
  for (let i = 0; i < pages.length; i++) if (pages.get(i, true)) count = i + 1
  const file = Buffer.alloc(HEADER_SIZE + count * pageSize)
  hypercoreHeader('bitfield', pageSize).copy(file)
  for (let i = 0; i < count; i++) pages.get(i, true)?.buffer.copy(file, HEADER_SIZE + i * pageSize)
  return file
}

async function rewriteBitfield(files: RecoveryFiles, state: State, rebuilt: Bitfield): Promise<boolean> {
  const file = bitfieldFile(state.pageSize, rebuilt)
  if (file.equals(state.file)) return false
  await files.write('bitfield', 0, file)
  await files.truncate('bitfield', file.length)
  return true
}

/** A writer's files cut to `length`: signed again when cut below a signed length, nothing after. */
async function cutWriter(
  files: RecoveryFiles,
  tree: NodeReader,
  opts: RecoveryOptions,
  length: number,
  resign: boolean,
): Promise<boolean> {
  let changed = false
  const roots = (await tree.roots(length)) ?? []
  if (length > 0 && resign) {
    const signature = crypto.sign(crypto.signable(roots, length), opts.secretKey as Buffer)
    await files.write('signatures', HEADER_SIZE + SIGNATURE_SIZE * (length - 1), signature)
    changed = true
  }
  const byteLength = roots.reduce((n, r) => n + r.size, 0)
  changed = (await cutAfter(files, 'signatures', HEADER_SIZE + SIGNATURE_SIZE * length)) || changed
  changed = (await cutAfter(files, 'tree', HEADER_SIZE + NODE_SIZE * 2 * length)) || changed
  changed = (await cutAfter(files, 'data', byteLength)) || changed
  return changed
}

/** Cut `file` to `size` when it is longer: what lies beyond a recovered length is never read again. */
async function cutAfter(files: RecoveryFiles, file: CoreFileName, size: number): Promise<boolean> {
  const bound = file === 'data' ? size : Math.max(size, HEADER_SIZE)
  if ((await files.size(file)) <= bound) return false
  await files.truncate(file, bound)
  return true
}

/** Write hypercore's header back when the crash took it (hypercore 9 never reads these two). */
async function fixHeader(files: RecoveryFiles, file: 'tree' | 'signatures'): Promise<boolean> {
  const header = hypercoreHeader(file)
  const stored = await files.read(file, 0, HEADER_SIZE)
  if (stored?.equals(header)) return false
  await files.write(file, 0, header)
  return true
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false
  return true
}
