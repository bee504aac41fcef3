import { useCallback, useState } from 'react';

/**
 * Copy text to the clipboard and remember how it went: `copied` is null before the first
 * try, true when it worked, false when the browser refused (show the value to copy by hand).
 */
export function useClipboard() {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = useCallback(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }, []);
  return { copied, copy };
}
