import { MotError, MotErrorCode } from './mot.error';

/** A dense row-major cost matrix. Entries that are NaN or infinite are forbidden pairs. */
export interface CostMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `rows * cols` costs, row-major. */
  readonly data: Float64Array;
}

/** The result of {@link solveLinearAssignment}: only allowed pairs are reported. */
export interface Assignment {
  /** For each row, the column it got, or -1. */
  readonly rowToCol: Int32Array;
  /** For each column, the row it got, or -1. */
  readonly colToRow: Int32Array;
  /** `[row, col]` pairs in row order. */
  readonly pairs: ReadonlyArray<readonly [number, number]>;
  /** Sum of the costs of the reported pairs. */
  readonly totalCost: number;
}

/** Options of {@link solveLinearAssignment}. */
export interface LinearAssignmentOptions {
  /**
   * Pairs whose cost is above this gate are forbidden (never reported). Default: no gate.
   * A gate is not the same as dropping pairs after solving: forbidden pairs never steal a
   * row or column from an allowed pair.
   */
  readonly maxCost?: number;
}

/** Builds a {@link CostMatrix} from nested arrays (tests, small callers). */
export function costMatrixFromRows(rows: ReadonlyArray<ReadonlyArray<number>>): CostMatrix {
  const nRows = rows.length;
  const nCols = nRows === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(nRows * nCols);
  rows.forEach((row, r) => {
    if (row.length !== nCols) {
      throw new MotError(MotErrorCode.INVALID_COST_MATRIX, `cost matrix row ${r} has ${row.length} columns, expected ${nCols}`);
    }
    for (let c = 0; c < nCols; c++) data[r * nCols + c] = row[c]!;
  });
  return { rows: nRows, cols: nCols, data };
}

/**
 * Minimum-cost rectangular linear assignment (shortest augmenting paths, the
 * Jonker-Volgenant family as formulated by Crouse 2016 and used by SciPy's
 * `linear_sum_assignment`), O(n^2 m).
 *
 * Forbidden pairs (non-finite, or above `maxCost`) are replaced by a constant so large that
 * the solver first maximises the number of allowed pairs and then minimises their cost; the
 * same construction py-motmetrics uses, so evaluation results agree with it.
 */
export function solveLinearAssignment(matrix: CostMatrix, options: LinearAssignmentOptions = {}): Assignment {
  const { rows, cols, data } = matrix;
  if (data.length !== rows * cols) {
    throw new MotError(MotErrorCode.INVALID_COST_MATRIX, `cost matrix data has ${data.length} entries, expected ${rows}x${cols}`);
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  const colToRow = new Int32Array(cols).fill(-1);
  if (rows === 0 || cols === 0) return { rowToCol, colToRow, pairs: [], totalCost: 0 };

  const maxCost = options.maxCost ?? Infinity;
  const allowed = new Uint8Array(rows * cols);
  let maxAbs = 0;
  let anyAllowed = false;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (Number.isFinite(v) && v <= maxCost) {
      allowed[k] = 1;
      anyAllowed = true;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
    }
  }
  if (!anyAllowed) return { rowToCol, colToRow, pairs: [], totalCost: 0 };

  // Cost of a forbidden edge: taking it once and the best edge r-1 times must be worse than
  // taking the worst allowed edge r times.
  const r = Math.min(rows, cols);
  const c = maxAbs + 1;
  const large = 2 * r * c + 1;

  const transpose = rows > cols;
  const nr = transpose ? cols : rows;
  const nc = transpose ? rows : cols;
  const cost = new Float64Array(nr * nc);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      const v = allowed[k] ? data[k]! : large;
      if (transpose) cost[j * nc + i] = v;
      else cost[i * nc + j] = v;
    }
  }

  const col4row = solveDense(cost, nr, nc);

  let totalCost = 0;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < nr; i++) {
    const j = col4row[i]!;
    if (j < 0) continue;
    const row = transpose ? j : i;
    const col = transpose ? i : j;
    if (!allowed[row * cols + col]) continue;
    rowToCol[row] = col;
    colToRow[col] = row;
  }
  for (let row = 0; row < rows; row++) {
    const col = rowToCol[row]!;
    if (col < 0) continue;
    pairs.push([row, col]);
    totalCost += data[row * cols + col]!;
  }
  return { rowToCol, colToRow, pairs, totalCost };
}

/** Shortest-augmenting-path LSAP for nr <= nc, finite costs. Returns col4row. */
function solveDense(cost: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const sr = new Uint8Array(nr);
  const sc = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    let minVal = 0;
    let i = curRow;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    sr.fill(0);
    sc.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      sr[i] = 1;
      const base = i * nc;
      const ui = u[i]!;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const reduced = minVal + cost[base + j]! - ui - v[j]!;
        if (reduced < shortest[j]!) {
          path[j] = i;
          shortest[j] = reduced;
        }
        const s = shortest[j]!;
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (index < 0 || minVal === Infinity) {
        throw new MotError(MotErrorCode.INVALID_COST_MATRIX, 'assignment problem is infeasible');
      }
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      sc[j] = 1;
      numRemaining--;
      remaining[index] = remaining[numRemaining]!;
    }

    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < nr; r++) {
      if (sr[r] && r !== curRow) u[r] = u[r]! + minVal - shortest[col4row[r]!]!;
    }
    for (let j = 0; j < nc; j++) {
      if (sc[j]) v[j] = v[j]! - (minVal - shortest[j]!);
    }

    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const prev = col4row[r]!;
      col4row[r] = j;
      j = prev;
      if (r === curRow) break;
    }
  }
  return col4row;
}
