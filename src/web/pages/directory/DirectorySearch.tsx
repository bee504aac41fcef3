import { Badge, Button, Field, Input, Link, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import countryToCurrency from 'country-to-currency';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useHref, useLinkClickHandler, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { LoadError } from '../../components/FormError';
import { countryName } from '../../components/regions';
import { CUSTOMER_SIZES, INDUSTRIES, PRODUCTS, SERVICES } from '../../../shared/taxonomy';
import { DESCRIPTION_LANGUAGES, FILTERS, languageName, usePageMeta, type DirectoryItem, type DirectorySearchResult, type FilterName } from './model';

const PAGE_SIZE = 20;
const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>);

const useStyles = makeStyles({
  page: { width: '100%', maxWidth: '1100px', margin: '0 auto', display: 'flex', flexDirection: 'column', gap: '20px', boxSizing: 'border-box' },
  hero: { display: 'flex', flexDirection: 'column', gap: '8px' },
  title: { margin: 0, fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  lead: { margin: 0, color: tokens.colorNeutralForeground2, maxWidth: '70ch' },
  searchRow: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  searchField: { flexGrow: 1, minWidth: '220px' },
  layout: {
    display: 'grid',
    gridTemplateColumns: '260px minmax(0, 1fr)',
    gap: '24px',
    alignItems: 'start',
    '@media (max-width: 820px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  filters: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '16px',
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    '@media (max-width: 820px)': { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))' },
  },
  // On a phone the filters fold under a button, so the results are not a screen away.
  filtersFolded: { '@media (max-width: 820px)': { display: 'none' } },
  filtersToggle: { display: 'none', '@media (max-width: 820px)': { display: 'inline-flex', alignSelf: 'flex-start' } },
  filtersTitle: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, gridColumn: '1 / -1' },
  results: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  count: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '12px' },
  item: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '16px',
    display: 'flex',
    gap: '16px',
    minWidth: 0,
  },
  logoBox: {
    width: '64px',
    height: '64px',
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
    overflow: 'hidden',
  },
  logo: { maxWidth: '64px', maxHeight: '64px', objectFit: 'contain' },
  itemBody: { display: 'flex', flexDirection: 'column', gap: '6px', minWidth: 0 },
  name: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  where: { margin: 0, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  excerpt: { margin: 0, overflowWrap: 'anywhere' },
  tags: { display: 'flex', flexWrap: 'wrap', gap: '6px', margin: 0, padding: 0, listStyle: 'none' },
  pager: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  pageNo: { color: tokens.colorNeutralForeground2, marginRight: 'auto' },
  // A native select is as wide as its longest option: keep it to its column.
  select: { width: '100%', minWidth: 0, maxWidth: '100%' },
});

type Params = Record<FilterName | 'q', string>;

function readParams(sp: URLSearchParams): Params & { page: number } {
  const out = { q: sp.get('q') ?? '', page: Math.max(1, Number(sp.get('page')) || 1) } as Params & { page: number };
  for (const f of FILTERS) out[f] = sp.get(f) ?? '';
  return out;
}

