import { ModelPreparationError, ModelPreparationErrorCode } from '../model-preparation.error';
import { OnnxDataType, OnnxGraphBuilder, type OnnxValueInfo, attr } from '../onnx/onnx-graph.builder';
import type { TfAttrValue, TfConstant, TfDType, TfNode, TfjsGraphModel } from './tfjs-graph-model.loader';

/** Options of {@link convertTfjsGraphToOnnx}. */
export interface TfjsToOnnxOptions {
  /** Name written into the ONNX graph. */
  graphName: string;
  /**
   * Fixed shapes for placeholders, by placeholder name. A fixed shape lets onnxruntime fold
   * every shape computation at load time (faster); a negative number or a string keeps that
   * dimension symbolic. Default: the shape recorded in model.json.
   */
  inputShapes?: Readonly<Record<string, readonly (number | string)[]>>;
  /**
   * Graph outputs as TF tensor names (`node` or `node:1`) mapped to ONNX output names.
   * Default: every node whose output nothing consumes, under its TF name.
   */
  outputs?: readonly { tf: string; onnx: string }[];
  /** Key/value pairs stored in the model (source checksum, package version...). */
  metadata?: Readonly<Record<string, string>>;
}

/** The converted model and the signature a caller needs to feed it. */
export interface ConvertedOnnxModel {
  bytes: Uint8Array;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Every TF op type present in the converted graph. */
  tfOps: string[];
}

/** A tensor during conversion: its ONNX name (created lazily for constants) and TF dtype. */
interface Ref {
  dtype: TfDType;
  onnx?: string;
  constant?: TfConstant;
}

type Handler = (ctx: ConversionContext, node: TfNode, inputs: Ref[]) => Ref[];

const ONNX_TYPE: Record<TfDType, OnnxDataType> = {
  DT_FLOAT: OnnxDataType.FLOAT,
  DT_INT32: OnnxDataType.INT32,
  DT_INT64: OnnxDataType.INT64,
  DT_BOOL: OnnxDataType.BOOL,
};

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const INT64_BIG = Number.MAX_SAFE_INTEGER;

class ConversionContext {
  constructor(readonly b: OnnxGraphBuilder) {}

  /** The ONNX name of a tensor, writing constants as initializers on first use. */
  name(ref: Ref): string {
    if (ref.onnx === undefined) {
      const c = ref.constant;
      if (!c) throw new Error('tensor without name or constant');
      const data = c.dtype === 'DT_INT64' ? BigInt64Array.from(c.values, (v) => BigInt(v)) : c.values;
      ref.onnx = this.b.initializer('tf_const', ONNX_TYPE[c.dtype], c.shape, data);
    }
    return ref.onnx;
  }

  /** The tensor as int64 (ONNX wants int64 for shapes, axes, repeats, indices). */
  int64(ref: Ref): string {
    if (ref.constant) return this.b.constInt64([...ref.constant.values], ref.constant.shape);
    if (ref.dtype === 'DT_INT64') return this.name(ref);
    return this.b.op('Cast', [this.name(ref)], { to: attr.int(OnnxDataType.INT64) });
  }

  /** Values of an input that must be constant (axes, slice bounds), or a clear error. */
  constValues(ref: Ref | undefined, node: TfNode, what: string): number[] {
    if (!ref?.constant) {
      throw new ModelPreparationError(ModelPreparationErrorCode.UNSUPPORTED_USAGE, `${node.op} node ${node.name}: ${what} must be a constant`, {
        op: node.op,
        node: node.name,
      });
    }
    return [...ref.constant.values];
  }

  out(onnx: string, dtype: TfDType): Ref {
    return { onnx, dtype };
  }
}

function attrInt(node: TfNode, key: string, fallback = 0): number {
  const v = node.attr?.[key]?.i;
  return v === undefined ? fallback : Number(v);
}
function attrBool(node: TfNode, key: string, fallback = false): boolean {
  return node.attr?.[key]?.b ?? fallback;
}
function attrFloat(node: TfNode, key: string, fallback = 0): number {
  return node.attr?.[key]?.f ?? fallback;
}
function attrString(node: TfNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}
function attrInts(node: TfNode, key: string): number[] {
  return (node.attr?.[key]?.list?.i ?? []).map(Number);
}
function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}
function attrType(node: TfNode, key: string): TfDType | undefined {
  const t = (node.attr?.[key] as TfAttrValue | undefined)?.type;
  return t === undefined ? undefined : toDType(t, node);
}
function toDType(t: string, node: TfNode): TfDType {
  if (t === 'DT_FLOAT' || t === 'DT_INT32' || t === 'DT_INT64' || t === 'DT_BOOL') return t;
  throw new ModelPreparationError(ModelPreparationErrorCode.UNSUPPORTED_USAGE, `${node.op} node ${node.name}: dtype ${t} is not supported`, {
    op: node.op,
    node: node.name,
  });
}
function input(inputs: Ref[], i: number, node: TfNode): Ref {
  const r = inputs[i];
  if (!r) {
    throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `${node.op} node ${node.name} lacks input ${i}`, {
      op: node.op,
      node: node.name,
    });
  }
  return r;
}
function dtypeOf(node: TfNode, inputs: Ref[]): TfDType {
  return attrType(node, 'T') ?? inputs[0]?.dtype ?? 'DT_FLOAT';
}

