import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';

/** A value that follows `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A keyset-paged API collection: loads `firstUri` (and again from page 1 whenever it
 * changes, e.g. with new filters), follows `links.next.uri` on `next()`.
 */
export function useKeysetList<C extends { links: { next?: { uri: string } } }>(firstUri: string) {
  const [cursor, setCursor] = useState(() => ({ uri: firstUri, page: 1 }));
  const [data, setData] = useState<C | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    setCursor((c) => (c.uri === firstUri && c.page === 1 ? c : { uri: firstUri, page: 1 }));
  }, [firstUri]);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api<C>(cursor.uri, { signal: ctl.signal }).then(
      (d) => {
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (e instanceof ApiError) {
          if (!e.isAuthFailure) setError(e);
          setLoading(false);
        }
      },
    );
    return () => ctl.abort();
  }, [cursor]);

  const nextUri = data?.links.next?.uri;
  return {
    data,
    loading,
    error,
    page: cursor.page,
    hasNext: nextUri !== undefined,
    next: () => nextUri && setCursor((c) => ({ uri: nextUri, page: c.page + 1 })),
    first: () => setCursor({ uri: firstUri, page: 1 }),
  };
}
