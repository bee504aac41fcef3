import { CsvError, parse } from 'csv-parse';
import { pipeline } from 'node:stream/promises';
import { AppError, type ErrorDetail } from '../../../core/errors';
import { archiveCorrupt, type CsvSource } from './source';

/** At most this many problems are kept in a refusal report; the total is always counted. */
export const REPORT_MAX = 100;

/** Collects an import's problems: the first REPORT_MAX in full, and how many there were. */
export class Report {
  readonly details: ErrorDetail[] = [];
  total = 0;
  add(found: ErrorDetail[]): void {
    this.total += found.length;
    for (const d of found) if (this.details.length < REPORT_MAX) this.details.push(d);
  }
  toError(): AppError {
    return new AppError('IMPORT_INVALID', { rows: this.total }, this.details);
  }
}

/**
 * The records of a CSV source with the file line each starts on (header = line 1), streamed:
 * csv-parse holds one record at a time and the for-await loop gives backpressure.
 * A broken archive surfaces as ARCHIVE_CORRUPT, bad quoting as IMPORT_INVALID.
 */
export async function* csvRecords(source: CsvSource): AsyncGenerator<{ cells: string[]; line: number }> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 1 << 20 });
  pipeline(source.csv, parser).catch(() => undefined);
  let prevEnd = 0;
  let prevEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
      // csv-parse reports the line a record ends on; a quoted field may span lines.
      const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
      prevEnd = info.lines;
      prevEmpty = info.empty_lines;
      yield { cells: record, line };
    }
  } catch (err) {
    const broken = source.archiveError();
    if (broken) throw archiveCorrupt(broken);
    if (err instanceof AppError) throw err;
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ ...(line ? { line } : {}), reason: 'csv_malformed', message: '' }]);
    }
    throw err;
  } finally {
    if (!parser.destroyed) parser.destroy();
    if (!source.csv.destroyed) source.csv.destroy();
  }
  const broken = source.archiveError();
  if (broken) throw archiveCorrupt(broken);
}