const unary =
  (onnxOp: string): Handler =>
  (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    return [ctx.out(ctx.b.op(onnxOp, [ctx.name(x)]), x.dtype)];
  };

const binary =
  (onnxOp: string, outDType?: TfDType): Handler =>
  (ctx, node, inputs) => {
    const a = input(inputs, 0, node);
    const b = input(inputs, 1, node);
    return [ctx.out(ctx.b.op(onnxOp, [ctx.name(a), ctx.name(b)]), outDType ?? a.dtype)];
  };

/** Applies TF's fused activation (after the bias) in place; returns the new tensor name. */
function fusedActivation(ctx: ConversionContext, node: TfNode, op: string, x: string, extra: Ref | undefined): string {
  switch (op) {
    case 'Relu':
      return ctx.b.op('Relu', [x]);
    case 'Relu6':
      return ctx.b.op('Clip', [x, ctx.b.constFloat([0], []), ctx.b.constFloat([6], [])]);
    case 'Elu':
      return ctx.b.op('Elu', [x]);
    case 'Sigmoid':
      return ctx.b.op('Sigmoid', [x]);
    case 'LeakyRelu':
      return ctx.b.op('LeakyRelu', [x], { alpha: attr.float(attrFloat(node, 'leakyrelu_alpha', 0.2)) });
    case 'Prelu': {
      if (!extra) throw usage(node, 'Prelu needs an alpha argument');
      return ctx.b.op('PRelu', [x, ctx.name(extra)]);
    }
    default:
      throw usage(node, `fused op ${op} is not supported`);
  }
}

function usage(node: TfNode, message: string): ModelPreparationError {
  return new ModelPreparationError(ModelPreparationErrorCode.UNSUPPORTED_USAGE, `${node.op} node ${node.name}: ${message}`, {
    op: node.op,
    node: node.name,
  });
}

/** ONNX Conv padding attributes for TF's padding mode. */
function convPadding(node: TfNode): Record<string, ReturnType<typeof attr.ints> | ReturnType<typeof attr.string>> {
  const padding = attrString(node, 'padding') ?? 'VALID';
  if (padding === 'SAME') return { auto_pad: attr.string('SAME_UPPER') };
  if (padding === 'VALID') return { pads: attr.ints([0, 0, 0, 0]) };
  const p = attrInts(node, 'explicit_paddings');
  // NHWC pairs: [n0,n1,h0,h1,w0,w1,c0,c1] -> [h0,w0,h1,w1]
  return { pads: attr.ints([p[2] ?? 0, p[4] ?? 0, p[3] ?? 0, p[5] ?? 0]) };
}

function requireNhwc(node: TfNode): void {
  const format = attrString(node, 'data_format') ?? 'NHWC';
  if (format !== 'NHWC') throw usage(node, `data_format ${format} is not supported (NHWC only)`);
}

/** HWIO (TF conv filter) to OIHW (ONNX). */
function hwioToOihw(c: TfConstant): TfConstant {
  const [h = 1, w = 1, i = 1, o = 1] = c.shape;
  const src = c.values;
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ci = 0; ci < i; ci++) for (let co = 0; co < o; co++) out[((co * i + ci) * h + y) * w + x] = src[((y * w + x) * i + ci) * o + co] ?? 0;
  return { dtype: 'DT_FLOAT', shape: [o, i, h, w], values: out };
}

/** [H, W, C, M] (TF depthwise filter) to [C*M, 1, H, W] (ONNX grouped conv). */
function depthwiseToOihw(c: TfConstant): TfConstant {
  const [h = 1, w = 1, ch = 1, m = 1] = c.shape;
  const src = c.values;
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ci = 0; ci < ch; ci++) for (let mi = 0; mi < m; mi++) out[((ci * m + mi) * h + y) * w + x] = src[((y * w + x) * ch + ci) * m + mi] ?? 0;
  return { dtype: 'DT_FLOAT', shape: [ch * m, 1, h, w], values: out };
}

