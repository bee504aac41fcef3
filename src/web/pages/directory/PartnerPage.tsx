import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { LoadError } from '../../components/FormError';
import { Loading } from '../../components/layout';
import { countryName } from '../../components/regions';
import { ContactPartnerForm } from './ContactForm';
import { usePageMeta, type DirectoryPartnerPage } from './model';
import { PartnerProfileView } from './PartnerProfileView';

const useStyles = makeStyles({
  page: { width: '100%', maxWidth: '1100px', margin: '0 auto', display: 'flex', flexDirection: 'column', gap: '16px', boxSizing: 'border-box' },
  contact: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '20px',
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    minWidth: 0,
  },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
});

/** The first sentence or so of the description, for the meta description. */
function summary(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 160 ? flat : `${flat.slice(0, 157).replace(/\s+\S*$/, '')}…`;
}

/** A partner's public page at /partners/<id>/<slug>: the profile, then the contact form. */
export default function PartnerPage() {
  const s = useStyles();
  const intl = useIntl();
  const { id = '', slug } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const [page, setPage] = useState<DirectoryPartnerPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/partners';

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<DirectoryPartnerPage>(`/v1/directory/partners/${encodeURIComponent(id)}?lang=${intl.locale}`, { signal: ctl.signal, redirectOnAuthFailure: false }).then(setPage, (e: unknown) => {
      if (!ctl.signal.aborted) setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', ''));
    });
    return () => ctl.abort();
  }, [id, intl.locale]);

  // The clean URL names the partner: fix a missing or outdated slug (the legal name changed) without a new history entry.
  useEffect(() => {
    if (page?.slug && slug !== page.slug) navigate(`/partners/${page.id}/${page.slug}`, { replace: true, state: location.state });
  }, [page, slug, navigate, location.state]);

  const notFound = error?.status === 404 || error?.status === 400;
  usePageMeta(
    page ? intl.formatMessage({ id: 'directory.meta.partnerTitle' }, { name: page.name }) : intl.formatMessage({ id: notFound ? 'directory.meta.notFoundTitle' : 'directory.meta.searchTitle' }),
    page
      ? summary(page.description) || intl.formatMessage({ id: 'directory.meta.partnerDescription' }, { name: page.name, country: countryName(intl.locale, page.country) })
      : intl.formatMessage({ id: 'directory.meta.searchDescription' }),
  );

  const back = (
    <div>
      <AppLink to={from} data-testid="partner-back">
        <FormattedMessage id="directory.partner.back" />
      </AppLink>
    </div>
  );
  if (notFound) {
    return (
      <div className={s.page}>
        {back}
        <h1 className={s.h2}>
          <FormattedMessage id="directory.partner.notFoundTitle" />
        </h1>
        <MessageBar intent="warning" layout="multiline" data-testid="partner-not-found">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="directory.partner.notFoundTitle" />
            </MessageBarTitle>
            <FormattedMessage id="directory.partner.notFoundText" />
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  if (error) return <div className={s.page}>{back}<LoadError error={error} /></div>;
  if (!page) return <Loading />;
  return (
    <div className={s.page}>
      {back}
      <PartnerProfileView
        page={page}
        aside={
          <section className={s.contact} aria-labelledby="partner-contact-title" data-testid="partner-contact">
            <h2 className={s.h2} id="partner-contact-title">
              <FormattedMessage id="directory.partner.contact" />
            </h2>
            <ContactPartnerForm partnerId={page.id} partnerName={page.name} />
          </section>
        }
      />
    </div>
  );
}
