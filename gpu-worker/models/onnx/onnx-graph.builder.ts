import { onnx } from 'onnx-proto';

/** ONNX element types this project writes (a subset of `TensorProto.DataType`). */
export enum OnnxDataType {
  FLOAT = 1,
  UINT8 = 2,
  INT32 = 6,
  INT64 = 7,
  BOOL = 9,
}

/** Values for an initializer; the typed array decides the byte layout. */
export type OnnxTensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** An attribute value as written on a node. Arrays of integers become INTS, of numbers FLOATS. */
export type OnnxAttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; dataType: OnnxDataType; dims: readonly number[]; data: OnnxTensorData };

/** A graph input or output: element type and shape (a string is a named symbolic dimension). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  /** Omitted: shape unknown (onnxruntime infers it). */
  shape?: readonly (number | string)[];
}

/** Shorthands for attribute values. */
export const attr = {
  int: (value: number): OnnxAttributeValue => ({ kind: 'int', value }),
  float: (value: number): OnnxAttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): OnnxAttributeValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttributeValue => ({ kind: 'floats', value }),
  string: (value: string): OnnxAttributeValue => ({ kind: 'string', value }),
};

/** Default opset: 17 keeps `axes` as attributes on ReduceMax/Mean and has every op we map. */
export const DEFAULT_OPSET = 17;

/**
 * Builds an ONNX model in memory and serialises it. Used by the TF.js converter and by tests
 * that need a small graph with known outputs. Node and initializer names are made unique
 * with a counter, so callers never have to invent names.
 */
export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  /** Returns a name not used before in this graph, derived from `hint`. */
  uniqueName(hint: string): string {
    let name = hint;
    while (this.usedNames.has(name)) name = `${hint}__${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  /** Adds an initializer (a constant tensor) and returns its name. */
  initializer(hint: string, dataType: OnnxDataType, dims: readonly number[], data: OnnxTensorData): string {
    const name = this.uniqueName(hint);
    this.initializers.push(tensorProto(name, dataType, dims, data));
    return name;
  }

  /** A float32 constant. */
  constFloat(values: readonly number[] | Float32Array, dims: readonly number[] = [values.length]): string {
    return this.initializer('const_f', OnnxDataType.FLOAT, dims, Float32Array.from(values));
  }

  /** An int64 constant (shapes, axes, indices). */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer('const_i64', OnnxDataType.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /**
   * Appends a node. `outputs` is either the output names or how many outputs to create.
   * Returns the output names. An empty string in `inputs` marks an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[] | number = 1,
    attributes: Readonly<Record<string, OnnxAttributeValue>> = {},
  ): string[] {
    const name = this.uniqueName(`${opType}_${this.nodes.length}`);
    const outputNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) => this.uniqueName(`${name}_out${i}`))
        : outputs.map((o) => {
            this.usedNames.add(o);
            return o;
          });
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: outputNames,
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return outputNames;
  }

  /** Like {@link node} for single-output nodes; returns the one output name. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttributeValue>> = {}): string {
    const [out] = this.node(opType, inputs, 1, attributes);
    return out as string;
  }

  /** Serialises the model. */
  build(options: {
    graphName: string;
    inputs: readonly OnnxValueInfo[];
    outputs: readonly OnnxValueInfo[];
    opset?: number;
    docString?: string;
    metadata?: Readonly<Record<string, string>>;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'trinetra-gpu-worker',
      producerVersion: '1',
      docString: options.docString ?? '',
      opsetImport: [{ domain: '', version: options.opset ?? DEFAULT_OPSET }],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: options.inputs.map(valueInfo),
        output: options.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(info: OnnxValueInfo): onnx.IValueInfoProto {
  const shape = info.shape
    ? { shape: { dim: info.shape.map((d) => (typeof d === 'number' && d >= 0 ? { dimValue: d } : { dimParam: String(d) })) } }
    : {};
  return { name: info.name, type: { tensorType: { elemType: info.dataType, ...shape } } };
}

function tensorProto(name: string, dataType: OnnxDataType, dims: readonly number[], data: OnnxTensorData): onnx.ITensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // rawData is little-endian, which is what typed arrays hold on every platform Node runs on.
  return { name, dataType, dims: [...dims], rawData: Uint8Array.from(bytes) };
}

function attributeProto(name: string, value: OnnxAttributeValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (value.kind) {
    case 'int':
      return { name, type: T.INT, i: value.value };
    case 'float':
      return { name, type: T.FLOAT, f: value.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...value.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...value.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(value.value) };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(name, value.dataType, value.dims, value.data) };
  }
}