function conv(depthwise: boolean, fused: boolean): Handler {
  return (ctx, node, inputs) => {
    requireNhwc(node);
    const x = input(inputs, 0, node);
    const filter = input(inputs, 1, node);
    if (!filter.constant) throw usage(node, 'the filter must be a constant');
    const weights = depthwise ? depthwiseToOihw(filter.constant) : hwioToOihw(filter.constant);
    const strides = attrInts(node, 'strides');
    const dilations = attrInts(node, 'dilations');
    const convInputs = [ctx.b.op('Transpose', [ctx.name(x)], { perm: attr.ints(NHWC_TO_NCHW) }), ctx.name({ dtype: 'DT_FLOAT', constant: weights })];
    const ops = fused ? attrStrings(node, 'fused_ops') : [];
    let argIndex = 2;
    let rest = ops;
    if (ops[0] === 'BiasAdd') {
      convInputs.push(ctx.name(input(inputs, argIndex++, node)));
      rest = ops.slice(1);
    } else if (ops.length > 0 && ops[0] !== undefined && ops[0] !== 'BiasAdd') {
      throw usage(node, `fused op ${ops[0]} without BiasAdd is not supported`);
    }
    let y = ctx.b.op('Conv', convInputs, {
      strides: attr.ints([strides[1] ?? 1, strides[2] ?? 1]),
      dilations: attr.ints([dilations[1] ?? 1, dilations[2] ?? 1]),
      group: attr.int(depthwise ? (filter.constant.shape[2] ?? 1) : 1),
      kernel_shape: attr.ints([weights.shape[2] ?? 1, weights.shape[3] ?? 1]),
      ...convPadding(node),
    });
    const nchwActivation = rest.length === 1 && rest[0] !== 'Prelu';
    if (nchwActivation && rest[0]) y = fusedActivation(ctx, node, rest[0], y, undefined);
    y = ctx.b.op('Transpose', [y], { perm: attr.ints(NCHW_TO_NHWC) });
    if (!nchwActivation) for (const op of rest) y = fusedActivation(ctx, node, op, y, inputs[argIndex++]);
    return [ctx.out(y, 'DT_FLOAT')];
  };
}

function matMul(fused: boolean): Handler {
  return (ctx, node, inputs) => {
    let a = ctx.name(input(inputs, 0, node));
    let b = ctx.name(input(inputs, 1, node));
    if (attrBool(node, 'transpose_a')) a = ctx.b.op('Transpose', [a], { perm: attr.ints([1, 0]) });
    if (attrBool(node, 'transpose_b')) b = ctx.b.op('Transpose', [b], { perm: attr.ints([1, 0]) });
    let y = ctx.b.op('MatMul', [a, b]);
    let argIndex = 2;
    for (const op of fused ? attrStrings(node, 'fused_ops') : []) {
      if (op === 'BiasAdd') y = ctx.b.op('Add', [y, ctx.name(input(inputs, argIndex++, node))]);
      else y = fusedActivation(ctx, node, op, y, inputs[argIndex++]);
    }
    return [ctx.out(y, 'DT_FLOAT')];
  };
}

function nhwcWrapped(ctx: ConversionContext, x: Ref, body: (nchw: string) => string): string {
  const nchw = ctx.b.op('Transpose', [ctx.name(x)], { perm: attr.ints(NHWC_TO_NCHW) });
  return ctx.b.op('Transpose', [body(nchw)], { perm: attr.ints(NCHW_TO_NHWC) });
}

function pool(onnxOp: 'MaxPool' | 'AveragePool'): Handler {
  return (ctx, node, inputs) => {
    requireNhwc(node);
    const k = attrInts(node, 'ksize');
    const s = attrInts(node, 'strides');
    const padding = attrString(node, 'padding') ?? 'VALID';
    const y = nhwcWrapped(ctx, input(inputs, 0, node), (x) =>
      ctx.b.op(onnxOp, [x], {
        kernel_shape: attr.ints([k[1] ?? 1, k[2] ?? 1]),
        strides: attr.ints([s[1] ?? 1, s[2] ?? 1]),
        ...(padding === 'SAME' ? { auto_pad: attr.string('SAME_UPPER') } : {}),
        ...(onnxOp === 'AveragePool' ? { count_include_pad: attr.int(0) } : {}),
      }),
    );
    return [ctx.out(y, 'DT_FLOAT')];
  };
}

