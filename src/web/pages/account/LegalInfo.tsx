import { Button, Link, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import type { LegalBusinessProfile } from '../../api/types';
import { Facts } from '../../components/Facts';
import { LoadError } from '../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName, currencyName } from '../../components/regions';
import { StatusBadge } from '../../components/StatusBadge';

const useStyles = makeStyles({
  address: { display: 'flex', flexDirection: 'column' },
  note: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export function isWebUrl(v: string | null | undefined): v is string {
  return typeof v === 'string' && /^https?:\/\//i.test(v);
}

export function LegalInfoPage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const locale = intl.locale;
  const [profile, setProfile] = useState<LegalBusinessProfile | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<LegalBusinessProfile>('/v1/profiles/legalbusiness', { signal: ctl.signal }).then(setProfile, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
    return () => ctl.abort();
    // The profile is re-read when the language changes so that server text follows it.
  }, [attempt, locale]);

  const title = <FormattedMessage id="account.legal" />;
  if (error)
    return (
      <Page title={title}>
        <LoadError error={error} />
        <div>
          <Button onClick={() => setAttempt((n) => n + 1)}>
            <FormattedMessage id="common.retry" />
          </Button>
        </div>
      </Page>
    );
  if (!profile)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );

  const a = profile.address;
  const c = profile.primaryContact;
  const contactName = [c.firstName, c.middleName, c.lastName].filter(Boolean).join(' ');
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');

  return (
    <Page title={title} subtitle={<FormattedMessage id="legal.lead" />}>
      <section className={l.card} aria-labelledby="legal-business">
        <h2 id="legal-business" className={l.sectionTitle}>
          <FormattedMessage id="legal.business" />
        </h2>
        <Facts
          items={[
            { key: 'name', label: <FormattedMessage id="legal.companyName" />, value: profile.companyName, testId: 'legal-companyName' },
            {
              key: 'address',
              label: <FormattedMessage id="legal.address" />,
              value: (
                <span className={s.address}>
                  <span>{a.addressLine1}</span>
                  {a.addressLine2 && <span>{a.addressLine2}</span>}
                  {a.addressLine3 && <span>{a.addressLine3}</span>}
                  <span>{cityLine}</span>
                  {a.state && <span>{a.state}</span>}
                  <span>{countryName(locale, a.country)}</span>
                </span>
              ),
            },
            { key: 'country', label: <FormattedMessage id="legal.country" />, value: countryName(locale, profile.country) },
            {
              key: 'currency',
              label: <FormattedMessage id="legal.currency" />,
              value: <FormattedMessage id="overview.currencyValue" values={{ code: profile.currency, name: currencyName(locale, profile.currency) }} />,
            },
            { key: 'phone', label: <FormattedMessage id="legal.phone" />, value: profile.phone || null },
            {
              key: 'website',
              label: <FormattedMessage id="legal.website" />,
              value: isWebUrl(profile.website) ? (
                <Link href={profile.website} target="_blank" rel="noopener noreferrer">
                  {profile.website}
                </Link>
              ) : (
                profile.website || null
              ),
            },
            { key: 'status', label: <FormattedMessage id="legal.vettingStatus" />, value: <StatusBadge status={profile.vettingStatus} /> },
            {
              key: 'enrolled',
              label: <FormattedMessage id="legal.enrolledAt" />,
              value: <FormattedDate value={profile.enrolledAt} dateStyle="long" />,
              testId: 'legal-enrolledAt',
            },
          ]}
        />
        <p className={s.note}>
          <FormattedMessage id="legal.readOnlyNote" />
        </p>
      </section>
      <section className={l.card} aria-labelledby="legal-contact">
        <h2 id="legal-contact" className={l.sectionTitle}>
          <FormattedMessage id="legal.contact" />
        </h2>
        <Facts
          items={[
            { key: 'name', label: <FormattedMessage id="legal.contactName" />, value: contactName },
            { key: 'email', label: <FormattedMessage id="legal.contactEmail" />, value: c.email },
            { key: 'phone', label: <FormattedMessage id="legal.contactPhone" />, value: c.phoneNumber || null },
          ]}
        />
      </section>
    </Page>
  );
}
