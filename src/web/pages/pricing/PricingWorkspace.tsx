import {
  Badge,
  Button,
  Field,
  Input,
  Select,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import { LoadError } from '../../components/FormError';
import { ListPager } from '../../components/ListPager';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName } from '../../components/regions';
import { useDebounced, useKeysetList } from '../../components/useKeysetList';
import { useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import { NoAccess } from '../Workspace';
import { PriceCalculator } from './PriceCalculator';
import { CHANGE_FLAGS, formatDay, formatMoney, formatMonth, type ChangeFlag, type Changes, type Facets, type Months, type PricePage, type PriceRow } from './pricing-api';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: '12px 16px', flexWrap: 'wrap' },
  picker: { minWidth: '180px' },
  search: { flexGrow: 1, minWidth: '240px', maxWidth: '420px' },
  filter: { minWidth: '150px' },
  downloads: { display: 'flex', gap: '8px', marginLeft: 'auto' },
  summary: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', minHeight: '32px', flexWrap: 'wrap' },
  total: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '980px' },
  cell: { paddingBlock: '8px', overflowWrap: 'anywhere' },
  title: { fontWeight: tokens.fontWeightSemibold },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  price: { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' },
  struck: { textDecorationLine: 'line-through', color: tokens.colorNeutralForeground3 },
  promo: { display: 'flex', flexDirection: 'column', gap: '2px', alignItems: 'flex-start' },
  promoPrice: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorPaletteGreenForeground1, whiteSpace: 'nowrap' },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: '12px' },
  count: {
    display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: '4px', padding: '12px 16px', borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1, cursor: 'pointer', textAlign: 'start', font: 'inherit',
  },
  countActive: { border: `2px solid ${tokens.colorBrandStroke1}` },
  countValue: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
});

const FLAG_COLOR: Record<ChangeFlag, 'success' | 'warning' | 'danger' | 'informative'> = { ADD: 'success', CHG: 'warning', DEL: 'danger', UNC: 'informative' };

export function FlagBadge({ flag }: { flag: ChangeFlag }) {
  const intl = useIntl();
  return (
    <Badge appearance="tint" color={FLAG_COLOR[flag]} title={intl.formatMessage({ id: `pricing.list.flag.${flag}.help` })} data-testid={`flag-${flag}`}>
      {flag}
    </Badge>
  );
}

interface Filters {
  q: string;
  publisher: string;
  termDuration: string;
  billingPlan: string;
  tag: string;
  changeFlag: string;
}
const NO_FILTERS: Filters = { q: '', publisher: '', termDuration: '', billingPlan: '', tag: '', changeFlag: '' };

function listUri(market: string, month: string, f: Filters): string {
  const q = new URLSearchParams({ market, month, size: String(PAGE_SIZE) });
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  return `/v1/pricelists?${q.toString()}`;
}

/** Load `uri` (null: nothing yet); `reload` changes reload it. */
function useResource<T>(uri: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!uri) return;
    const ctl = new AbortController();
    setError(null);
    api<T>(uri, { signal: ctl.signal }).then(setData, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
    return () => ctl.abort();
  }, [uri]);
  return { data, error };
}

/** Sell → Pricing and offers (reference §1.10): a market's monthly price lists, what changed, downloads and the price calculator. */
export default function PricingWorkspace() {
  const { can } = usePartnerSession();
  if (!can('pricing.read')) return <NoAccess />;
  return <Workspace />;
}