const resize =
  (mode: 'linear' | 'nearest'): Handler =>
  (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const size = input(inputs, 1, node);
    const coordinateMode = attrBool(node, 'align_corners')
      ? 'align_corners'
      : attrBool(node, 'half_pixel_centers')
        ? mode === 'nearest'
          ? 'tf_half_pixel_for_nn'
          : 'half_pixel'
        : 'asymmetric';
    const y = nhwcWrapped(ctx, x, (nchw) => {
      const nc = ctx.b.op('Slice', [ctx.b.op('Shape', [nchw]), ctx.b.constInt64([0]), ctx.b.constInt64([2])]);
      const sizes = ctx.b.op('Concat', [nc, ctx.int64(size)], { axis: attr.int(0) });
      return ctx.b.op('Resize', [nchw, '', '', sizes], {
        mode: attr.string(mode),
        coordinate_transformation_mode: attr.string(coordinateMode),
        ...(mode === 'nearest' ? { nearest_mode: attr.string(attrBool(node, 'align_corners') ? 'round_prefer_ceil' : 'floor') } : {}),
      });
    });
    return [ctx.out(y, 'DT_FLOAT')];
  };

const reduce =
  (onnxOp: 'ReduceMax' | 'ReduceMin' | 'ReduceSum' | 'ReduceMean' | 'ReduceProd'): Handler =>
  (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const axes = ctx.constValues(inputs[1], node, 'reduction_indices');
    const keepdims = attr.int(attrBool(node, 'keep_dims') ? 1 : 0);
    // Opset 17: ReduceSum takes axes as an input, the others as an attribute.
    const y =
      onnxOp === 'ReduceSum'
        ? ctx.b.op(onnxOp, [ctx.name(x), ctx.b.constInt64(axes)], { keepdims })
        : ctx.b.op(onnxOp, [ctx.name(x)], { axes: attr.ints(axes), keepdims });
    return [ctx.out(y, x.dtype)];
  };

/** TF StridedSlice (without ellipsis) as Slice + Squeeze + Unsqueeze; needs constant bounds. */
const stridedSlice: Handler = (ctx, node, inputs) => {
  const x = input(inputs, 0, node);
  const begin = ctx.constValues(inputs[1], node, 'begin');
  const end = ctx.constValues(inputs[2], node, 'end');
  const strides = ctx.constValues(inputs[3], node, 'strides');
  if (attrInt(node, 'ellipsis_mask') !== 0) throw usage(node, 'ellipsis_mask is not supported');
  const beginMask = attrInt(node, 'begin_mask');
  const endMask = attrInt(node, 'end_mask');
  const newAxisMask = attrInt(node, 'new_axis_mask');
  const shrinkMask = attrInt(node, 'shrink_axis_mask');
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const newAxes: number[] = [];
  const shrinkAxes: number[] = [];
  let inDim = 0;
  let outDim = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxisMask & bit) {
      newAxes.push(outDim++);
      continue;
    }
    const stride = strides[i] ?? 1;
    if (shrinkMask & bit) {
      const b = begin[i] ?? 0;
      starts.push(b);
      ends.push(b === -1 ? INT64_BIG : b + 1);
      axes.push(inDim);
      steps.push(1);
      shrinkAxes.push(inDim++);
      continue;
    }
    const b = beginMask & bit ? (stride > 0 ? 0 : INT64_BIG) : (begin[i] ?? 0);
    const e = endMask & bit ? (stride > 0 ? INT64_BIG : -INT64_BIG) : (end[i] ?? 0);
    if (!(b === 0 && e === INT64_BIG && stride === 1)) {
      starts.push(b);
      ends.push(e);
      axes.push(inDim);
      steps.push(stride);
    }
    inDim++;
    outDim++;
  }
  let y = ctx.name(x);
  if (axes.length > 0) {
    y = ctx.b.op('Slice', [y, ctx.b.constInt64(starts), ctx.b.constInt64(ends), ctx.b.constInt64(axes), ctx.b.constInt64(steps)]);
  }
  if (shrinkAxes.length > 0) y = ctx.b.op('Squeeze', [y, ctx.b.constInt64(shrinkAxes)]);
  if (newAxes.length > 0) y = ctx.b.op('Unsqueeze', [y, ctx.b.constInt64(newAxes)]);
  return [ctx.out(y, x.dtype)];
};

