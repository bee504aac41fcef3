import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client';
import { fieldErrors, FormError, LoadError } from '../components/FormError';
import { ListPager } from '../components/ListPager';
import { Page, useLayoutStyles } from '../components/layout';
import { useKeysetList } from '../components/useKeysetList';
import { useLocale } from '../i18n/LocaleProvider';
import { formatDay, type Promotion } from '../pages/pricing/pricing-api';

const useStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '860px' },
  cell: { paddingBlock: '8px', overflowWrap: 'anywhere' },
  name: { fontWeight: tokens.fontWeightSemibold },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  actions: { display: 'flex', gap: '8px' },
  empty: { textAlign: 'center', color: tokens.colorNeutralForeground3, paddingBlock: '24px' },
  surface: { maxWidth: '640px', width: '100%' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: '12px 16px', alignItems: 'start' },
  full: { gridColumn: '1 / -1' },
});

type FieldName = 'name' | 'percent' | 'markets' | 'productIds' | 'skuIds' | 'terms' | 'startsOn' | 'endsOn';
const FIELDS: readonly FieldName[] = ['name', 'percent', 'markets', 'productIds', 'skuIds', 'terms', 'startsOn', 'endsOn'];
const LIST_FIELDS = new Set<FieldName>(['markets', 'productIds', 'skuIds', 'terms']);
type Values = Record<FieldName, string>;

const valuesOf = (p: Promotion | null): Values => ({
  name: p?.name ?? '',
  percent: p?.percent ?? '',
  markets: p?.markets.join(', ') ?? '',
  productIds: p?.productIds.join(', ') ?? '',
  skuIds: p?.skuIds.join(', ') ?? '',
  terms: p?.terms.join(', ') ?? '',
  startsOn: p?.startsOn ?? '',
  endsOn: p?.endsOn ?? '',
});

/** Comma- or space-separated values; empty means "all". */
const split = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

function bodyOf(v: Values) {
  return {
    name: v.name.trim(),
    // A French decimal comma is accepted in the form.
    percent: v.percent.trim().replace(',', '.'),
    markets: split(v.markets).map((m) => m.toUpperCase()),
    productIds: split(v.productIds),
    skuIds: split(v.skuIds),
    terms: split(v.terms).map((t) => t.toUpperCase()),
    startsOn: v.startsOn,
    endsOn: v.endsOn,
  };
}

/** Operator → Promotions: a percentage off list prices for some markets, products, SKUs and terms, between two dates. */
export default function Promotions() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const list = useKeysetList<{ totalCount: number; items: Promotion[]; links: { next?: { uri: string } } }>('/v1/operator/promotions?size=50');
  const [editing, setEditing] = useState<{ promotion: Promotion | null } | null>(null);
  const [deleting, setDeleting] = useState<Promotion | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const all = intl.formatMessage({ id: 'pricing.promo.all' });
  const listText = (xs: string[]) => (xs.length ? xs.join(', ') : all);

  const remove = async () => {
    if (!deleting) return;
    setDeleteError(null);
    try {
      await api(`/v1/operator/promotions/${deleting.id}`, { method: 'DELETE', headers: { 'If-Match': deleting.etag ?? '' } });
      setDeleting(null);
      list.first();
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setDeleteError(e);
    }
  };

  return (
    <Page
      wide
      title={<FormattedMessage id="operator.nav.promotions" />}
      subtitle={<FormattedMessage id="pricing.promo.lead" />}
      actions={
        <Button appearance="primary" onClick={() => setEditing({ promotion: null })} data-testid="promo-new">
          <FormattedMessage id="pricing.promo.new" />
        </Button>
      }
    >
      <div className={l.card}>
        {list.error && <LoadError error={list.error} />}
        <div className={s.tableWrap}>
          <Table className={s.table} aria-label={intl.formatMessage({ id: 'operator.nav.promotions' })} data-testid="promo-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell><FormattedMessage id="pricing.promo.name" /></TableHeaderCell>
                <TableHeaderCell><FormattedMessage id="pricing.promo.percent" /></TableHeaderCell>
                <TableHeaderCell><FormattedMessage id="pricing.promo.scope" /></TableHeaderCell>
                <TableHeaderCell><FormattedMessage id="pricing.promo.dates" /></TableHeaderCell>
                <TableHeaderCell><FormattedMessage id="pricing.promo.actions" /></TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data?.items.map((p) => (
                <TableRow key={p.id} data-testid="promo-row">
                  <TableCell className={s.cell}><span className={s.name}>{p.name}</span></TableCell>
                  <TableCell className={s.cell}>
                    <FormattedMessage id="pricing.promo.percentValue" values={{ percent: p.percent }} />
                  </TableCell>
                  <TableCell className={s.cell}>
                    <span className={s.sub}><FormattedMessage id="pricing.promo.scope.markets" values={{ list: listText(p.markets) }} /></span>
                    <span className={s.sub}><FormattedMessage id="pricing.promo.scope.products" values={{ list: listText(p.productIds) }} /></span>
                    <span className={s.sub}><FormattedMessage id="pricing.promo.scope.skus" values={{ list: listText(p.skuIds) }} /></span>
                    <span className={s.sub}><FormattedMessage id="pricing.promo.scope.terms" values={{ list: listText(p.terms) }} /></span>
                  </TableCell>
                  <TableCell className={s.cell}>
                    <FormattedMessage id="pricing.promo.dateRange" values={{ from: formatDay(locale, p.startsOn), to: formatDay(locale, p.endsOn) }} />
                  </TableCell>
                  <TableCell className={s.cell}>
                    <span className={s.actions}>
                      <Button size="small" onClick={() => setEditing({ promotion: p })} data-testid="promo-edit">
                        <FormattedMessage id="pricing.promo.edit" />
                      </Button>
                      <Button size="small" onClick={() => { setDeleteError(null); setDeleting(p); }} data-testid="promo-delete">
                        <FormattedMessage id="pricing.promo.delete" />
                      </Button>
                    </span>
                  </TableCell>
                </TableRow>
              ))}
              {list.data && list.data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5} className={s.empty}><FormattedMessage id="pricing.promo.empty" /></TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </div>
        <ListPager list={list} testIdPrefix="promo" />
      </div>
      {editing && (
        <PromotionDialog
          promotion={editing.promotion}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.first();
          }}
        />
      )}
      {deleting && (
        <Dialog open onOpenChange={(_, d) => !d.open && setDeleting(null)}>
          <DialogSurface className={s.surface}>
            <DialogBody>
              <DialogTitle><FormattedMessage id="pricing.promo.deleteTitle" values={{ name: deleting.name }} /></DialogTitle>
              <DialogContent>
                <FormattedMessage id="pricing.promo.deleteText" />
                <FormError error={deleteError} />
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setDeleting(null)}><FormattedMessage id="pricing.promo.cancel" /></Button>
                <Button appearance="primary" onClick={remove} data-testid="promo-delete-confirm"><FormattedMessage id="pricing.promo.delete" /></Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </Page>
  );
}

