import { Badge, Button, DrawerBody, DrawerHeader, DrawerHeaderTitle, OverlayDrawer, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import { Facts } from '../../components/Facts';
import { LoadError } from '../../components/FormError';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';
import { DismissIcon } from './icons';
import type { CatalogOfferDetails } from './types';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: '16px', paddingBottom: '24px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  description: { margin: 0, whiteSpace: 'pre-line' },
  list: { margin: 0, paddingLeft: '18px' },
  badges: { display: 'flex', gap: '6px', flexWrap: 'wrap' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
});

const BILLING_PLANS = ['monthly', 'annual', 'triennial', 'none'] as const;

/** P1M → "1 month", P1Y → "1 year", P3Y → "3 years"; anything else as the list says. */
export function useTermLabel() {
  const intl = useIntl();
  return (term: string) => {
    const m = /^P(\d+)([MY])$/.exec(term);
    if (!m) return term;
    return intl.formatMessage({ id: m[2] === 'Y' ? 'catalog.term.years' : 'catalog.term.months' }, { n: Number(m[1]) });
  };
}

function useBillingPlanLabel() {
  const intl = useIntl();
  return (plan: string) => {
    const k = plan.toLowerCase() as (typeof BILLING_PLANS)[number];
    return BILLING_PLANS.includes(k) ? intl.formatMessage({ id: `catalog.billingPlan.${k}` }) : plan;
  };
}

/** The offer details panel: licences, prerequisites, allowed countries, terms and billing plans, and the pin action. */
export function OfferDetailsDrawer({
  offerId,
  onClose,
  pinAction,
  pinPosition,
}: {
  offerId: string | null;
  /** The offer's position among the company's pins as the page knows them now (0: not pinned). */
  pinPosition: number;
  onClose: () => void;
  /** The Pin to top / Unpin button (absent when the user may only read). */
  pinAction: (id: string) => ReactNode;
}) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const termLabel = useTermLabel();
  const planLabel = useBillingPlanLabel();
  const [details, setDetails] = useState<CatalogOfferDetails | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!offerId) return;
    const ctl = new AbortController();
    setDetails(null);
    setError(null);
    // The id contains a colon: encode it as a path segment.
    api<CatalogOfferDetails>(`/v1/catalog/offers/${encodeURIComponent(offerId)}`, { signal: ctl.signal }).then(setDetails, (e: unknown) => {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    });
    return () => ctl.abort();
  }, [offerId]);

  const licences = (d: CatalogOfferDetails) =>
    d.minLicenses === null && d.maxLicenses === null ? null : (
      <FormattedMessage id="catalog.details.licenceRange" values={{ min: d.minLicenses ?? 1, max: d.maxLicenses ?? 0, unbounded: d.maxLicenses === null ? 'yes' : 'no' }} />
    );

  return (
    <OverlayDrawer position="end" size="medium" open={offerId !== null} onOpenChange={(_, o) => !o.open && onClose()} data-testid="offer-details">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label={intl.formatMessage({ id: 'common.close' })} icon={<DismissIcon />} onClick={onClose} />}>
          {details ? details.productTitle : <FormattedMessage id="catalog.details.title" />}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <div className={s.body}>
          {error && <LoadError error={error} />}
          {!details && !error && <Spinner label={intl.formatMessage({ id: 'common.loading' })} />}
          {details && (
            <>
              <div className={s.badges}>
                <Badge appearance="tint">{intl.formatMessage({ id: `catalog.segment.${details.segment}` })}</Badge>
                {details.category && <Badge appearance="outline">{details.category}</Badge>}
                {details.endOfSale && (
                  <Badge appearance="filled" color="warning">
                    <FormattedMessage id="catalog.endOfSale" />
                  </Badge>
                )}
                {pinPosition > 0 && (
                  <Badge appearance="filled" color="brand" data-testid="details-pinned">
                    <FormattedMessage id="catalog.pinnedAt" values={{ position: pinPosition }} />
                  </Badge>
                )}
              </div>
              {details.description && <p className={s.description}>{details.description}</p>}
              <div className={s.actions}>{pinAction(details.id)}</div>
              <Facts
                items={[
                  { key: 'sku', label: <FormattedMessage id="catalog.details.sku" />, value: details.skuTitle },
                  { key: 'id', label: <FormattedMessage id="catalog.details.offerId" />, value: <span className={s.mono}>{details.id}</span>, testId: 'details-id' },
                  { key: 'publisher', label: <FormattedMessage id="catalog.details.publisher" />, value: details.publisher || null },
                  { key: 'licences', label: <FormattedMessage id="catalog.details.licences" />, value: licences(details), testId: 'details-licences' },
                  {
                    key: 'prerequisites',
                    label: <FormattedMessage id="catalog.details.prerequisites" />,
                    testId: 'details-prerequisites',
                    value:
                      details.prerequisites.length === 0 ? (
                        <FormattedMessage id="catalog.details.none" />
                      ) : (
                        <ul className={s.list}>
                          {details.prerequisites.map((p) => (
                            <li key={p.id}>
                              {p.productTitle ?? <FormattedMessage id="catalog.details.unknownOffer" />} <span className={s.mono}>{p.id}</span>
                            </li>
                          ))}
                        </ul>
                      ),
                  },
                  {
                    key: 'countries',
                    label: <FormattedMessage id="catalog.details.allowedCountries" />,
                    testId: 'details-countries',
                    value:
                      details.allowedCountries.length === 0 ? (
                        <FormattedMessage id="catalog.details.allCountries" />
                      ) : (
                        details.allowedCountries.map((c) => countryName(locale, c)).join(', ')
                      ),
                  },
                  {
                    key: 'terms',
                    label: <FormattedMessage id="catalog.details.terms" />,
                    testId: 'details-terms',
                    value: !details.priceList ? (
                      <span className={s.muted}>
                        <FormattedMessage id="catalog.details.noPriceList" />
                      </span>
                    ) : details.terms.length === 0 ? (
                      <span className={s.muted}>
                        <FormattedMessage id="catalog.details.notInPriceList" values={{ market: countryName(locale, details.priceList.market) }} />
                      </span>
                    ) : (
                      <>
                        <ul className={s.list}>
                          {details.terms.map((t) => (
                            <li key={`${t.termDuration}/${t.billingPlan}`}>
                              <FormattedMessage id="catalog.details.termPlan" values={{ term: termLabel(t.termDuration), plan: planLabel(t.billingPlan) }} />{' '}
                              <span className={s.muted} data-testid="details-currencies">
                                {t.currencies.join(', ')}
                              </span>
                            </li>
                          ))}
                        </ul>
                        <span className={s.muted}>
                          <FormattedMessage id="catalog.details.fromPriceList" values={{ market: countryName(locale, details.priceList.market), month: intl.formatDate(`${details.priceList.month}-01T00:00:00Z`, { month: 'long', year: 'numeric', timeZone: 'UTC' }) }} />
                        </span>
                      </>
                    ),
                  },
                  {
                    key: 'aol',
                    label: <FormattedMessage id="catalog.details.assetOwnershipLimit" />,
                    value:
                      details.assetOwnershipLimit === null ? null : details.assetOwnershipLimitType ? (
                        <FormattedMessage id="catalog.details.assetOwnershipLimitValue" values={{ n: details.assetOwnershipLimit, type: details.assetOwnershipLimitType }} />
                      ) : (
                        intl.formatNumber(details.assetOwnershipLimit)
                      ),
                  },
                ]}
              />
            </>
          )}
        </div>
      </DrawerBody>
    </OverlayDrawer>
  );
}
