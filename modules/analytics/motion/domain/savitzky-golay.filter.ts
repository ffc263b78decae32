/**
 * Savitzky–Golay smoothing and differentiation of a uniformly sampled signal.
 *
 * Why Savitzky–Golay rather than Butterworth: the analyses run on whole recorded sequences and
 * care most about the timing and height of extremes (the bottom of a squat, the edges of a
 * flight). A local polynomial fit keeps peaks and their timing (zero phase, no ringing) and
 * yields the derivative (velocity) from the same fit, whereas a low-order Butterworth low-pass
 * rounds peaks off, must be run forwards and backwards to avoid lag, and needs its cutoff
 * re-derived for every frame rate. The window here is given in seconds and converted per
 * frame rate, so the same smoothing holds from 5 to 60 fps.
 *
 * Gaps (NaN samples: frames without the athlete or with low-confidence joints) are skipped by
 * the fit instead of being interpolated, so a gap never shows up as a fake movement; a point
 * whose window holds too few valid samples comes out NaN.
 */

/** Options of {@link savitzkyGolay}. */
export interface SavitzkyGolayOptions {
  /** Sampling rate, frames per second. */
  readonly fps: number;
  /**
   * Window length in seconds (rounded to an odd number of samples, at least 3). Longer windows
   * remove more keypoint jitter but flatten short events; 0.1 s suits take-off edges, 0.4 s
   * suits squat angles.
   */
  readonly windowS: number;
  /** Polynomial order; default 2 (keeps parabolic extremes such as a squat's bottom). */
  readonly order?: number;
}

/** A smoothed signal and its first derivative per second (same length as the input). */
export interface FilteredSignal {
  readonly value: Float64Array;
  readonly velocity: Float64Array;
}

/** Smooths `samples` and differentiates it; see the file comment for the choice of filter. */
export function savitzkyGolay(samples: ArrayLike<number>, options: SavitzkyGolayOptions): FilteredSignal {
  const order = options.order ?? 2;
  if (!(options.fps > 0)) throw new RangeError(`fps must be positive, got ${options.fps}`);
  if (!Number.isInteger(order) || order < 1 || order > 4) throw new RangeError(`order must be an integer in 1..4, got ${order}`);
  const n = samples.length;
  const half = Math.max(1, Math.floor(Math.round(options.windowS * options.fps) / 2));
  const value = new Float64Array(n).fill(Number.NaN);
  const velocity = new Float64Array(n).fill(Number.NaN);
  const dt = 1 / options.fps;
  // Fast path: a centred window without gaps is a fixed convolution (the classic SG kernel),
  // the same numbers as the fit below at a fraction of the cost (live analyses re-filter often).
  const kernel = centredKernel(half, order);
  const gapsBefore = new Int32Array(n + 1);
  for (let i = 0; i < n; i += 1) gapsBefore[i + 1] = (gapsBefore[i] ?? 0) + (Number.isFinite(samples[i] ?? Number.NaN) ? 0 : 1);
  for (let i = 0; i < n; i += 1) {
    if (!Number.isFinite(samples[i] ?? Number.NaN)) continue;
    if (kernel && i - half >= 0 && i + half < n && gapsBefore[i + half + 1] === gapsBefore[i - half]) {
      let v = 0;
      let d = 0;
      for (let j = -half; j <= half; j += 1) {
        const y = samples[i + j] ?? 0;
        v += (kernel.value[j + half] ?? 0) * y;
        d += (kernel.slope[j + half] ?? 0) * y;
      }
      value[i] = v;
      velocity[i] = d / dt;
      continue;
    }
    // Near the ends the window is shifted inside the signal (an asymmetric fit), never padded.
    let lo = i - half;
    let hi = i + half;
    if (lo < 0) {
      hi = Math.min(n - 1, hi - lo);
      lo = 0;
    }
    if (hi > n - 1) {
      lo = Math.max(0, lo - (hi - (n - 1)));
      hi = n - 1;
    }
    const fit = fitPolynomial(samples, lo, hi, i, order);
    if (fit === null) continue;
    value[i] = fit[0] ?? Number.NaN;
    velocity[i] = (fit[1] ?? Number.NaN) / dt;
  }
  return { value, velocity };
}