/** The directory's search page: free text, seven filters, results by relevance, numbered pages; everything in the URL. */
export default function DirectorySearch() {
  const s = useStyles();
  const intl = useIntl();
  const locale = intl.locale;
  const [sp, setSp] = useSearchParams();
  const current = readParams(sp);
  const [text, setText] = useState(current.q);
  const [city, setCity] = useState(current.city);
  const [result, setResult] = useState<DirectorySearchResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  /** The query string the shown result answers (tests wait for it). */
  const [resultFor, setResultFor] = useState<string | null>(null);
  const query = sp.toString();

  usePageMeta(
    current.q ? intl.formatMessage({ id: 'directory.meta.searchTitleQuery' }, { q: current.q }) : intl.formatMessage({ id: 'directory.meta.searchTitle' }),
    intl.formatMessage({ id: 'directory.meta.searchDescription' }),
  );

  // The box follows the URL (back button, a link).
  useEffect(() => {
    setText(current.q);
    setCity(current.city);
  }, [current.q, current.city]);

  useEffect(() => {
    const ctl = new AbortController();
    const params = new URLSearchParams(query);
    params.set('pageSize', String(PAGE_SIZE));
    params.set('lang', locale);
    setLoading(true);
    api<DirectorySearchResult>(`/v1/directory/partners?${params.toString()}`, { signal: ctl.signal, redirectOnAuthFailure: false }).then(
      (r) => {
        setResult(r);
        setResultFor(query);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', ''));
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [query, locale]);

  /** Change some parameters; any change but the page number goes back to page 1. */
  const update = (changes: Partial<Record<FilterName | 'q' | 'page', string>>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setSp(next);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update({ q: text.trim(), city: city.trim() });
  };

  const countries = useMemo(
    () => COUNTRY_CODES.map((c) => ({ code: c, name: countryName(locale, c) })).sort((a, b) => a.name.localeCompare(b.name, locale)),
    [locale],
  );
  const options = (list: readonly string[], kind: string) =>
    list.map((v) => ({ value: v, label: intl.formatMessage({ id: `taxonomy.${kind}.${v}` }) })).sort((a, b) => a.label.localeCompare(b.label, locale));

  const filterSelect = (name: FilterName, label: string, items: { value: string; label: string }[]) => (
    <Field label={label}>
      <Select className={s.select} value={current[name]} onChange={(_, d) => update({ [name]: d.value })} data-testid={`directory-filter-${name}`}>
        <option value="">{intl.formatMessage({ id: 'directory.filters.any' })}</option>
        {items.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );

  const pages = result ? Math.max(1, Math.ceil(result.totalCount / PAGE_SIZE)) : 1;
  const anything = current.q || FILTERS.some((f) => current[f]);

  return (
    <div className={s.page}>
      <div className={s.hero}>
        <h1 className={s.title}>
          <FormattedMessage id="directory.search.title" />
        </h1>
        <p className={s.lead}>
          <FormattedMessage id="directory.search.lead" />
        </p>
      </div>
      <form role="search" className={s.searchRow} onSubmit={onSubmit}>
        <Field className={s.searchField} label={intl.formatMessage({ id: 'directory.search.label' })}>
          <Input
            type="search"
            value={text}
            onChange={(_, d) => setText(d.value)}
            placeholder={intl.formatMessage({ id: 'directory.search.placeholder' })}
            maxLength={200}
            data-testid="directory-q"
          />
        </Field>
        <Button appearance="primary" type="submit" data-testid="directory-submit">
          <FormattedMessage id="directory.search.submit" />
        </Button>
      </form>
      <Button
        className={s.filtersToggle}
        aria-expanded={filtersOpen}
        aria-controls="directory-filters"
        onClick={() => setFiltersOpen((o) => !o)}
        data-testid="directory-filters-toggle"
      >
        <FormattedMessage id="directory.filters.toggle" values={{ count: FILTERS.filter((f) => current[f]).length }} />
      </Button>
      <div className={s.layout}>
        <section id="directory-filters" className={mergeClasses(s.filters, !filtersOpen && s.filtersFolded)} aria-labelledby="directory-filters-title">
          <h2 className={s.filtersTitle} id="directory-filters-title">
            <FormattedMessage id="directory.filters.title" />
          </h2>
          {filterSelect('country', intl.formatMessage({ id: 'directory.filters.country' }), countries.map((c) => ({ value: c.code, label: c.name })))}
          <Field label={intl.formatMessage({ id: 'directory.filters.city' })}>
            <Input
              value={city}
              onChange={(_, d) => setCity(d.value)}
              onBlur={() => city.trim() !== current.city && update({ city: city.trim() })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') update({ city: city.trim() });
              }}
              placeholder={intl.formatMessage({ id: 'directory.filters.cityPlaceholder' })}
              maxLength={100}
              data-testid="directory-filter-city"
            />
          </Field>
          {filterSelect('industry', intl.formatMessage({ id: 'directory.filters.industry' }), options(INDUSTRIES, 'industries'))}
          {filterSelect('product', intl.formatMessage({ id: 'directory.filters.product' }), options(PRODUCTS, 'products'))}
          {filterSelect('service', intl.formatMessage({ id: 'directory.filters.service' }), options(SERVICES, 'services'))}
          {filterSelect('size', intl.formatMessage({ id: 'directory.filters.size' }), CUSTOMER_SIZES.map((v) => ({ value: v, label: intl.formatMessage({ id: `taxonomy.customerSizes.${v}` }) })))}
          {filterSelect('language', intl.formatMessage({ id: 'directory.filters.language' }), DESCRIPTION_LANGUAGES.map((v) => ({ value: v, label: languageName(locale, v) })))}
          {anything && (
            <Button appearance="secondary" onClick={() => setSp(new URLSearchParams())} data-testid="directory-clear">
              <FormattedMessage id="directory.filters.clear" />
            </Button>
          )}
        </section>
        <section className={s.results} aria-labelledby="directory-count">
          {error && <LoadError error={error} />}
          <p className={s.count} id="directory-count" role="status" data-testid="directory-count" data-for={resultFor ?? undefined}>
            {result && <FormattedMessage id="directory.results.count" values={{ count: result.totalCount }} />}
            {loading && !result && <Spinner size="tiny" />}
          </p>
          {result && result.items.length === 0 && !error && (
            <MessageBar intent="info" layout="multiline" data-testid="directory-empty">
              <MessageBarBody>
                <MessageBarTitle>
                  <FormattedMessage id="directory.results.emptyTitle" />
                </MessageBarTitle>
                <FormattedMessage id="directory.results.emptyText" />
              </MessageBarBody>
            </MessageBar>
          )}
          {result && result.items.length > 0 && (
            <ol className={s.list} data-testid="directory-results" aria-busy={loading}>
              {result.items.map((item) => (
                <ResultItem key={item.id} item={item} from={`/partners${query ? `?${query}` : ''}`} />
              ))}
            </ol>
          )}
          {result && result.totalCount > PAGE_SIZE && (
            <nav className={s.pager} aria-label={intl.formatMessage({ id: 'directory.results.pagination' })}>
              <span className={s.pageNo}>
                <FormattedMessage id="directory.results.page" values={{ page: current.page, pages }} />
              </span>
              <Button disabled={current.page <= 1} onClick={() => update({ page: String(current.page - 1) })} data-testid="directory-previous">
                <FormattedMessage id="directory.results.previous" />
              </Button>
              <Button appearance="primary" disabled={!result.links.next} onClick={() => update({ page: String(current.page + 1) })} data-testid="directory-next">
                <FormattedMessage id="directory.results.next" />
              </Button>
            </nav>
          )}
        </section>
      </div>
    </div>
  );
}

function ResultItem({ item, from }: { item: DirectoryItem; from: string }) {
  const s = useStyles();
  const intl = useIntl();
  const country = countryName(intl.locale, item.country);
  const tags = [
    ...item.industries.map((v) => ({ key: `i-${v}`, label: intl.formatMessage({ id: `taxonomy.industries.${v}` }) })),
    ...item.services.map((v) => ({ key: `s-${v}`, label: intl.formatMessage({ id: `taxonomy.services.${v}` }) })),
  ].slice(0, 6);
  return (
    <li className={s.item} data-testid="directory-item">
      <div className={s.logoBox} aria-hidden="true">
        {item.logoUrl ? <img className={s.logo} src={item.logoUrl} alt="" /> : item.name.slice(0, 1).toUpperCase()}
      </div>
      <div className={s.itemBody}>
        <h2 className={s.name}>
          <PartnerLink to={item.url} from={from}>
            {item.name}
          </PartnerLink>
        </h2>
        <p className={s.where} data-testid="directory-item-where">{item.cities.length ? intl.formatMessage({ id: 'directory.results.location' }, { country, cities: item.cities.join(', ') }) : country}</p>
        {item.excerpt && (
          <p className={s.excerpt} lang={item.descriptionLanguage ?? undefined}>
            {item.excerpt}
          </p>
        )}
        {tags.length > 0 && (
          <ul className={s.tags}>
            {tags.map((t) => (
              <li key={t.key}>
                <Badge appearance="tint" shape="rounded" color="brand">
                  {t.label}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

/** A Fluent link to a partner's page that remembers the search it came from (for "Back to the search"). */
function PartnerLink({ to, from, children }: { to: string; from: string; children: string }) {
  const href = useHref(to);
  const handle = useLinkClickHandler<HTMLAnchorElement>(to, { state: { from } });
  return (
    <Link href={href} onClick={handle} data-testid="directory-item-link">
      {children}
    </Link>
  );
}
