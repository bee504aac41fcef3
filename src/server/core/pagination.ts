import { z } from 'zod';
import { AppError } from './errors';

export const MAX_PAGE_SIZE = 500;

export const ZPageQuery = z.object({
  size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  continuationToken: z.string().max(512).optional(),
});

export const ZLink = z.object({ uri: z.string(), method: z.literal('GET') });
export const ZLinks = z.object({ self: ZLink, next: ZLink.optional() });

export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({ totalCount: z.number().int(), items: z.array(item), links: ZLinks });
}

/** Keyset cursor: the sort key and id of the last row of the page, opaque to clients. */
export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');
}

const UUID_ID = /^[0-9a-f-]{36}$/;

export function decodeCursor(token: string | undefined, idPattern: RegExp = UUID_ID): { key: string; id: string } | undefined {
  if (token === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && idPattern.test(v[1])) {
      return { key: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw new AppError('INVALID_CONTINUATION_TOKEN');
}

/** Build `links` for a collection: `self` is this page, `next` only while more items remain. */
export function collectionLinks(path: string, query: Record<string, string | number | undefined>, nextToken: string | undefined) {
  const build = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return { uri: qs ? `${path}?${qs}` : path, method: 'GET' as const };
  };
  return {
    self: build({}),
    ...(nextToken ? { next: build({ continuationToken: nextToken }) } : {}),
  };
}
