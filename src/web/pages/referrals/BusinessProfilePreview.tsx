import { Badge, Link, MessageBar, MessageBarBody, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { Address } from '../../api/types';
import { AppLink } from '../../components/AppLink';
import { LoadError } from '../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';
import { CUSTOMER_SIZES, INDUSTRIES, PRODUCTS, SERVICES } from '../../../shared/taxonomy';
import { languageName, type BusinessProfile, type DirectoryPagePreview } from './businessProfileModel';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '20px' },
  head: { display: 'flex', gap: '20px', alignItems: 'center', flexWrap: 'wrap' },
  logo: { maxWidth: '150px', maxHeight: '120px', objectFit: 'contain' },
  name: { margin: 0, fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold },
  sub: { margin: 0, color: tokens.colorNeutralForeground3 },
  body: { display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)', gap: '20px', '@media (max-width: 720px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  description: { margin: 0, whiteSpace: 'pre-line', lineHeight: tokens.lineHeightBase400 },
  tags: { display: 'flex', flexWrap: 'wrap', gap: '6px' },
  h3: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  group: { display: 'flex', flexDirection: 'column', gap: '6px' },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '8px' },
  frame: { border: `1px dashed ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusXLarge, padding: '16px', backgroundColor: tokens.colorNeutralBackground2 },
});

const LISTS = { industries: INDUSTRIES, products: PRODUCTS, services: SERVICES, customerSizes: CUSTOMER_SIZES } as const;
type ListName = keyof typeof LISTS;

function TagList({ list, values }: { list: ListName | 'skills'; values: string[] }) {
  const s = useStyles();
  const known = list === 'skills' ? [] : (LISTS[list] as readonly string[]);
  return (
    <div className={s.tags}>
      {values.map((v) => (
        <Badge key={v} appearance="tint" shape="rounded" color="brand">
          {known.includes(v) ? <FormattedMessage id={`taxonomy.${list}.${v}`} /> : v}
        </Badge>
      ))}
    </div>
  );
}

/** A read-only rendering of the profile's public directory page, in a chosen language, from GET /v1/businessprofiles/{id}/preview. */
export default function BusinessProfilePreview() {
  const { id = '' } = useParams();
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [lang, setLang] = useState<string>(locale);
  const [profile, setProfile] = useState<BusinessProfile | null>(null);
  const [page, setPage] = useState<DirectoryPagePreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const path = `/v1/businessprofiles/${encodeURIComponent(id)}`;

  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([api<BusinessProfile>(path, { signal: ctl.signal }), api<DirectoryPagePreview>(`${path}/preview?lang=${encodeURIComponent(lang)}`, { signal: ctl.signal })]).then(
      ([p, pg]) => {
        setProfile(p);
        setPage(pg);
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setError(e);
      },
    );
    return () => ctl.abort();
  }, [path, lang]);

  if (error) return <Page title={<FormattedMessage id="bp.preview" />}><LoadError error={error} /></Page>;
  if (!profile || !page) return <Loading />;
  const country = countryName(locale, page.country);
  const languages = [...new Set(['fr', 'en', ...Object.keys(profile.description)])];
  const line = (a: Address) => [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.state].filter(Boolean).join(', ');
  const tagSections = (['industries', 'products', 'services', 'skills', 'customerSizes'] as const).filter((k) => page[k].length > 0);

  return (
    <Page title={<FormattedMessage id="bp.previewTitle" values={{ country }} />} subtitle={<FormattedMessage id="bp.previewText" />}>
      <div>
        <AppLink to={`/referrals/profiles/${profile.id}`}>
          <FormattedMessage id="bp.previewBack" />
        </AppLink>
      </div>
      {profile.status === 'draft' && (
        <MessageBar intent="warning" data-testid="bp-preview-draft">
          <MessageBarBody>
            <FormattedMessage id="bp.previewDraft" />
          </MessageBarBody>
        </MessageBar>
      )}
      <TabList selectedValue={lang} onTabSelect={(_, d) => setLang(String(d.value))} aria-label={intl.formatMessage({ id: 'bp.previewLanguage' })}>
        {languages.map((c) => (
          <Tab key={c} value={c} data-testid={`bp-preview-lang-${c}`}>
            {languageName(locale, c)}
          </Tab>
        ))}
      </TabList>
      <div className={s.frame} data-testid="bp-preview-page" lang={page.descriptionLanguage ?? undefined}>
        <div className={s.page}>
          <div className={s.head}>
            {page.logoUrl && <img className={s.logo} src={page.logoUrl} alt={intl.formatMessage({ id: 'bp.logoAlt' }, { name: page.name })} />}
            <div>
              <h2 className={s.name}>{page.name}</h2>
              <p className={s.sub}>{[country, ...new Set(page.locations.map((a) => a.city))].join(' · ')}</p>
            </div>
          </div>
          <div className={s.body}>
            <section className={l.card}>
              <h3 className={s.h3}>
                <FormattedMessage id="bp.preview.about" />
              </h3>
              {page.description ? (
                <>
                  {page.descriptionLanguage && page.descriptionLanguage !== lang && (
                    <MessageBar intent="info">
                      <MessageBarBody>
                        <FormattedMessage id="bp.previewFallback" values={{ language: languageName(locale, page.descriptionLanguage) }} />
                      </MessageBarBody>
                    </MessageBar>
                  )}
                  <p className={s.description} data-testid="bp-preview-description">
                    {page.description}
                  </p>
                </>
              ) : (
                <p className={s.sub}>
                  <FormattedMessage id="bp.previewNoDescription" />
                </p>
              )}
              {tagSections.map((k) => (
                <div key={k} className={s.group}>
                  <h3 className={s.h3}>
                    <FormattedMessage id={`bp.preview.${k}`} />
                  </h3>
                  <TagList list={k} values={page[k]} />
                </div>
              ))}
            </section>
            <aside className={l.card}>
              {page.locations.length > 0 && (
                <div className={s.group}>
                  <h3 className={s.h3}>
                    <FormattedMessage id="bp.preview.locations" />
                  </h3>
                  <ul className={s.list}>
                    {page.locations.map((a, i) => (
                      <li key={i}>{line(a)}</li>
                    ))}
                  </ul>
                </div>
              )}
              {(page.website || page.linkedIn) && (
                <ul className={s.list}>
                  {page.website && (
                    <li>
                      <Link href={page.website} target="_blank" rel="noopener noreferrer">
                        <FormattedMessage id="bp.preview.website" />
                      </Link>
                    </li>
                  )}
                  {page.linkedIn && (
                    <li>
                      <Link href={page.linkedIn} target="_blank" rel="noopener noreferrer">
                        <FormattedMessage id="bp.preview.linkedIn" />
                      </Link>
                    </li>
                  )}
                </ul>
              )}
              {page.support && (
                <div className={s.group}>
                  <h3 className={s.h3}>
                    <FormattedMessage id="bp.preview.contact" />
                  </h3>
                  <ul className={s.list}>
                    {page.support.email && <li>{page.support.email}</li>}
                    {page.support.telephone && <li>{page.support.telephone}</li>}
                    {page.support.website && <li>{page.support.website}</li>}
                  </ul>
                </div>
              )}
            </aside>
          </div>
        </div>
      </div>
    </Page>
  );
}
