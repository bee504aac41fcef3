import { Button, Link, type ButtonProps } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useHref, useLinkClickHandler, type To } from 'react-router-dom';

interface AppLinkProps {
  to: To;
  children: ReactNode;
  className?: string;
  inline?: boolean;
  'data-testid'?: string;
}

/** A Fluent Link that navigates on the client (a real <a href>, so it opens in a new tab too). */
export function AppLink({ to, children, className, inline, 'data-testid': testId }: AppLinkProps) {
  const href = useHref(to);
  const handle = useLinkClickHandler<HTMLAnchorElement>(to);
  return (
    <Link href={href} onClick={handle} className={className} inline={inline} data-testid={testId}>
      {children}
    </Link>
  );
}

/** A Fluent Button rendered as a client-side link. */
export function LinkButton({
  to,
  children,
  appearance,
  'data-testid': testId,
}: {
  to: To;
  children: ReactNode;
  appearance?: ButtonProps['appearance'];
  'data-testid'?: string;
}) {
  const href = useHref(to);
  const handle = useLinkClickHandler<HTMLAnchorElement>(to);
  return (
    <Button as="a" href={href} onClick={handle} appearance={appearance} data-testid={testId}>
      {children}
    </Button>
  );
}