/** TF FloorDiv: Div then Floor for floats; for integers, C-style Div corrected towards -inf. */
const floorDiv: Handler = (ctx, node, inputs) => {
  const a = input(inputs, 0, node);
  const b = input(inputs, 1, node);
  const an = ctx.name(a);
  const bn = ctx.name(b);
  const q = ctx.b.op('Div', [an, bn]);
  if (a.dtype === 'DT_FLOAT') return [ctx.out(ctx.b.op('Floor', [q]), a.dtype)];
  const r = ctx.b.op('Sub', [an, ctx.b.op('Mul', [q, bn])]);
  const zero = ctx.name({ dtype: a.dtype, constant: { dtype: a.dtype, shape: [], values: new Int32Array([0]) } });
  const signDiffers = ctx.b.op('Less', [ctx.b.op('Mul', [r, bn]), zero]);
  const inexact = ctx.b.op('Not', [ctx.b.op('Equal', [r, zero])]);
  const adjust = ctx.b.op('Cast', [ctx.b.op('And', [signDiffers, inexact])], { to: attr.int(ONNX_TYPE[a.dtype]) });
  return [ctx.out(ctx.b.op('Sub', [q, adjust]), a.dtype)];
};

/** TF FloorMod (result has the divisor's sign): ONNX Mod for integers, `a - floor(a / b) * b` for floats. */
const floorMod: Handler = (ctx, node, inputs) => {
  const a = input(inputs, 0, node);
  const an = ctx.name(a);
  const bn = ctx.name(input(inputs, 1, node));
  if (a.dtype !== 'DT_FLOAT') return [ctx.out(ctx.b.op('Mod', [an, bn], { fmod: attr.int(0) }), a.dtype)];
  const q = ctx.b.op('Floor', [ctx.b.op('Div', [an, bn])]);
  return [ctx.out(ctx.b.op('Sub', [an, ctx.b.op('Mul', [q, bn])]), a.dtype)];
};

/**
 * TF SparseToDense, supported when every argument is a constant (graphs exported through
 * onnx-tf carry such leftovers, e.g. an all-zero bias): folded into a constant here.
 */
const sparseToDense: Handler = (ctx, node, inputs) => {
  const shape = ctx.constValues(inputs[1], node, 'output_shape');
  const indices = ctx.constValues(inputs[0], node, 'sparse_indices');
  const values = ctx.constValues(inputs[2], node, 'sparse_values');
  const [fill = 0] = ctx.constValues(inputs[3], node, 'default_value');
  const dtype = input(inputs, 2, node).dtype;
  const size = shape.reduce((a, b) => a * b, 1);
  const dense = dtype === 'DT_FLOAT' ? new Float32Array(size).fill(fill) : new Int32Array(size).fill(fill);
  const rank = shape.length;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const count = rank === 0 ? 0 : indices.length / Math.max(1, rank);
  for (let k = 0; k < count; k++) {
    let offset = 0;
    for (let d = 0; d < rank; d++) offset += (indices[k * rank + d] ?? 0) * (strides[d] ?? 1);
    dense[offset] = values.length === 1 ? (values[0] ?? 0) : (values[k] ?? 0);
  }
  return [{ dtype, constant: { dtype, shape, values: dense } }];
};

const castTo = (ctx: ConversionContext, name: string, to: TfDType): string => ctx.b.op('Cast', [name], { to: attr.int(ONNX_TYPE[to]) });

