import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';

/**
 * A resource read with its ETag and written with `If-Match` (profiles, tax, bank profiles).
 *
 * - `data` is the server's version and `etag` its ETag; `save(body)` PUTs (or PATCHes) with
 *   If-Match and takes the new version on success.
 * - On 412 PRECONDITION_FAILED someone else changed it: `conflict` holds the server's current
 *   version (read again at once), and `data`/`etag` stay as they were so the form keeps what
 *   the user typed. `acceptConflict()` takes the server's version as the new base (the ETag
 *   too) without touching the form: the user reviews their edits next to the fresh values and
 *   saves again.
 * - Any other error is thrown to the caller (field errors are the form's business).
 */
export function useEtagResource<T>(path: string, deps: readonly unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<{ data: T; etag: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef<string | null>(null);

  const fetchCurrent = useCallback(
    async (signal?: AbortSignal) => {
      let tag: string | null = null;
      const body = await api<T>(path, { ...(signal ? { signal } : {}), onResponse: (r) => (tag = r.headers.get('etag')) });
      return { data: body, etag: tag ?? '' };
    },
    [path],
  );

  useEffect(() => {
    const ctl = new AbortController();
    setLoadError(null);
    fetchCurrent(ctl.signal).then(
      (r) => {
        setData(r.data);
        setEtag(r.etag);
        latest.current = r.etag;
        setConflict(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetchCurrent, attempt, ...deps]);

  const save = useCallback(
    async (body: unknown, method: 'PUT' | 'PATCH' = 'PUT'): Promise<T | null> => {
      let tag: string | null = null;
      try {
        const next = await api<T>(path, { method, body, headers: { 'If-Match': latest.current ?? '' }, onResponse: (r) => (tag = r.headers.get('etag')) });
        setData(next);
        setEtag(tag);
        latest.current = tag;
        setConflict(null);
        return next;
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) {
          setConflict(await fetchCurrent());
          return null;
        }
        throw e;
      }
    },
    [path, fetchCurrent],
  );

  const acceptConflict = useCallback(() => {
    setConflict((c) => {
      if (c) {
        setData(c.data);
        setEtag(c.etag);
        latest.current = c.etag;
      }
      return null;
    });
  }, []);

  return { data, etag, loadError, conflict, save, acceptConflict, reload: () => setAttempt((n) => n + 1), setData };
}
