/** Encodings a manifest may arrive in (spreadsheet exports: UTF-8 with or without BOM, UTF-16 from Excel, latin1 from old tools). */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'latin1';

/**
 * Detects the encoding from a BOM, else from NUL-byte patterns (UTF-16 without BOM), else
 * UTF-8 if the bytes are valid UTF-8, else latin1 (every byte string is valid latin1, so it
 * is the fallback rather than a guess among legacy code pages).
 */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul += 1;
    else oddNul += 1;
  }
  const half = sample.length / 2;
  if (oddNul > half * 0.3 && evenNul < half * 0.05) return 'utf-16le';
  if (evenNul > half * 0.3 && oddNul < half * 0.05) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'latin1';
  }
}

/** Decodes bytes in the given encoding, dropping any BOM. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return new TextDecoder('utf-8').decode(bytes);
    case 'utf-16le':
      return new TextDecoder('utf-16le').decode(bytes);
    case 'utf-16be': {
      const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
      swapped.swap16();
      return new TextDecoder('utf-16le').decode(swapped);
    }
    case 'latin1':
      return new TextDecoder('latin1').decode(bytes);
  }
}

/** Candidate field delimiters, in order of preference on ties. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Picks the delimiter from the header and the next few lines: the candidate that occurs
 * (outside quotes) the same non-zero number of times on the most lines, preferring more
 * fields, then the order of {@link DELIMITERS}. A one-column file gets `,`.
 */
export function detectDelimiter(text: string): (typeof DELIMITERS)[number] {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').slice(0, 20);
  const header = lines[0] ?? '';
  let best: (typeof DELIMITERS)[number] = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const inHeader = countOutsideQuotes(header, d);
    if (inHeader === 0) continue;
    const agreeing = lines.filter((l) => countOutsideQuotes(l, d) === inHeader).length;
    const score = agreeing * 1000 + inHeader;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let quoted = false;
  let n = 0;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) n += 1;
  }
  return n;
}