const kernels = new Map<string, { value: Float64Array; slope: Float64Array } | null>();

/**
 * Weights of the centred, gap-free window: the fit is linear in the samples, so fitting each
 * unit impulse gives the weight of that sample in the value (c0) and the slope (c1).
 */
function centredKernel(half: number, order: number): { value: Float64Array; slope: Float64Array } | null {
  const key = `${half}:${order}`;
  if (kernels.has(key)) return kernels.get(key) ?? null;
  const size = 2 * half + 1;
  const value = new Float64Array(size);
  const slope = new Float64Array(size);
  let kernel: { value: Float64Array; slope: Float64Array } | null = { value, slope };
  for (let j = 0; j < size; j += 1) {
    const impulse = new Float64Array(size);
    impulse[j] = 1;
    const fit = fitPolynomial(impulse, 0, size - 1, half, order);
    if (fit === null) {
      kernel = null;
      break;
    }
    value[j] = fit[0] ?? 0;
    slope[j] = fit[1] ?? 0;
  }
  kernels.set(key, kernel);
  return kernel;
}

/**
 * Least-squares polynomial through the finite samples of [lo, hi], in samples relative to
 * `centre`; returns its coefficients (c0 = value at centre, c1 = slope per sample), or null
 * when too few samples are valid for the order (the order drops to what the data supports).
 */
function fitPolynomial(samples: ArrayLike<number>, lo: number, hi: number, centre: number, order: number): number[] | null {
  let valid = 0;
  for (let k = lo; k <= hi; k += 1) if (Number.isFinite(samples[k] ?? Number.NaN)) valid += 1;
  const p = Math.min(order, valid - 1);
  if (p < 1) return valid === 1 ? [samples[centre] ?? Number.NaN, Number.NaN] : null;
  const m = p + 1;
  // Normal equations (A^T A) c = A^T y, solved by Gaussian elimination with partial pivoting.
  const ata = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const aty = new Array<number>(m).fill(0);
  for (let k = lo; k <= hi; k += 1) {
    const y = samples[k] ?? Number.NaN;
    if (!Number.isFinite(y)) continue;
    const t = k - centre;
    const powers = [1];
    for (let e = 1; e < 2 * m; e += 1) powers.push((powers[e - 1] ?? 0) * t);
    for (let r = 0; r < m; r += 1) {
      aty[r] = (aty[r] ?? 0) + (powers[r] ?? 0) * y;
      const row = ata[r] ?? [];
      for (let c = 0; c < m; c += 1) row[c] = (row[c] ?? 0) + (powers[r + c] ?? 0);
    }
  }
  return solveLinear(ata, aty);
}

function solveLinear(a: number[][], b: number[]): number[] | null {
  const m = b.length;
  for (let col = 0; col < m; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < m; r += 1) if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    if (Math.abs(a[pivot]?.[col] ?? 0) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot] ?? [], a[col] ?? []];
    [b[col], b[pivot]] = [b[pivot] ?? 0, b[col] ?? 0];
    const rowCol = a[col] ?? [];
    for (let r = col + 1; r < m; r += 1) {
      const row = a[r] ?? [];
      const f = (row[col] ?? 0) / (rowCol[col] ?? 1);
      for (let c = col; c < m; c += 1) row[c] = (row[c] ?? 0) - f * (rowCol[c] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[col] ?? 0);
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r -= 1) {
    const row = a[r] ?? [];
    let s = b[r] ?? 0;
    for (let c = r + 1; c < m; c += 1) s -= (row[c] ?? 0) * (x[c] ?? 0);
    x[r] = s / (row[r] ?? 1);
  }
  return x;
}
