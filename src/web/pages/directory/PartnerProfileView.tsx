import { Badge, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { countryName } from '../../components/regions';
import { addressLine, languageName, TAG_LISTS, type DirectoryPartnerPage, type TagList } from './model';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '20px', minWidth: 0 },
  head: { display: 'flex', gap: '20px', alignItems: 'center', flexWrap: 'wrap' },
  logoBox: {
    width: '96px',
    height: '96px',
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  logo: { maxWidth: '88px', maxHeight: '88px', objectFit: 'contain' },
  name: { margin: 0, fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  sub: { margin: 0, color: tokens.colorNeutralForeground2 },
  body: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)',
    gap: '20px',
    alignItems: 'start',
    '@media (max-width: 760px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '20px',
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
    minWidth: 0,
  },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
  h3: { margin: 0, fontSize: tokens.fontSizeBase300, lineHeight: tokens.lineHeightBase300, fontWeight: tokens.fontWeightSemibold },
  description: { margin: 0, whiteSpace: 'pre-line', lineHeight: tokens.lineHeightBase400, overflowWrap: 'anywhere' },
  note: { margin: 0, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  tags: { display: 'flex', flexWrap: 'wrap', gap: '6px', margin: 0, padding: 0, listStyle: 'none' },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '6px', overflowWrap: 'anywhere' },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, display: 'block' },
});

/** A tag's label: managed tags are translated (messages `taxonomy.<list>.<id>`); free skills and catalog product titles are shown as written. */
export function TagBadges({ list, values }: { list: TagList; values: string[] }) {
  const s = useStyles();
  const known: readonly string[] = list === 'skills' ? [] : TAG_LISTS[list];
  return (
    <ul className={s.tags}>
      {values.map((v) => (
        <li key={v}>
          <Badge appearance="tint" shape="rounded" color={list === 'skills' ? 'informative' : 'brand'}>
            {known.includes(v) ? <FormattedMessage id={`taxonomy.${list}.${v}`} /> : v}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

function Section({ title, children, headingClass }: { title: ReactNode; children: ReactNode; headingClass: string }) {
  const s = useStyles();
  return (
    <div className={s.section}>
      <h3 className={headingClass}>{title}</h3>
      {children}
    </div>
  );
}

/**
 * A partner's public directory page: logo and legal name, the description in the visitor's
 * language (or the one there is, said so), tags, locations, support contacts and links.
 * Shared by the public page and the business profile editor's preview; `aside` adds a
 * block under the contacts (the public page puts the contact form there).
 */
export function PartnerProfileView({ page, headingLevel = 1, aside }: { page: DirectoryPartnerPage; headingLevel?: 1 | 2; aside?: ReactNode }) {
  const s = useStyles();
  const intl = useIntl();
  const locale = intl.locale;
  const country = countryName(locale, page.country);
  const cities = [...new Set(page.locations.map((a) => a.city).filter(Boolean))];
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const tagSections = (['industries', 'products', 'services', 'customerSizes', 'skills'] as const).filter((k) => page[k].length > 0);
  const support = page.support;
  return (
    <article className={s.root} data-testid="partner-profile">
      <header className={s.head}>
        {page.logoUrl && (
          <div className={s.logoBox}>
            <img className={s.logo} src={page.logoUrl} alt={intl.formatMessage({ id: 'directory.partner.logoAlt' }, { name: page.name })} />
          </div>
        )}
        <div>
          <Heading className={s.name} data-testid="partner-name">
            {page.name}
          </Heading>
          <p className={s.sub}>{[country, ...cities].join(' · ')}</p>
        </div>
      </header>
      <div className={s.body}>
        <section className={s.card} aria-labelledby="partner-about">
          <h2 className={s.h2} id="partner-about">
            <FormattedMessage id="directory.partner.about" />
          </h2>
          {page.description ? (
            <>
              {page.descriptionLanguage && page.descriptionLanguage !== locale && (
                <p className={s.note} data-testid="partner-description-fallback">
                  <FormattedMessage id="directory.partner.fallback" values={{ language: languageName(locale, page.descriptionLanguage) }} />
                </p>
              )}
              <p className={s.description} lang={page.descriptionLanguage ?? undefined} data-testid="partner-description">
                {page.description}
              </p>
            </>
          ) : (
            <p className={s.note}>
              <FormattedMessage id="directory.partner.noDescription" />
            </p>
          )}
          {tagSections.map((k) => (
            <Section key={k} title={<FormattedMessage id={`directory.partner.${k}`} />} headingClass={s.h3}>
              <TagBadges list={k} values={page[k]} />
            </Section>
          ))}
        </section>
        <div className={s.root}>
          {(page.locations.length > 0 || support || page.website || page.linkedIn) && (
            <section className={s.card} aria-labelledby="partner-contacts">
              <h2 className={s.h2} id="partner-contacts">
                <FormattedMessage id="directory.partner.links" />
              </h2>
              {page.locations.length > 0 && (
                <Section title={<FormattedMessage id="directory.partner.locations" />} headingClass={s.h3}>
                  <ul className={s.list} data-testid="partner-locations">
                    {page.locations.map((a, i) => (
                      <li key={i}>{addressLine(a)}</li>
                    ))}
                  </ul>
                </Section>
              )}
              {support && (
                <Section title={<FormattedMessage id="directory.partner.support" />} headingClass={s.h3}>
                  <ul className={s.list} data-testid="partner-support">
                    {support.email && (
                      <li>
                        <span className={s.term}>
                          <FormattedMessage id="directory.partner.email" />
                        </span>
                        <Link href={`mailto:${support.email}`}>{support.email}</Link>
                      </li>
                    )}
                    {support.telephone && (
                      <li>
                        <span className={s.term}>
                          <FormattedMessage id="directory.partner.telephone" />
                        </span>
                        <Link href={`tel:${support.telephone.replace(/\s/g, '')}`}>{support.telephone}</Link>
                      </li>
                    )}
                    {support.website && (
                      <li>
                        <span className={s.term}>
                          <FormattedMessage id="directory.partner.supportWebsite" />
                        </span>
                        <Link href={support.website} target="_blank" rel="noopener noreferrer">
                          {support.website}
                        </Link>
                      </li>
                    )}
                  </ul>
                </Section>
              )}
              {(page.website || page.linkedIn) && (
                <ul className={s.list}>
                  {page.website && (
                    <li>
                      <Link href={page.website} target="_blank" rel="noopener noreferrer" data-testid="partner-website">
                        <FormattedMessage id="directory.partner.website" />
                      </Link>
                    </li>
                  )}
                  {page.linkedIn && (
                    <li>
                      <Link href={page.linkedIn} target="_blank" rel="noopener noreferrer">
                        <FormattedMessage id="directory.partner.linkedIn" />
                      </Link>
                    </li>
                  )}
                </ul>
              )}
            </section>
          )}
          {aside}
        </div>
      </div>
    </article>
  );
}

export default PartnerProfileView;
