/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import * as ort from 'onnxruntime-node';
import { ModelPreparationErrorCode } from '../model-preparation.error';
import type { TfConstant, TfNode, TfjsGraphModel } from './tfjs-graph-model.loader';
import { convertTfjsGraphToOnnx } from './tfjs-to-onnx.converter';

const i32 = (values: number[], shape = [values.length]): TfConstant => ({ dtype: 'DT_INT32', shape, values: Int32Array.from(values) });
const node = (name: string, op: string, input: string[] = [], attr: TfNode['attr'] = {}): TfNode => ({ name, op, input, attr });
const placeholder = (dtype: string, dims: number[]): TfNode =>
  node('x', 'Placeholder', [], { dtype: { type: dtype }, shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } });

function graph(nodes: TfNode[], constants: Record<string, TfConstant> = {}): TfjsGraphModel {
  return { nodes, constants: new Map(Object.entries(constants)), sourceSha256: 'test', modelJsonPath: 'test/model.json' };
}

async function run(model: TfjsGraphModel, x: ort.Tensor): Promise<ort.Tensor> {
  const converted = convertTfjsGraphToOnnx(model, { graphName: 't' });
  const session = await ort.InferenceSession.create(converted.bytes);
  const out = await session.run({ x });
  await session.release();
  return out[converted.outputs[0]?.name as string] as ort.Tensor;
}

describe('convertTfjsGraphToOnnx', () => {
  it('names every unsupported op before converting anything', () => {
    const model = graph([placeholder('DT_FLOAT', [2]), node('a', 'Cumsum', ['x']), node('b', 'Erf', ['a'])]);
    expect(() => convertTfjsGraphToOnnx(model, { graphName: 't' })).toThrow(
      expect.objectContaining({ code: ModelPreparationErrorCode.UNSUPPORTED_OP, message: expect.stringContaining('Cumsum, Erf') }),
    );
  });

  it.each([
    [7, 2, 3],
    [-7, 2, -4],
    [7, -2, -4],
    [-7, -2, 3],
    [6, 3, 2],
    [-6, 3, -2],
  ])('FloorDiv on int32 rounds towards -inf like TF: %i // %i = %i', async (a, b, expected) => {
    const model = graph([placeholder('DT_INT32', [1]), node('b', 'Const'), node('q', 'FloorDiv', ['x', 'b'], { T: { type: 'DT_INT32' } })], { b: i32([b]) });
    const out = await run(model, new ort.Tensor('int32', Int32Array.from([a]), [1]));
    expect(Array.from(out.data as Int32Array)).toEqual([expected]);
  });

  it.each([
    ['x[1:3]', [1], [3], [1], {}, [2, 2], [2, 3, 4, 5]],
    ['x[1] (shrink)', [1], [2], [1], { shrink_axis_mask: 1 }, [2], [2, 3]],
    ['x[:, ::-1] (begin/end masks, negative stride)', [0, 0], [0, 0], [1, -1], { begin_mask: 3, end_mask: 3 }, [4, 2], [1, 0, 3, 2, 5, 4, 7, 6]],
    ['x[None, -1] (new axis, shrink last row)', [0, -1], [0, 0], [1, 1], { new_axis_mask: 1, shrink_axis_mask: 2 }, [1, 2], [6, 7]],
  ])('StridedSlice %s', async (_label, begin, end, strides, masks, dims, expected) => {
    const attrs = Object.fromEntries(Object.entries(masks).map(([k, v]) => [k, { i: String(v) }]));
    const model = graph(
      [placeholder('DT_FLOAT', [4, 2]), node('b', 'Const'), node('e', 'Const'), node('s', 'Const'), node('y', 'StridedSlice', ['x', 'b', 'e', 's'], attrs)],
      { b: i32(begin), e: i32(end), s: i32(strides) },
    );
    const out = await run(model, new ort.Tensor('float32', Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [4, 2]));
    expect(out.dims).toEqual(dims);
    expect(Array.from(out.data as Float32Array)).toEqual(expected);
  });
});
