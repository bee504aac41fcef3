import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../core/errors';
import { MAX_LOGO_WIDTH_PX, MIN_LOGO_PX } from '../../../shared/taxonomy';

/** Logos: GIF, JPEG or PNG (by content), at least 216×216, at most 2 MB as uploaded. */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
export const LOGO_TYPES = ['image/gif', 'image/jpeg', 'image/png'] as const;
/** A hard bound on decoding, so a small file cannot expand into gigabytes of pixels. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface ProcessedLogo {
  bytes: Buffer;
  type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  sourceType: string;
  sourceWidth: number;
  sourceHeight: number;
}

const fileProblem = (reason: string) => [{ field: 'file', reason, message: '' }];

/**
 * Check an uploaded logo by its content and store it at most 300 px wide (never enlarged,
 * aspect kept). Photos (JPEG) stay JPEG; GIF and PNG become PNG, keeping transparency.
 * An animated GIF keeps its first frame.
 */
export async function processLogo(bytes: Buffer): Promise<ProcessedLogo> {
  if (bytes.length === 0) throw new AppError('FILE_EMPTY', {}, fileProblem('logo_empty'));
  if (bytes.length > MAX_LOGO_BYTES) throw new AppError('FILE_TOO_LARGE', { maxMb: MAX_LOGO_BYTES / 1024 / 1024 });
  const found = await fileTypeFromBuffer(bytes);
  if (!found || !(LOGO_TYPES as readonly string[]).includes(found.mime)) throw new AppError('FILE_TYPE_REFUSED', {}, fileProblem('logo_type'));
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    // The right magic bytes, but not a decodable image.
    throw new AppError('FILE_TYPE_REFUSED', {}, fileProblem('logo_type'));
  }
  // EXIF orientations 5–8 swap width and height once rotated.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  // GIF pages: metadata's height is the first frame's (pageHeight) when there are several.
  const frameHeight = meta.pages && meta.pages > 1 && meta.pageHeight ? meta.pageHeight : height;
  if (width < MIN_LOGO_PX || frameHeight < MIN_LOGO_PX) {
    throw new AppError('IMAGE_TOO_SMALL', { min: MIN_LOGO_PX, width, height: frameHeight }, [{ field: 'file', reason: 'image_too_small', message: '', params: { min: MIN_LOGO_PX, width, height: frameHeight } }]);
  }
  const asJpeg = found.mime === 'image/jpeg';
  try {
    const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 }).rotate().resize({ width: MAX_LOGO_WIDTH_PX, withoutEnlargement: true });
    const out = asJpeg ? await pipeline.jpeg({ quality: 85, mozjpeg: true }).toBuffer({ resolveWithObject: true }) : await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true });
    return { bytes: out.data, type: asJpeg ? 'image/jpeg' : 'image/png', width: out.info.width, height: out.info.height, sourceType: found.mime, sourceWidth: width, sourceHeight: frameHeight };
  } catch {
    throw new AppError('FILE_TYPE_REFUSED', {}, fileProblem('logo_type'));
  }
}
