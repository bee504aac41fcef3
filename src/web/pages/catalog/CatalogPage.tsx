import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  SearchBox,
  Tab,
  TabList,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { FormError, LoadError } from '../../components/FormError';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { usePartnerSession } from '../../session/PartnerSession';
import { NoAccess } from '../Workspace';
import { PinIcon } from './icons';
import { OfferDetailsDrawer } from './OfferDetailsDrawer';
import { PinOrderEditor } from './PinOrderEditor';
import { MAX_PINS, offerName, SEGMENTS, type CatalogCategories, type CatalogOffer, type CatalogOfferPage, type CatalogPins, type PinnedOffer, type Segment } from './types';

const PAGE_SIZE = 100;

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: '240px minmax(0, 1fr)', gap: '20px', alignItems: 'start', '@media (max-width: 800px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  nav: { display: 'flex', flexDirection: 'column', gap: '2px', position: 'sticky', top: '16px', '@media (max-width: 800px)': { position: 'static' } },
  navTitle: { margin: 0, marginBottom: '6px', fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground3, textTransform: 'uppercase', letterSpacing: '0.04em' },
  navItem: { justifyContent: 'space-between', fontWeight: tokens.fontWeightRegular, minWidth: 0 },
  navItemSelected: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
  navLabel: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', textAlign: 'start' },
  main: { display: 'flex', flexDirection: 'column', gap: '16px', minWidth: 0 },
  tabs: { overflowX: 'auto' },
  sectionHead: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  count: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightRegular, fontSize: tokens.fontSizeBase300 },
  offers: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  offer: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    paddingBlock: '10px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':last-child': { borderBottom: 'none' },
    '@media (max-width: 600px)': { flexWrap: 'wrap' },
  },
  position: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorBrandForeground1, minWidth: '1.5em' },
  offerText: { flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  offerTitle: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  offerMeta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  offerActions: { display: 'flex', gap: '6px', flexShrink: 0, alignItems: 'center' },
  empty: { margin: 0, color: tokens.colorNeutralForeground3 },
  pinnedCard: { borderLeft: `4px solid ${tokens.colorBrandStroke1}` },
  buttons: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
});

const isSegment = (s: string | null): s is Segment => SEGMENTS.includes(s as Segment);

/** Sell → Catalog (reference §1.9): offers by segment and category, details, and the company's pins. */
export default function CatalogPage() {
  const { can } = usePartnerSession();
  if (!can('pricing.read')) return <NoAccess />;
  return <Catalog manage={can('catalog.manage')} />;
}

/** The company's pins, saved whole with If-Match (412 when a colleague saved in between). */
function usePins() {
  const [pins, setPins] = useState<CatalogPins | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      setPins(await api<CatalogPins>('/v1/catalog/pins'));
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const save = useCallback(
    async (next: PinnedOffer[]): Promise<boolean> => {
      if (!pins) return false;
      setSaving(true);
      setError(null);
      try {
        setPins(await api<CatalogPins>('/v1/catalog/pins', { method: 'PUT', body: { offerIds: next.map((p) => p.id) }, headers: { 'If-Match': pins.etag } }));
        return true;
      } catch (e) {
        if (e instanceof ApiError && !e.isAuthFailure) {
          setError(e);
          // Someone else changed the pins: show theirs (the message says so).
          if (e.code === 'PRECONDITION_FAILED') await load();
        }
        return false;
      } finally {
        setSaving(false);
      }
    },
    [pins, load],
  );
  return { pins, error, setError, saving, save };
}

