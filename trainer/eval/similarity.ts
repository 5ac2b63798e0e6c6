// Cross-lingual representation similarity: how close the model's hidden states
// are for the same item written in two languages. SOLAR aims to pull these
// together, so the language x language matrix is a headline eval number.

/** Cosine similarity in double precision; 0 when either vector is all zeros (no direction to compare). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors have different lengths (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  // Clamp: rounding can push |cos| a hair past 1, which later 1-cos distances would turn negative.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/** Element-wise mean of equal-length rows (e.g. token states -> one sentence vector). */
export function meanPool(rows: readonly Float32Array[]): Float32Array {
  if (rows.length === 0) throw new Error('meanPool: no rows to pool');
  const dim = rows[0].length;
  // Accumulate in float64 so long sequences do not lose precision.
  const sum = new Float64Array(dim);
  for (const row of rows) {
    if (row.length !== dim) throw new Error(`meanPool: row of length ${row.length}, expected ${dim}`);
    for (let i = 0; i < dim; i++) sum[i] += row[i];
  }
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = sum[i] / rows.length;
  return out;
}

export interface SimilarityMatrix {
  languages: string[];
  /** matrix[i][j]: mean cosine between languages[i] and languages[j] over items present in both. */
  matrix: number[][];
}

/**
 * Language x language similarity for parallel items. `byLang` maps a language
 * to one vector per item, aligned by item index across languages; null marks
 * an item that language lacks. Each off-diagonal cell is the mean, over items
 * present in both languages, of the cosine between the two versions of the
 * item. The diagonal is 1 by definition. A pair with no shared item gets NaN
 * rather than 0, because 0 would read as "orthogonal" instead of "unknown".
 */
export function similarityMatrix(
  byLang: ReadonlyMap<string, ReadonlyArray<Float32Array | null>>,
  languages: readonly string[],
): SimilarityMatrix {
  const columns = languages.map((lang) => {
    const col = byLang.get(lang);
    if (!col) throw new Error(`similarityMatrix: no vectors for language "${lang}"`);
    return col;
  });
  const n = columns.length > 0 ? columns[0].length : 0;
  columns.forEach((col, i) => {
    if (col.length !== n) {
      throw new Error(
        `similarityMatrix: "${languages[i]}" has ${col.length} items but "${languages[0]}" has ${n}; items are aligned by index`,
      );
    }
  });
  const matrix = languages.map(() => languages.map(() => 1));
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      let sum = 0;
      let count = 0;
      for (let k = 0; k < n; k++) {
        const a = columns[i][k];
        const b = columns[j][k];
        if (!a || !b) continue;
        sum += cosine(a, b);
        count++;
      }
      const mean = count > 0 ? sum / count : Number.NaN;
      matrix[i][j] = mean;
      matrix[j][i] = mean;
    }
  }
  return { languages: [...languages], matrix };
}