const HANDLERS: Readonly<Record<string, Handler>> = {
  Identity: (_ctx, node, inputs) => [input(inputs, 0, node)],
  Cast: (ctx, node, inputs) => {
    const to = attrType(node, 'DstT') ?? 'DT_FLOAT';
    return [ctx.out(castTo(ctx, ctx.name(input(inputs, 0, node)), to), to)];
  },
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  FloorDiv: floorDiv,
  FloorMod: floorMod,
  SparseToDense: sparseToDense,
  LeakyRelu: (ctx, node, inputs) => [
    ctx.out(ctx.b.op('LeakyRelu', [ctx.name(input(inputs, 0, node))], { alpha: attr.float(attrFloat(node, 'alpha', 0.2)) }), 'DT_FLOAT'),
  ],
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  SquaredDifference: (ctx, node, inputs) => {
    const d = ctx.b.op('Sub', [ctx.name(input(inputs, 0, node)), ctx.name(input(inputs, 1, node))]);
    return [ctx.out(ctx.b.op('Mul', [d, d]), dtypeOf(node, inputs))];
  },
  Square: (ctx, node, inputs) => {
    const x = ctx.name(input(inputs, 0, node));
    return [ctx.out(ctx.b.op('Mul', [x, x]), dtypeOf(node, inputs))];
  },
  Rsqrt: (ctx, node, inputs) => [ctx.out(ctx.b.op('Reciprocal', [ctx.b.op('Sqrt', [ctx.name(input(inputs, 0, node))])]), 'DT_FLOAT')],
  Sqrt: unary('Sqrt'),
  Reciprocal: unary('Reciprocal'),
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Floor: unary('Floor'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Relu: unary('Relu'),
  Elu: unary('Elu'),
  Relu6: (ctx, node, inputs) => [ctx.out(fusedActivation(ctx, node, 'Relu6', ctx.name(input(inputs, 0, node)), undefined), 'DT_FLOAT')],
  Prelu: binary('PRelu'),
  Softmax: (ctx, node, inputs) => [ctx.out(ctx.b.op('Softmax', [ctx.name(input(inputs, 0, node))], { axis: attr.int(-1) }), 'DT_FLOAT')],
  AddN: (ctx, node, inputs) => [
    ctx.out(
      ctx.b.op(
        'Sum',
        inputs.map((r) => ctx.name(r)),
      ),
      dtypeOf(node, inputs),
    ),
  ],
  Equal: binary('Equal', 'DT_BOOL'),
  Greater: binary('Greater', 'DT_BOOL'),
  GreaterEqual: binary('GreaterOrEqual', 'DT_BOOL'),
  Less: binary('Less', 'DT_BOOL'),
  LessEqual: binary('LessOrEqual', 'DT_BOOL'),
  LogicalAnd: binary('And', 'DT_BOOL'),
  LogicalOr: binary('Or', 'DT_BOOL'),
  LogicalNot: unary('Not'),
  Select: (ctx, node, inputs) => {
    const [c, t, e] = [input(inputs, 0, node), input(inputs, 1, node), input(inputs, 2, node)];
    return [ctx.out(ctx.b.op('Where', [ctx.name(c), ctx.name(t), ctx.name(e)]), t.dtype)];
  },
  SelectV2: (ctx, node, inputs) => HANDLERS.Select!(ctx, node, inputs),
  Conv2D: conv(false, false),
  _FusedConv2D: conv(false, true),
  DepthwiseConv2dNative: conv(true, false),
  FusedDepthwiseConv2dNative: conv(true, true),
  MatMul: matMul(false),
  _FusedMatMul: matMul(true),
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  ResizeBilinear: resize('linear'),
  ResizeNearestNeighbor: resize('nearest'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Sum: reduce('ReduceSum'),
  Mean: reduce('ReduceMean'),
  Prod: reduce('ReduceProd'),
  ArgMax: (ctx, node, inputs) => {
    const [axis] = ctx.constValues(inputs[1], node, 'dimension');
    const y = ctx.b.op('ArgMax', [ctx.name(input(inputs, 0, node))], { axis: attr.int(axis ?? 0), keepdims: attr.int(0) });
    const to = attrType(node, 'output_type') ?? 'DT_INT64';
    return [ctx.out(to === 'DT_INT64' ? y : castTo(ctx, y, to), to)];
  },
  Shape: (ctx, node, inputs) => {
    const to = attrType(node, 'out_type') ?? 'DT_INT32';
    const y = ctx.b.op('Shape', [ctx.name(input(inputs, 0, node))]);
    return [ctx.out(to === 'DT_INT64' ? y : castTo(ctx, y, to), to)];
  },
  Size: (ctx, node, inputs) => {
    const to = attrType(node, 'out_type') ?? 'DT_INT32';
    const y = ctx.b.op('Size', [ctx.name(input(inputs, 0, node))]);
    return [ctx.out(to === 'DT_INT64' ? y : castTo(ctx, y, to), to)];
  },
  Reshape: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    return [ctx.out(ctx.b.op('Reshape', [ctx.name(x), ctx.int64(input(inputs, 1, node))]), x.dtype)];
  },
  Squeeze: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const dims = attrInts(node, 'squeeze_dims');
    const args = dims.length > 0 ? [ctx.name(x), ctx.b.constInt64(dims)] : [ctx.name(x)];
    return [ctx.out(ctx.b.op('Squeeze', args), x.dtype)];
  },
  ExpandDims: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const axes = ctx.constValues(inputs[1], node, 'dim');
    return [ctx.out(ctx.b.op('Unsqueeze', [ctx.name(x), ctx.b.constInt64(axes)]), x.dtype)];
  },
  Pack: (ctx, node, inputs) => {
    const axis = attrInt(node, 'axis');
    const axes = ctx.b.constInt64([axis]);
    const parts = inputs.map((r) => ctx.b.op('Unsqueeze', [ctx.name(r), axes]));
    const y = parts.length === 1 ? (parts[0] as string) : ctx.b.op('Concat', parts, { axis: attr.int(axis) });
    return [ctx.out(y, dtypeOf(node, inputs))];
  },
  Unpack: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const axis = attrInt(node, 'axis');
    const num = attrInt(node, 'num');
    const axes = ctx.b.constInt64([axis]);
    const parts = ctx.b.node('Split', [ctx.name(x)], num, { axis: attr.int(axis) });
    return parts.map((p) => ctx.out(ctx.b.op('Squeeze', [p, axes]), x.dtype));
  },
  ConcatV2: (ctx, node, inputs) => {
    const [axis] = ctx.constValues(inputs[inputs.length - 1], node, 'axis');
    const parts = inputs.slice(0, -1);
    return [
      ctx.out(
        ctx.b.op(
          'Concat',
          parts.map((r) => ctx.name(r)),
          { axis: attr.int(axis ?? 0) },
        ),
        dtypeOf(node, parts),
      ),
    ];
  },
  SplitV: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const sizes = ctx.constValues(inputs[1], node, 'size_splits');
    const [axis] = ctx.constValues(inputs[2], node, 'split_dim');
    if (sizes.some((s) => s < 0)) throw usage(node, 'an inferred (-1) split size is not supported');
    return ctx.b.node('Split', [ctx.name(x), ctx.b.constInt64(sizes)], sizes.length, { axis: attr.int(axis ?? 0) }).map((p) => ctx.out(p, x.dtype));
  },
  Split: (ctx, node, inputs) => {
    const [axis] = ctx.constValues(inputs[0], node, 'split_dim');
    const x = input(inputs, 1, node);
    return ctx.b.node('Split', [ctx.name(x)], attrInt(node, 'num_split'), { axis: attr.int(axis ?? 0) }).map((p) => ctx.out(p, x.dtype));
  },
  Tile: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    return [ctx.out(ctx.b.op('Tile', [ctx.name(x), ctx.int64(input(inputs, 1, node))]), x.dtype)];
  },
  Fill: (ctx, node, inputs) => {
    const value = input(inputs, 1, node);
    return [ctx.out(ctx.b.op('Expand', [ctx.name(value), ctx.int64(input(inputs, 0, node))]), value.dtype)];
  },
  Range: (ctx, node, inputs) => {
    const [s, l, d] = [input(inputs, 0, node), input(inputs, 1, node), input(inputs, 2, node)];
    return [ctx.out(ctx.b.op('Range', [ctx.name(s), ctx.name(l), ctx.name(d)]), s.dtype)];
  },
  TopKV2: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const k = ctx.b.op('Reshape', [ctx.int64(input(inputs, 1, node)), ctx.b.constInt64([1])]);
    const [values, indices] = ctx.b.node('TopK', [ctx.name(x), k], 2, { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) });
    return [ctx.out(values as string, x.dtype), ctx.out(castTo(ctx, indices as string, 'DT_INT32'), 'DT_INT32')];
  },
  GatherNd: (ctx, node, inputs) => {
    const params = input(inputs, 0, node);
    return [ctx.out(ctx.b.op('GatherND', [ctx.name(params), ctx.int64(input(inputs, 1, node))]), params.dtype)];
  },
  GatherV2: (ctx, node, inputs) => {
    const params = input(inputs, 0, node);
    const [axis] = ctx.constValues(inputs[2], node, 'axis');
    return [ctx.out(ctx.b.op('Gather', [ctx.name(params), ctx.int64(input(inputs, 1, node))], { axis: attr.int(axis ?? 0) }), params.dtype)];
  },
  StridedSlice: stridedSlice,
  Transpose: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const perm = ctx.constValues(inputs[1], node, 'perm');
    return [ctx.out(ctx.b.op('Transpose', [ctx.name(x)], { perm: attr.ints(perm) }), x.dtype)];
  },
  Pad: (ctx, node, inputs) => {
    const x = input(inputs, 0, node);
    const pairs = ctx.constValues(inputs[1], node, 'paddings');
    const befores = pairs.filter((_, i) => i % 2 === 0);
    const afters = pairs.filter((_, i) => i % 2 === 1);
    // PadV2 carries the fill value as a third (scalar) input.
    const fill = inputs[2] ? [ctx.name(inputs[2])] : [];
    return [ctx.out(ctx.b.op('Pad', [ctx.name(x), ctx.b.constInt64([...befores, ...afters]), ...fill]), x.dtype)];
  },
  PadV2: (ctx, node, inputs) => HANDLERS.Pad!(ctx, node, inputs),
};

