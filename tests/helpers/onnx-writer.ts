/**
 * A minimal ONNX (protobuf) writer for test models: just the ModelProto fields onnxruntime needs
 * (graph, nodes, attributes, initializers, typed inputs/outputs, opset). Field numbers follow
 * onnx/onnx.proto. Written by hand so tests need neither python nor a protobuf package.
 */

/** ONNX TensorProto.DataType values we use. */
export const OnnxType = { float: 1, int32: 6, int64: 7 } as const
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType]

export type Dim = number | string

export interface ValueInfo {
  readonly name: string
  readonly type: OnnxElemType
  readonly shape: readonly Dim[]
}

export type AttrValue =
  { readonly int: number } | { readonly ints: readonly number[] } | { readonly float: number }

export interface OnnxNode {
  readonly op: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attrs?: Readonly<Record<string, AttrValue>>
}

export interface Initializer {
  readonly name: string
  readonly dims: readonly number[]
  readonly data: Float32Array | BigInt64Array
}

export interface OnnxGraph {
  readonly name: string
  readonly nodes: readonly OnnxNode[]
  readonly initializers: readonly Initializer[]
  readonly inputs: readonly ValueInfo[]
  readonly outputs: readonly ValueInfo[]
  readonly opset?: number
}

// --- protobuf wire format -------------------------------------------------------------------

class Writer {
  private readonly chunks: number[] = []

  varint(value: number | bigint): this {
    // Negative int64 values are encoded as 10-byte two's complement, as protobuf does.
    let v = BigInt.asUintN(64, BigInt(value))
    while (v >= 0x80n) {
      this.chunks.push(Number((v & 0x7fn) | 0x80n))
      v >>= 7n
    }
    this.chunks.push(Number(v))
    return this
  }

  tag(field: number, wire: 0 | 2 | 5): this {
    return this.varint((field << 3) | wire)
  }

  int(field: number, value: number | bigint): this {
    return this.tag(field, 0).varint(value)
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length)
    for (const b of data) this.chunks.push(b)
    return this
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text))
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer()
    build(inner)
    return this.bytes(field, inner.finish())
  }

  float(field: number, value: number): this {
    this.tag(field, 5)
    const buf = new Uint8Array(4)
    new DataView(buf.buffer).setFloat32(0, value, true)
    for (const b of buf) this.chunks.push(b)
    return this
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks)
  }
}

// --- ONNX messages ----------------------------------------------------------------------------

function valueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name)
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type)
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)))
        }
      })
    }),
  )
}

function attribute(w: Writer, name: string, value: AttrValue): void {
  w.string(1, name)
  if ('int' in value) {
    w.int(3, value.int).int(20, 2)
  } else if ('ints' in value) {
    for (const i of value.ints) w.int(8, i)
    w.int(20, 7)
  } else {
    w.float(2, value.float).int(20, 1)
  }
}

function initializer(w: Writer, init: Initializer): void {
  for (const d of init.dims) w.int(1, d)
  w.int(2, init.data instanceof Float32Array ? OnnxType.float : OnnxType.int64)
  w.string(8, init.name)
  // raw_data is little-endian, which is what typed arrays hold on every platform we ship.
  w.bytes(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength))
}

/** Serialises a graph as an ONNX ModelProto (IR version 8). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const w = new Writer()
  w.int(1, 8)
  w.string(2, 'vam-tests')
  w.message(7, (g) => {
    graph.nodes.forEach((node, i) =>
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input)
        for (const output of node.outputs) n.string(2, output)
        n.string(3, `${node.op.toLowerCase()}_${i}`)
        n.string(4, node.op)
        for (const [name, value] of Object.entries(node.attrs ?? {})) {
          n.message(5, (a) => attribute(a, name, value))
        }
      }),
    )
    g.string(2, graph.name)
    for (const init of graph.initializers) g.message(5, (t) => initializer(t, init))
    for (const input of graph.inputs) g.message(11, (v) => valueInfo(v, input))
    for (const output of graph.outputs) g.message(12, (v) => valueInfo(v, output))
  })
  w.message(8, (o) => o.string(1, '').int(2, graph.opset ?? 13))
  return w.finish()
}
