import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import { fieldErrors, FormError } from '../../components/FormError';
import { useLocale } from '../../i18n/LocaleProvider';
import { formatDay, formatMoney, formatMonth, type ExplanationStep, type PriceResolution, type PriceRow } from './pricing-api';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: '100%' },
  content: { display: 'flex', flexDirection: 'column', gap: '16px' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr)) auto', gap: '12px', alignItems: 'end' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 16px', margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  total: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  steps: { margin: 0, paddingLeft: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
  sub: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** One explanation step in words; dates, months and prices formatted for the user's locale. */
function StepText({ step, currency }: { step: ExplanationStep; currency: string }) {
  const { locale } = useLocale();
  const p = step.params;
  const money = (k: string) => (p[k] !== undefined && p[k] !== '' ? formatMoney(locale, String(p[k]), String(p.currency ?? currency)) : '');
  const day = (k: string) => (p[k] ? formatDay(locale, String(p[k])) : '');
  const values: Record<string, string | number> = { ...p };
  if (step.code === 'row_chosen') {
    Object.assign(values, {
      month: formatMonth(locale, String(p.month)),
      unitPrice: money('unitPrice'),
      effectiveStartDate: day('effectiveStartDate'),
      end: p.effectiveEndDate ? 'closed' : 'open',
      effectiveEndDate: p.effectiveEndDate ? day('effectiveEndDate') : '',
      tier: p.tierMin === '' && p.tierMax === '' ? 'none' : 'some',
      tierMin: p.tierMin === '' ? '1' : p.tierMin!,
      tierMax: p.tierMax === '' ? '∞' : p.tierMax!,
    });
  }
  if (step.code === 'effective_on_date' || step.code === 'query') values.date = day('date');
  if (step.code === 'overlap_latest_start') values.effectiveStartDate = day('effectiveStartDate');
  if (step.code === 'promotion_applied') Object.assign(values, { startsOn: day('startsOn'), endsOn: day('endsOn') });
  if (step.code === 'unit_price') Object.assign(values, { listPrice: money('listPrice'), unitPrice: money('unitPrice') });
  if (step.code === 'total') Object.assign(values, { unitPrice: money('unitPrice'), total: money('total') });
  if (step.code === 'no_price') return <FormattedMessage id={`pricing.price.reason.${String(p.reason)}`} />;
  return <FormattedMessage id={`pricing.explain.${step.code}`} values={values} />;
}

/** The price calculator of one price-list row: quantity and date → GET /v1/pricelists/price, with the explanation. */
export function PriceCalculator({ row, onClose }: { row: PriceRow; onClose: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [quantity, setQuantity] = useState(String(row.tierMin ?? 1));
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [result, setResult] = useState<PriceResolution | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error);

  const calculate = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    const q = new URLSearchParams({
      market: row.market, skuId: row.skuId, productId: row.productId, termDuration: row.termDuration, billingPlan: row.billingPlan, currency: row.currency, date, quantity: quantity.trim(),
    });
    try {
      setResult(await api<PriceResolution>(`/v1/pricelists/price?${q.toString()}`));
    } catch (err) {
      setResult(null);
      if (err instanceof ApiError && !err.isAuthFailure) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} data-testid="price-calculator">
        <DialogBody>
          <DialogTitle>
            <FormattedMessage id="pricing.price.title" />
          </DialogTitle>
          <DialogContent className={s.content}>
            <div>
              <strong>{row.productTitle}</strong>
              <div className={s.sub}>
                {row.skuTitle} · {row.productId}:{row.skuId} · {intl.formatMessage({ id: `pricing.list.term.${row.termDuration}`, defaultMessage: row.termDuration })} ·{' '}
                {intl.formatMessage({ id: `pricing.list.plan.${row.billingPlan}`, defaultMessage: row.billingPlan })}
              </div>
            </div>
            <form className={s.form} onSubmit={calculate} noValidate>
              <Field label={intl.formatMessage({ id: 'pricing.price.quantity' })} validationMessage={errors.quantity}>
                <Input type="number" min={1} value={quantity} onChange={(_, d) => setQuantity(d.value)} data-testid="calc-quantity" />
              </Field>
              <Field label={intl.formatMessage({ id: 'pricing.price.date' })} validationMessage={errors.date}>
                <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} data-testid="calc-date" />
              </Field>
              <Button type="submit" appearance="primary" disabled={busy} data-testid="calc-submit">
                <FormattedMessage id="pricing.price.calculate" />
              </Button>
            </form>
            <FormError error={error} shownFields={['quantity', 'date']} />
            {result && result.priced && (
              <div data-testid="calc-result">
                <dl className={s.facts}>
                  <dt className={s.term}>
                    <FormattedMessage id="pricing.price.total" />
                  </dt>
                  <dd className={s.total} data-testid="calc-total">
                    {formatMoney(locale, result.total!, result.currency!)}
                  </dd>
                  <dt className={s.term}>
                    <FormattedMessage id="pricing.price.unitPrice" />
                  </dt>
                  <dd>
                    {formatMoney(locale, result.unitPrice!, result.currency!)}{' '}
                    {result.promotion && (
                      <Badge appearance="tint" color="success" data-testid="calc-promotion">
                        <FormattedMessage id="pricing.list.promotionBadge" values={{ percent: result.promotion.percent, name: result.promotion.name }} />
                      </Badge>
                    )}
                  </dd>
                  <dt className={s.term}>
                    <FormattedMessage id="pricing.list.listPrice" />
                  </dt>
                  <dd>{formatMoney(locale, result.listPrice!, result.currency!)}</dd>
                </dl>
              </div>
            )}
            {result && !result.priced && (
              <MessageBar intent="warning" data-testid="calc-no-price">
                <MessageBarBody>
                  <FormattedMessage id={`pricing.price.reason.${result.reason ?? 'NO_MATCHING_ROW'}`} />
                </MessageBarBody>
              </MessageBar>
            )}
            {result && (
              <section aria-labelledby="calc-explanation-title">
                <h3 id="calc-explanation-title" style={{ margin: '0 0 4px', fontSize: tokens.fontSizeBase300 }}>
                  <FormattedMessage id="pricing.price.explanation" />
                </h3>
                <ol className={s.steps} data-testid="calc-explanation">
                  {result.explanation
                    .filter((st) => st.code !== 'query')
                    .map((st, i) => (
                      <li key={i}>
                        <StepText step={st} currency={row.currency} />
                      </li>
                    ))}
                </ol>
              </section>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} data-testid="calc-close">
              <FormattedMessage id="pricing.price.close" />
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
