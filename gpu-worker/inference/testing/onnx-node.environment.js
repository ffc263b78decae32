// Jest environment for tests that call onnxruntime-node. Jest gives each test file its own
// realm, so the typed arrays a native addon creates (outer realm) fail `instanceof` checks in
// onnxruntime-common (inner realm): "A float32 tensor's data must be type of Float32Array".
// Sharing the host's typed-array constructors fixes it. Use with the docblock
//   @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxNodeEnvironment;