function Catalog({ manage }: { manage: boolean }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [params, setParams] = useSearchParams();
  const segmentParam = params.get('segment');
  const segment: Segment = isSegment(segmentParam) ? segmentParam : 'commercial';
  const category = params.get('category');
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [nav, setNav] = useState<CatalogCategories | null>(null);
  const [page, setPage] = useState<CatalogOfferPage | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const [draft, setDraft] = useState<PinnedOffer[] | null>(null);
  const [limitHit, setLimitHit] = useState(false);
  const { pins, error: pinError, setError: setPinError, saving, save } = usePins();

  const setQuery = (next: { segment?: Segment; category?: string | null; q?: string }) => {
    const p = new URLSearchParams(params);
    const put = (k: string, v: string | null | undefined) => (v ? p.set(k, v) : p.delete(k));
    if (next.segment !== undefined) {
      put('segment', next.segment);
      p.delete('category');
    }
    if (next.category !== undefined) put('category', next.category);
    if (next.q !== undefined) put('q', next.q.trim());
    setParams(p, { replace: next.q !== undefined });
  };

  // The search applies as the user types, after a short pause.
  useEffect(() => {
    if (search.trim() === q) return;
    const h = setTimeout(() => setQuery({ q: search }), 300);
    return () => clearTimeout(h);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  useEffect(() => {
    const ctl = new AbortController();
    api<CatalogCategories>(`/v1/catalog/categories?segment=${segment}`, { signal: ctl.signal }).then(setNav, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
    return () => ctl.abort();
  }, [segment]);

  const listUrl = useMemo(() => {
    const p = new URLSearchParams({ segment, size: String(PAGE_SIZE) });
    if (category !== null) p.set('category', category);
    if (q) p.set('q', q);
    return `/v1/catalog/offers?${p.toString()}`;
  }, [segment, category, q]);

  useEffect(() => {
    const ctl = new AbortController();
    setPage(null);
    setLoadError(null);
    api<CatalogOfferPage>(listUrl, { signal: ctl.signal }).then(setPage, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    });
    return () => ctl.abort();
  }, [listUrl]);

  const loadMore = async () => {
    if (!page?.links.next) return;
    setLoadingMore(true);
    try {
      const next = await api<CatalogOfferPage>(page.links.next.uri);
      setPage({ ...next, items: [...page.items, ...next.items] });
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const pinnedIds = pins?.offerIds ?? [];
  const positionOf = (id: string) => pinnedIds.indexOf(id) + 1;

  const pin = async (o: { id: string; productTitle: string; skuTitle: string }) => {
    if (!pins || pinnedIds.includes(o.id)) return;
    // Checked here for a clear message at once; the API refuses a sixth too (PIN_LIMIT).
    if (pinnedIds.length >= MAX_PINS) {
      setLimitHit(true);
      return;
    }
    setLimitHit(false);
    await save([...pins.offers, { id: o.id, productTitle: o.productTitle, skuTitle: o.skuTitle }]);
  };
  const unpin = async (id: string) => {
    if (!pins) return;
    setLimitHit(false);
    await save(pins.offers.filter((p) => p.id !== id));
  };

  const pinButton = (o: { id: string; productTitle: string; skuTitle: string }) => {
    if (!manage || !pins) return null;
    const pinned = pinnedIds.includes(o.id);
    return pinned ? (
      <Button size="small" disabled={draft !== null} disabledFocusable={saving} onClick={() => void unpin(o.id)} aria-label={intl.formatMessage({ id: 'catalog.unpinNamed' }, { title: offerName(o) })} data-testid="unpin">
        <FormattedMessage id="catalog.unpin" />
      </Button>
    ) : (
      <Button size="small" icon={<PinIcon />} disabled={draft !== null} disabledFocusable={saving} onClick={() => void pin(o)} aria-label={intl.formatMessage({ id: 'catalog.pinNamed' }, { title: offerName(o) })} data-testid="pin">
        <FormattedMessage id="catalog.pin" />
      </Button>
    );
  };

  const detailsButton = (o: { id: string; productTitle: string; skuTitle: string }) => (
    <Button size="small" appearance="subtle" onClick={() => setDetailsId(o.id)} aria-label={intl.formatMessage({ id: 'catalog.detailsNamed' }, { title: offerName(o) })} data-testid="details">
      <FormattedMessage id="catalog.details" />
    </Button>
  );

  const segmentCount = (seg: Segment) => nav?.segments.find((x) => x.segment === seg)?.count ?? 0;
  const categories = nav?.items.filter((c) => c.segment === segment) ?? [];
  const segmentTotal = segmentCount(segment);
  const groups = useMemo(() => {
    const out: { category: string; items: CatalogOffer[] }[] = [];
    for (const o of page?.items ?? []) {
      const last = out.at(-1);
      if (last && last.category === o.category) last.items.push(o);
      else out.push({ category: o.category, items: [o] });
    }
    return out;
  }, [page]);
  const categoryName = (c: string) => c || intl.formatMessage({ id: 'catalog.category.other' });
  const categoryCount = (c: string) => categories.find((x) => x.category === c)?.count;

  const startCustomize = () => {
    setLimitHit(false);
    setPinError(null);
    setDraft(pins?.offers ?? []);
  };
  const saveDraft = async () => {
    if (draft && (await save(draft))) setDraft(null);
  };

  return (
    <Page
      wide
      title={<FormattedMessage id="workspace.catalog" />}
      subtitle={<FormattedMessage id="catalog.subtitle" values={{ max: MAX_PINS }} />}
      actions={
        manage && pins && pins.offers.length > 0 && draft === null ? (
          <Button onClick={startCustomize} data-testid="customize">
            <FormattedMessage id="catalog.customize" />
          </Button>
        ) : undefined
      }
    >
      <TabList className={s.tabs} selectedValue={segment} onTabSelect={(_, d) => setQuery({ segment: d.value as Segment })} aria-label={intl.formatMessage({ id: 'catalog.segments' })}>
        {SEGMENTS.map((seg) => (
          <Tab key={seg} value={seg} data-testid={`segment-${seg}`}>
            <FormattedMessage id="catalog.segmentWithCount" values={{ name: intl.formatMessage({ id: `catalog.segment.${seg}` }), count: segmentCount(seg) }} />
          </Tab>
        ))}
      </TabList>

      {limitHit && (
        <MessageBar intent="warning" layout="multiline" data-testid="pin-limit">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="catalog.pinLimit.title" />
            </MessageBarTitle>
            <FormattedMessage id="catalog.pinLimit.text" values={{ max: MAX_PINS }} />
          </MessageBarBody>
        </MessageBar>
      )}
      <FormError error={pinError} />

      <div className={s.layout}>
        <nav className={s.nav} aria-label={intl.formatMessage({ id: 'catalog.categories' })} data-testid="category-nav">
          <h2 className={s.navTitle}>
            <FormattedMessage id="catalog.categories" />
          </h2>
          <Button appearance="subtle" className={mergeClasses(s.navItem, category === null && s.navItemSelected)} aria-current={category === null ? 'true' : undefined} onClick={() => setQuery({ category: null })}>
            <span className={s.navLabel}>
              <FormattedMessage id="catalog.category.all" />
            </span>
            <span className={s.count}>{intl.formatNumber(segmentTotal)}</span>
          </Button>
          {categories.map((c) => (
            <Button
              key={c.category}
              appearance="subtle"
              className={mergeClasses(s.navItem, category === c.category && s.navItemSelected)}
              aria-current={category === c.category ? 'true' : undefined}
              onClick={() => setQuery({ category: c.category })}
              data-testid="category-link"
            >
              <span className={s.navLabel}>{categoryName(c.category)}</span>
              <span className={s.count}>{intl.formatNumber(c.count)}</span>
            </Button>
          ))}
        </nav>

        <div className={s.main}>
          <SearchBox
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            placeholder={intl.formatMessage({ id: 'catalog.search.placeholder' })}
            aria-label={intl.formatMessage({ id: 'catalog.search.label' })}
            data-testid="catalog-search"
          />

          {pins && (pins.offers.length > 0 || draft !== null) && (
            <section className={mergeClasses(l.card, s.pinnedCard)} aria-labelledby="catalog-pinned" data-testid="pinned-section">
              <div className={s.sectionHead}>
                <h2 className={l.sectionTitle} id="catalog-pinned">
                  <FormattedMessage id="catalog.pinned" />{' '}
                  <span className={s.count}>
                    <FormattedMessage id="catalog.pinnedCount" values={{ count: (draft ?? pins.offers).length, max: MAX_PINS }} />
                  </span>
                </h2>
                {draft !== null && (
                  <div className={s.buttons}>
                    <Button appearance="primary" disabled={saving} onClick={() => void saveDraft()} data-testid="save-order">
                      <FormattedMessage id="catalog.customize.save" />
                    </Button>
                    <Button disabled={saving} onClick={() => setDraft(null)}>
                      <FormattedMessage id="common.cancel" />
                    </Button>
                  </div>
                )}
              </div>
              {draft !== null ? (
                draft.length === 0 ? (
                  <p className={s.empty}>
                    <FormattedMessage id="catalog.customize.empty" />
                  </p>
                ) : (
                  <PinOrderEditor pins={draft} onChange={setDraft} />
                )
              ) : (
                <ol className={s.offers} data-testid="pinned-list">
                  {pins.offers.map((p, i) => (
                    <li key={p.id} className={s.offer} data-testid="pinned-offer" data-offer-id={p.id}>
                      <span className={s.position}>{i + 1}</span>
                      <span className={s.offerText}>
                        <span className={s.offerTitle}>{p.productTitle}</span>
                        <span className={s.offerMeta}>
                          {p.skuTitle !== p.productTitle && <span>{p.skuTitle}</span>}
                          <span className={s.mono}>{p.id}</span>
                        </span>
                      </span>
                      <span className={s.offerActions}>
                        {detailsButton(p)}
                        {pinButton(p)}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          )}

          {loadError && <LoadError error={loadError} />}
          {!page && !loadError && <Loading />}
          {page && page.items.length === 0 && (
            <div className={l.card}>
              <p className={s.empty} data-testid="catalog-empty">
                <FormattedMessage id={q ? 'catalog.noMatch' : 'catalog.emptySegment'} />
              </p>
            </div>
          )}
          {groups.map((g) => (
            <section key={g.category} className={l.card} aria-label={categoryName(g.category)} data-testid="category-group">
              <h2 className={l.sectionTitle}>
                {categoryName(g.category)}{' '}
                {!q && categoryCount(g.category) !== undefined && <span className={s.count}>{intl.formatNumber(categoryCount(g.category)!)}</span>}
              </h2>
              <ul className={s.offers}>
                {g.items.map((o) => (
                  <li key={o.id} className={s.offer} data-testid="offer" data-offer-id={o.id}>
                    <span className={s.offerText}>
                      <span className={s.offerTitle}>{o.productTitle}</span>
                      <span className={s.offerMeta}>
                        {o.skuTitle !== o.productTitle && <span>{o.skuTitle}</span>}
                        <span className={s.mono}>{o.id}</span>
                        {o.publisher && <span>{o.publisher}</span>}
                        {o.endOfSale && (
                          <Badge size="small" appearance="tint" color="warning">
                            <FormattedMessage id="catalog.endOfSale" />
                          </Badge>
                        )}
                        {positionOf(o.id) > 0 && (
                          <Badge size="small" appearance="tint" color="brand" icon={<PinIcon />}>
                            <FormattedMessage id="catalog.pinnedAt" values={{ position: positionOf(o.id) }} />
                          </Badge>
                        )}
                      </span>
                    </span>
                    <span className={s.offerActions}>
                      {detailsButton(o)}
                      {pinButton(o)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {page?.links.next && (
            <div>
              <Button onClick={() => void loadMore()} disabled={loadingMore} data-testid="load-more">
                <FormattedMessage id="catalog.loadMore" values={{ shown: page.items.length, total: page.totalCount }} />
              </Button>
            </div>
          )}
        </div>
      </div>

      <OfferDetailsDrawer
        offerId={detailsId}
        onClose={() => setDetailsId(null)}
        pinPosition={detailsId ? positionOf(detailsId) : 0}
        pinAction={(id) => {
          const o = page?.items.find((x) => x.id === id) ?? pins?.offers.find((x) => x.id === id);
          return o ? pinButton(o) : null;
        }}
      />
    </Page>
  );
}