/** Every TF op the converter maps (plus `Const` and `Placeholder`, which are structural). */
export const SUPPORTED_TF_OPS: readonly string[] = ['Const', 'Placeholder', ...Object.keys(HANDLERS)].sort();

/** The op types a graph uses that the converter does not map; empty when it can convert. */
export function unsupportedOps(nodes: readonly TfNode[]): string[] {
  return [...new Set(nodes.map((n) => n.op).filter((op) => !SUPPORTED_TF_OPS.includes(op)))].sort();
}

function splitTensorName(name: string): { node: string; index: number } {
  const m = /^(.*):(\d+)$/.exec(name);
  return m ? { node: m[1] as string, index: Number(m[2]) } : { node: name, index: 0 };
}

/**
 * Converts a TF.js graph model to ONNX (opset 17). Activations stay NHWC as in TF; each conv
 * and pool is wrapped in a pair of transposes, which onnxruntime's transpose optimizer folds
 * away at session creation. Throws `UNSUPPORTED_OP` naming every unmapped op before doing
 * any work.
 */
export function convertTfjsGraphToOnnx(model: TfjsGraphModel, options: TfjsToOnnxOptions): ConvertedOnnxModel {
  const missing = unsupportedOps(model.nodes);
  if (missing.length > 0) {
    throw new ModelPreparationError(
      ModelPreparationErrorCode.UNSUPPORTED_OP,
      `${model.modelJsonPath} uses TensorFlow op(s) the ONNX converter does not support: ${missing.join(', ')}`,
      { ops: missing, file: model.modelJsonPath },
    );
  }
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const consumed = new Set(model.nodes.flatMap((n) => (n.input ?? []).map((i) => splitTensorName(i.replace(/^\^/, '')).node)));
  const outputSpecs = options.outputs ?? model.nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => ({ tf: n.name, onnx: n.name }));

  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `graph has a cycle at ${name}`, { node: name });
    }
    const node = byName.get(name);
    if (!node) throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `graph refers to missing node ${name}`, { node: name });
    state.set(name, 'visiting');
    for (const i of node.input ?? []) if (!i.startsWith('^')) visit(splitTensorName(i).node);
    state.set(name, 'done');
    order.push(node);
  };
  for (const o of outputSpecs) visit(splitTensorName(o.tf).node);

  const b = new OnnxGraphBuilder();
  const ctx = new ConversionContext(b);
  const refs = new Map<string, Ref[]>();
  const graphInputs: OnnxValueInfo[] = [];

  for (const node of order) {
    if (node.op === 'Const') {
      const constant = model.constants.get(node.name);
      if (!constant) throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `no weights for constant ${node.name}`, { node: node.name });
      refs.set(node.name, [{ dtype: constant.dtype, constant }]);
      continue;
    }
    if (node.op === 'Placeholder') {
      const dtype = attrType(node, 'dtype') ?? 'DT_FLOAT';
      const declared = ((node.attr?.shape?.shape as { dim?: { size?: string }[] } | undefined)?.dim ?? []).map((d) => Number(d.size ?? -1));
      const shape = (options.inputShapes?.[node.name] ?? declared).map((d, i) => (typeof d === 'number' && d < 0 ? `${node.name}_dim${i}` : d));
      const name = b.uniqueName(node.name);
      graphInputs.push({ name, dataType: ONNX_TYPE[dtype], shape });
      refs.set(node.name, [{ dtype, onnx: name }]);
      continue;
    }
    const inputs = (node.input ?? [])
      .filter((i) => !i.startsWith('^'))
      .map((i) => {
        const { node: src, index } = splitTensorName(i);
        const r = refs.get(src)?.[index];
        if (!r) throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `${node.name} reads ${i}, which has no value`, { node: node.name });
        return r;
      });
    const handler = HANDLERS[node.op] as Handler;
    refs.set(node.name, handler(ctx, node, inputs));
  }

  const graphOutputs: OnnxValueInfo[] = outputSpecs.map((o) => {
    const { node, index } = splitTensorName(o.tf);
    const r = refs.get(node)?.[index];
    if (!r) throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `output ${o.tf} has no value`, { node: o.tf });
    b.node('Identity', [ctx.name(r)], [o.onnx]);
    return { name: o.onnx, dataType: ONNX_TYPE[r.dtype] };
  });

  const bytes = b.build({
    graphName: options.graphName,
    inputs: graphInputs,
    outputs: graphOutputs,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  return { bytes, inputs: graphInputs, outputs: graphOutputs, tfOps: [...new Set(order.map((n) => n.op))].sort() };
}
