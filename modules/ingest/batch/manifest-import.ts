import { parse } from 'csv-parse/sync';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import { hasControlCharacters } from '../domain/media-roots';
import { decodeText, detectDelimiter, detectEncoding, type TextEncoding } from './text-encoding';

/** One valid manifest row, NFC-normalized. */
export interface ManifestEntry {
  /** 1-based line of the row in the file (header is line 1). */
  line: number;
  localPath: string;
  label: string | null;
  filename: string;
  remoteUrl: string | null;
  /** Every other column, by header name. */
  metadata: Record<string, string>;
}

/** A row that could not be imported, with why. */
export interface ManifestProblem {
  line: number;
  message: string;
}

export interface ParsedManifest {
  encoding: TextEncoding;
  delimiter: string;
  entries: ManifestEntry[];
  malformed: ManifestProblem[];
}

const KNOWN = new Set(['local_path', 'label', 'filename', 'remote_url']);
const nfc = (s: string): string => s.normalize('NFC').trim();

/**
 * Parses a manifest CSV (pure): detects encoding and delimiter, requires a header row with
 * `local_path`, normalizes every text field to Unicode NFC, keeps unknown columns as metadata,
 * and reports malformed rows (wrong field count, empty `local_path`, an unclosed quote) with
 * their line numbers instead of stopping. `filename` defaults to the path's last segment.
 *
 * @throws IngestError MANIFEST_INVALID when the header is missing or lacks `local_path` (nothing can be imported).
 */
export function parseManifest(bytes: Uint8Array): ParsedManifest {
  const encoding = detectEncoding(bytes);
  const text = decodeText(bytes, encoding);
  const delimiter = detectDelimiter(text);
  const malformed: ManifestProblem[] = [];
  let header: string[] = [];
  const records = parse(text, {
    delimiter,
    bom: true,
    columns: (names: string[]) => {
      header = names.map((n) => nfc(n).toLowerCase());
      return header;
    },
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error: { message: string; lines?: number } | undefined) => {
      if (error) malformed.push({ line: error.lines ?? 0, message: error.message });
    },
  }) as Array<{ record: Record<string, string | undefined>; info: { lines: number } }>;
  if (!header.includes('local_path')) {
    throw new IngestError(IngestErrorCode.MANIFEST_INVALID, header.length === 0 ? 'the manifest is empty' : `the header has no local_path column (found: ${header.join(', ')})`);
  }
  const entries: ManifestEntry[] = [];
  for (const { record, info } of records) {
    const localPath = nfc(record['local_path'] ?? '');
    if (!localPath) {
      malformed.push({ line: info.lines, message: 'local_path is empty' });
      continue;
    }
    const remoteUrl = nfc(record['remote_url'] ?? '');
    if (hasControlCharacters(localPath) || hasControlCharacters(remoteUrl)) {
      malformed.push({ line: info.lines, message: 'local_path and remote_url must not contain control characters' });
      continue;
    }
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) if (!KNOWN.has(key) && value !== undefined) metadata[key] = nfc(value);
    const label = nfc(record['label'] ?? '');
    const filename = nfc(record['filename'] ?? '');
    entries.push({
      line: info.lines,
      localPath,
      label: label || null,
      filename: filename || (localPath.split(/[\\/]/).pop() as string),
      remoteUrl: remoteUrl || null,
      metadata,
    });
  }
  malformed.sort((a, b) => a.line - b.line);
  return { encoding, delimiter, entries, malformed };
}


/**
 * File-system access the validation needs, for one tenant; injected so the planning logic stays
 * pure. A path outside the tenant's media roots and a missing one look the same (null), so an
 * import is no oracle for what exists on the server, and no hash of an outside file is taken.
 */
export interface ManifestFileAccess {
  /** The real path of a regular file the tenant may read, or null. */
  readableFile(path: string): Promise<string | null>;
  /** SHA-1 hex of the bytes of a path {@link readableFile} returned. */
  sha1(realPath: string): Promise<string>;
}

/** A manifest row with its validation outcome. */
export type PlannedVideo =
  | (ManifestEntry & { status: 'queued'; sha1: string; duplicateOf: null })
  /** Same bytes as an earlier row: its result is reused, not processed twice. */
  | (ManifestEntry & { status: 'duplicate'; sha1: string; duplicateOf: number })
  | (ManifestEntry & { status: 'missing_file'; sha1: null; duplicateOf: null });

/**
 * Validates paths (`missing_file`: missing or outside the tenant's media roots) and detects duplicate videos by SHA-1 content hash, in
 * manifest order: the first row with given bytes is `queued`, later ones point at its line.
 * `knownSha1` maps hashes already processed in earlier imports to a job id for reuse.
 */
export async function planManifest(entries: readonly ManifestEntry[], files: ManifestFileAccess, knownSha1: ReadonlyMap<string, number> = new Map()): Promise<PlannedVideo[]> {
  const firstLine = new Map<string, number>(knownSha1);
  const out: PlannedVideo[] = [];
  for (const entry of entries) {
    const real = await files.readableFile(entry.localPath);
    if (real === null) {
      out.push({ ...entry, status: 'missing_file', sha1: null, duplicateOf: null });
      continue;
    }
    const sha1 = await files.sha1(real);
    const first = firstLine.get(sha1);
    if (first !== undefined) out.push({ ...entry, status: 'duplicate', sha1, duplicateOf: first });
    else {
      firstLine.set(sha1, entry.line);
      out.push({ ...entry, status: 'queued', sha1, duplicateOf: null });
    }
  }
  return out;
}