function PromotionDialog({ promotion, onClose, onSaved }: { promotion: Promotion | null; onClose: () => void; onSaved: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [values, setValues] = useState<Values>(() => valuesOf(promotion));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error);
  const labels = Object.fromEntries(FIELDS.map((f) => [f, intl.formatMessage({ id: `pricing.promo.field.${f}` })]));
  const shown = FIELDS.filter((f) => errors[f] || [...Object.keys(errors)].some((k) => k.startsWith(`${f}.`)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (promotion) {
        await api(`/v1/operator/promotions/${promotion.id}`, { method: 'PUT', body: bodyOf(values), headers: { 'If-Match': promotion.etag ?? '' } });
      } else {
        await api('/v1/operator/promotions', { method: 'POST', body: bodyOf(values) });
      }
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** A field's message, including those of its list items (markets.0, …). */
  const messageOf = (f: FieldName) => errors[f] ?? Object.entries(errors).find(([k]) => k.startsWith(`${f}.`))?.[1];

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} data-testid="promo-dialog">
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={promotion ? 'pricing.promo.editTitle' : 'pricing.promo.newTitle'} />
            </DialogTitle>
            <DialogContent>
              <div className={s.form}>
                {FIELDS.map((f) => (
                  <Field
                    key={f}
                    className={f === 'name' ? s.full : undefined}
                    label={labels[f]}
                    required={f === 'name' || f === 'percent' || f === 'startsOn' || f === 'endsOn'}
                    hint={LIST_FIELDS.has(f) ? intl.formatMessage({ id: 'pricing.promo.listHint' }) : undefined}
                    validationMessage={messageOf(f)}
                  >
                    <Input
                      type={f === 'startsOn' || f === 'endsOn' ? 'date' : 'text'}
                      inputMode={f === 'percent' ? 'decimal' : undefined}
                      value={values[f]}
                      onChange={(_, d) => setValues((v) => ({ ...v, [f]: d.value }))}
                      data-testid={`promo-${f}`}
                    />
                  </Field>
                ))}
              </div>
              <div style={{ marginTop: '12px' }}>
                <FormError error={error} shownFields={shown} fieldLabels={labels} />
              </div>
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose}><FormattedMessage id="pricing.promo.cancel" /></Button>
              <Button type="submit" appearance="primary" disabled={busy} data-testid="promo-save"><FormattedMessage id="pricing.promo.save" /></Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