function Workspace() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const { me } = usePartnerSession();
  const markets = useResource<{ items: { market: string; currency: string | null }[] }>('/v1/pricelists/markets');
  const [market, setMarket] = useState('');
  const [month, setMonth] = useState('');
  const [tab, setTab] = useState<'list' | 'changes'>('list');

  // The company's own country first, when it has a list.
  useEffect(() => {
    const items = markets.data?.items;
    if (!items?.length || market) return;
    setMarket(items.find((m) => m.market === me.partner.country)?.market ?? items[0]!.market);
  }, [markets.data, market, me.partner.country]);

  const months = useResource<Months>(market ? `/v1/pricelists/months?market=${market}` : null);
  useEffect(() => {
    const items = months.data?.market === market ? months.data.items : undefined;
    if (!items?.length) return;
    if (!items.some((m) => m.month === month)) setMonth((items.find((m) => m.kind === 'current') ?? items[0]!).month);
  }, [months.data, market, month]);

  if (markets.error) return <Page title={<FormattedMessage id="workspace.pricing" />}><LoadError error={markets.error} /></Page>;
  if (!markets.data) return <Loading />;

  const download = (format: 'csv' | 'xlsx') => `/v1/pricelists/download?${new URLSearchParams({ market, month, format }).toString()}`;
  const ready = market && month && months.data?.market === market;

  return (
    <Page wide title={<FormattedMessage id="workspace.pricing" />} subtitle={<FormattedMessage id="pricing.list.lead" />}>
      <div className={l.card}>
        {markets.data.items.length === 0 ? (
          <p className={s.empty} data-testid="pricing-no-lists">
            <FormattedMessage id="pricing.list.noLists" />
          </p>
        ) : (
          <div className={s.toolbar}>
            <Field className={s.picker} label={intl.formatMessage({ id: 'pricing.list.market' })}>
              <Select value={market} onChange={(_, d) => { setMarket(d.value); setMonth(''); }} data-testid="pricing-market">
                {markets.data.items.map((m) => (
                  <option key={m.market} value={m.market}>
                    {countryName(locale, m.market)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field className={s.picker} label={intl.formatMessage({ id: 'pricing.list.month' })}>
              <Select value={month} onChange={(_, d) => setMonth(d.value)} data-testid="pricing-month" disabled={!months.data}>
                {(months.data?.market === market ? months.data.items : []).map((m) => (
                  <option key={m.month} value={m.month}>
                    {intl.formatMessage({ id: `pricing.list.monthOption.${m.kind}` }, { month: formatMonth(locale, m.month) })}
                  </option>
                ))}
              </Select>
            </Field>
            {ready && (
              <div className={s.downloads}>
                <Button as="a" href={download('csv')} download data-testid="pricing-download-csv">
                  <FormattedMessage id="pricing.list.downloadCsv" />
                </Button>
                <Button as="a" href={download('xlsx')} download data-testid="pricing-download-xlsx">
                  <FormattedMessage id="pricing.list.downloadXlsx" />
                </Button>
              </div>
            )}
          </div>
        )}
        {months.error && <LoadError error={months.error} />}
        {ready && (
          <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as 'list' | 'changes')}>
            <Tab value="list" data-testid="pricing-tab-list">
              <FormattedMessage id="pricing.list.tab.list" />
            </Tab>
            <Tab value="changes" data-testid="pricing-tab-changes">
              <FormattedMessage id="pricing.list.tab.changes" />
            </Tab>
          </TabList>
        )}
      </div>
      {ready && tab === 'list' && <PriceListView key={`${market}-${month}`} market={market} month={month} />}
      {ready && tab === 'changes' && <ChangesView key={`${market}-${month}`} market={market} month={month} />}
    </Page>
  );
}

function PriceListView({ market, month }: { market: string; month: string }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const [f, setF] = useState<Omit<Filters, 'q'>>(NO_FILTERS);
  const facets = useResource<Facets>(`/v1/pricelists/facets?market=${market}&month=${month}`);
  const list = useKeysetList<PricePage>(listUri(market, month, { ...f, q }));
  const set = (k: keyof Omit<Filters, 'q'>) => (_: unknown, d: { value: string }) => setF((x) => ({ ...x, [k]: d.value }));
  const all = intl.formatMessage({ id: 'pricing.list.filter.all' });

  return (
    <div className={l.card}>
      <div className={s.toolbar}>
        <Field className={s.search} label={intl.formatMessage({ id: 'pricing.list.search' })}>
          <Input type="search" value={text} onChange={(_, d) => setText(d.value)} placeholder={intl.formatMessage({ id: 'pricing.list.searchPlaceholder' })} data-testid="pricing-search" />
        </Field>
        <Field className={s.filter} label={intl.formatMessage({ id: 'pricing.list.publisher' })}>
          <Select value={f.publisher} onChange={set('publisher')} data-testid="pricing-filter-publisher">
            <option value="">{all}</option>
            {facets.data?.publishers.map((p) => <option key={p} value={p}>{p}</option>)}
          </Select>
        </Field>
        <Field className={s.filter} label={intl.formatMessage({ id: 'pricing.list.term' })}>
          <Select value={f.termDuration} onChange={set('termDuration')} data-testid="pricing-filter-term">
            <option value="">{all}</option>
            {facets.data?.termDurations.map((t) => <option key={t} value={t}>{intl.formatMessage({ id: `pricing.list.term.${t}`, defaultMessage: t })}</option>)}
          </Select>
        </Field>
        <Field className={s.filter} label={intl.formatMessage({ id: 'pricing.list.billingPlan' })}>
          <Select value={f.billingPlan} onChange={set('billingPlan')} data-testid="pricing-filter-plan">
            <option value="">{all}</option>
            {facets.data?.billingPlans.map((p) => <option key={p} value={p}>{intl.formatMessage({ id: `pricing.list.plan.${p}`, defaultMessage: p })}</option>)}
          </Select>
        </Field>
        <Field className={s.filter} label={intl.formatMessage({ id: 'pricing.list.tag' })}>
          <Select value={f.tag} onChange={set('tag')} data-testid="pricing-filter-tag">
            <option value="">{all}</option>
            {facets.data?.tags.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </Field>
        <Field className={s.filter} label={intl.formatMessage({ id: 'pricing.list.changeFlag' })}>
          <Select value={f.changeFlag} onChange={set('changeFlag')} data-testid="pricing-filter-flag">
            <option value="">{all}</option>
            {CHANGE_FLAGS.map((c) => <option key={c} value={c}>{intl.formatMessage({ id: `pricing.list.flag.${c}` })}</option>)}
          </Select>
        </Field>
      </div>
      <PriceTable list={list} />
    </div>
  );
}

function PriceTable({ list }: { list: ReturnType<typeof useKeysetList<PricePage>> }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [calc, setCalc] = useState<PriceRow | null>(null);
  const { data, loading, error } = list;
  const money = (v: string | null, currency: string) => (v === null ? '—' : formatMoney(locale, v, currency));
  return (
    <>
      {error && <LoadError error={error} />}
      <div className={s.summary}>
        <span className={s.total} data-testid="pricing-total" aria-live="polite">
          {data && <FormattedMessage id="pricing.list.total" values={{ count: data.totalCount }} />}
        </span>
      </div>
      <div className={s.tableWrap}>
        <Table className={s.table} aria-label={intl.formatMessage({ id: 'pricing.list.tableLabel' })} data-testid="pricing-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell><FormattedMessage id="pricing.list.product" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.termAndPlan" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.listPrice" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.erpPrice" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.changeFlag" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.effective" /></TableHeaderCell>
              <TableHeaderCell><FormattedMessage id="pricing.list.actions" /></TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data?.items.map((r) => (
              <TableRow key={r.rowNo} data-testid="pricing-row" data-product-id={r.productId}>
                <TableCell className={s.cell}>
                  <span className={s.title}>{r.productTitle}</span>
                  <span className={s.sub}>{r.skuTitle}</span>
                  <span className={`${s.sub} ${s.mono}`}>{r.productId}:{r.skuId}</span>
                  {(r.tierMin !== null || r.tierMax !== null) && (
                    <span className={s.sub}>
                      <FormattedMessage id="pricing.list.tier" values={{ min: r.tierMin ?? 1, max: r.tierMax === null ? 'open' : String(r.tierMax) }} />
                    </span>
                  )}
                </TableCell>
                <TableCell className={s.cell}>
                  {intl.formatMessage({ id: `pricing.list.term.${r.termDuration}`, defaultMessage: r.termDuration })}
                  <span className={s.sub}>{intl.formatMessage({ id: `pricing.list.plan.${r.billingPlan}`, defaultMessage: r.billingPlan })}</span>
                </TableCell>
                <TableCell className={s.cell}>
                  {r.promotion ? (
                    <span className={s.promo}>
                      <span className={`${s.price} ${s.struck}`} data-testid="list-price">{money(r.unitPrice, r.currency)}</span>
                      <span className={s.promoPrice} data-testid="promoted-price">{money(r.promotion.unitPrice, r.currency)}</span>
                      <Badge appearance="tint" color="success" data-testid="promotion-badge" title={intl.formatMessage({ id: 'pricing.list.promotionUntil' }, { date: formatDay(locale, r.promotion.endsOn) })}>
                        <FormattedMessage id="pricing.list.promotionBadge" values={{ percent: r.promotion.percent, name: r.promotion.name }} />
                      </Badge>
                    </span>
                  ) : (
                    <span className={s.price} data-testid="list-price">{money(r.unitPrice, r.currency)}</span>
                  )}
                </TableCell>
                <TableCell className={s.cell}>
                  <span className={s.price} data-testid="erp-price">{money(r.erpPrice, r.currency)}</span>
                </TableCell>
                <TableCell className={s.cell}>
                  <FlagBadge flag={r.changeFlag} />
                </TableCell>
                <TableCell className={s.cell}>
                  <FormattedMessage
                    id="pricing.list.effectiveRange"
                    values={{ end: r.effectiveEndDate ? 'closed' : 'open', from: formatDay(locale, r.effectiveStartDate), to: r.effectiveEndDate ? formatDay(locale, r.effectiveEndDate) : '' }}
                  />
                </TableCell>
                <TableCell className={s.cell}>
                  <Button size="small" disabled={r.changeFlag === 'DEL'} onClick={() => setCalc(r)} data-testid="pricing-calculate">
                    <FormattedMessage id="pricing.list.calculate" />
                  </Button>
                </TableCell>
              </TableRow>
            ))}
            {data && data.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={7} className={s.empty}>
                  <FormattedMessage id="pricing.list.empty" />
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </div>
      {!data && loading && <Loading />}
      <ListPager list={list} testIdPrefix="pricing" />
      {calc && <PriceCalculator row={calc} onClose={() => setCalc(null)} />}
    </>
  );
}

function ChangesView({ market, month }: { market: string; month: string }) {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const changes = useResource<Changes>(`/v1/pricelists/changes?market=${market}&month=${month}`);
  const [flag, setFlag] = useState<ChangeFlag>('CHG');
  const uri = useMemo(() => listUri(market, month, { ...NO_FILTERS, changeFlag: flag }), [market, month, flag]);
  const list = useKeysetList<PricePage>(uri);
  if (changes.error) return <LoadError error={changes.error} />;
  if (!changes.data) return <Loading />;
  const c = changes.data;
  return (
    <div className={l.card} data-testid="pricing-changes">
      <h2 className={l.sectionTitle}>
        {c.previousMonth ? (
          <FormattedMessage id="pricing.list.changesSince" values={{ month: formatMonth(locale, c.month), previous: formatMonth(locale, c.previousMonth) }} />
        ) : (
          <FormattedMessage id="pricing.list.changesFirst" values={{ month: formatMonth(locale, c.month) }} />
        )}
      </h2>
      <div className={s.counts} role="group" aria-label={intl.formatMessage({ id: 'pricing.list.changeFlag' })}>
        {CHANGE_FLAGS.map((f) => (
          <button
            key={f}
            type="button"
            className={`${s.count} ${flag === f ? s.countActive : ''}`}
            aria-pressed={flag === f}
            onClick={() => setFlag(f)}
            data-testid={`changes-count-${f}`}
          >
            <FlagBadge flag={f} />
            <span className={s.countValue}>{intl.formatNumber(c.counts[f])}</span>
            <span className={s.sub}>
              <FormattedMessage id={`pricing.list.flag.${f}`} />
            </span>
          </button>
        ))}
      </div>
      <PriceTable list={list} />
    </div>
  );
}
