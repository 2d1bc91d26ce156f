import { useEffect, useState } from 'react';

// Routes live in the URL fragment (#/tables/main.sales.orders): the gateway serves one page.
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

export const href = (...parts: (string | number)[]) => '#/' + parts.map((p) => encodeURIComponent(String(p))).join('/');
export const go = (...parts: (string | number)[]) => {
  location.hash = href(...parts);
};
