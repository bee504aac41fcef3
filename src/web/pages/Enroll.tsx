import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import countryToCurrency from 'country-to-currency';
import { useEffect, useMemo, useRef, useState, type FormEvent, type JSX, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { EnrollmentAnswer, EnrollmentRequest, Locale } from '../api/types';
import { AppLink } from '../components/AppLink';
import { fieldErrors, FormError } from '../components/FormError';
import { usePanelStyles } from '../components/PublicLayout';
import { countryName } from '../components/regions';
import { useLocale } from '../i18n/LocaleProvider';

const CURRENCY: Record<string, string> = countryToCurrency as Record<string, string>;
/** The countries a partner can enrol in: those with a currency (same list as the server). */
const COUNTRY_CODES = Object.keys(CURRENCY);
const DEFAULT_COUNTRY: Record<Locale, string> = { fr: 'FR', en: 'US' };

type FieldName =
  | 'companyName'
  | 'phone'
  | 'website'
  | 'address.addressLine1'
  | 'address.addressLine2'
  | 'address.city'
  | 'address.state'
  | 'address.postalCode'
  | 'address.country'
  | 'primaryContact.firstName'
  | 'primaryContact.lastName'
  | 'primaryContact.email'
  | 'primaryContact.phoneNumber'
  | 'email'
  | 'password';

/** Field → [message id of its label, data-testid]. */
const FIELDS: Record<FieldName, [string, string]> = {
  companyName: ['enroll.companyName', 'enroll-companyName'],
  phone: ['enroll.phone', 'enroll-phone'],
  website: ['enroll.website', 'enroll-website'],
  'address.addressLine1': ['enroll.addressLine1', 'enroll-addressLine1'],
  'address.addressLine2': ['enroll.addressLine2', 'enroll-addressLine2'],
  'address.city': ['enroll.city', 'enroll-city'],
  'address.state': ['enroll.state', 'enroll-state'],
  'address.postalCode': ['enroll.postalCode', 'enroll-postalCode'],
  'address.country': ['enroll.country', 'enroll-country'],
  'primaryContact.firstName': ['enroll.contact.firstName', 'enroll-contact-firstName'],
  'primaryContact.lastName': ['enroll.contact.lastName', 'enroll-contact-lastName'],
  'primaryContact.email': ['enroll.contact.email', 'enroll-contact-email'],
  'primaryContact.phoneNumber': ['enroll.contact.phoneNumber', 'enroll-contact-phoneNumber'],
  email: ['enroll.email', 'enroll-email'],
  password: ['enroll.password', 'enroll-password'],
};
const REQUIRED = new Set<FieldName>(['companyName', 'address.addressLine1', 'address.city', 'address.postalCode', 'address.country', 'primaryContact.firstName', 'primaryContact.lastName', 'primaryContact.email', 'email', 'password']);

type Values = Record<FieldName, string>;
const EMPTY: Values = Object.fromEntries(Object.keys(FIELDS).map((k) => [k, ''])) as Values;

const useStyles = makeStyles({
  section: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    alignItems: 'start',
    columnGap: '16px',
    rowGap: '14px',
    margin: 0,
    padding: 0,
    border: 'none',
    minWidth: 0,
  },
  legend: {
    gridColumn: '1 / -1',
    padding: 0,
    marginBottom: '2px',
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1,
  },
  sectionNote: { gridColumn: '1 / -1', margin: 0, marginTop: '-8px', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  full: { gridColumn: '1 / -1' },
  divider: { border: 'none', borderTop: `1px solid ${tokens.colorNeutralStroke2}`, margin: '4px 0' },
  reveal: { minWidth: 'auto' },
});

export function EnrollPage() {
  const p = usePanelStyles();
  const s = useStyles();
  const intl = useIntl();
  const navigate = useNavigate();
  const { locale } = useLocale();
  const [values, setValues] = useState<Values>(() => ({ ...EMPTY, 'address.country': DEFAULT_COUNTRY[locale] }));
  const countryTouched = useRef(false);
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const fe = fieldErrors(error);

  // Until the user picks a country, follow the UI language's default.
  useEffect(() => {
    if (!countryTouched.current) setValues((v) => ({ ...v, 'address.country': DEFAULT_COUNTRY[locale] }));
  }, [locale]);

  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [error]);

  const countries = useMemo(() => {
    const collator = new Intl.Collator(locale);
    return COUNTRY_CODES.map((code) => ({ code, name: countryName(locale, code) })).sort((a, b) => collator.compare(a.name, b.name));
  }, [locale]);

  const labels = useMemo(
    () => Object.fromEntries(Object.entries(FIELDS).map(([k, [id]]) => [k, intl.formatMessage({ id })])) as Record<FieldName, string>,
    [intl],
  );

  const set = (name: FieldName) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  function body(): EnrollmentRequest {
    // Empty optional fields are left out, never sent as "".
    const opt = (name: FieldName) => {
      const v = values[name].trim();
      return v === '' ? undefined : v;
    };
    return {
      companyName: opt('companyName'),
      address: {
        addressLine1: opt('address.addressLine1'),
        addressLine2: opt('address.addressLine2'),
        city: opt('address.city'),
        state: opt('address.state'),
        postalCode: opt('address.postalCode'),
        country: opt('address.country'),
      },
      primaryContact: {
        firstName: opt('primaryContact.firstName'),
        lastName: opt('primaryContact.lastName'),
        email: opt('primaryContact.email'),
        phoneNumber: opt('primaryContact.phoneNumber'),
      },
      email: opt('email'),
      password: values.password === '' ? undefined : values.password,
      phone: opt('phone'),
      website: opt('website'),
      locale,
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api<EnrollmentAnswer>('/v1/enrollment', { method: 'POST', body: body() });
      navigate(`/enroll/verify?email=${encodeURIComponent(answer.verification.sentTo)}`, { state: { enrolled: answer.partner.companyName } });
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      setBusy(false);
    }
  }

  const field = (name: FieldName, input: (testId: string) => ReactNode, extra: { hint?: JSX.Element; className?: string } = {}) => (
    <Field
      className={extra.className}
      label={labels[name]}
      required={REQUIRED.has(name)}
      validationMessage={fe[name]}
      hint={extra.hint}
    >
      {input(FIELDS[name][1])}
    </Field>
  );

  const text = (name: FieldName, props: { type?: 'text' | 'email' | 'tel' | 'url'; autoComplete?: string; className?: string } = {}) =>
    field(
      name,
      (testId) => (
        <Input
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          value={values[name]}
          onChange={(_, d) => set(name)(d.value)}
          data-testid={testId}
        />
      ),
      { className: props.className },
    );

  const country = values['address.country'];
  const currency = CURRENCY[country];

  return (
    <section className={`${p.panel} ${p.wide}`} aria-labelledby="enroll-title">
      <div className={p.heading}>
        <h1 id="enroll-title" className={p.title}>
          <FormattedMessage id="enroll.title" />
        </h1>
        <p className={p.lead}>
          <FormattedMessage id="enroll.lead" />
        </p>
      </div>
      <div ref={errorRef}>
        <FormError error={error} shownFields={Object.keys(FIELDS)} fieldLabels={labels} summary />
      </div>
      <form className={p.form} onSubmit={submit} noValidate>
        <fieldset className={s.section}>
          <legend className={s.legend}>
            <FormattedMessage id="enroll.section.company" />
          </legend>
          {text('companyName', { autoComplete: 'organization', className: s.full })}
          {text('phone', { type: 'tel', autoComplete: 'tel' })}
          {text('website', { type: 'url', autoComplete: 'url' })}
        </fieldset>
        <hr className={s.divider} />
        <fieldset className={s.section}>
          <legend className={s.legend}>
            <FormattedMessage id="enroll.section.address" />
          </legend>
          {field(
            'address.country',
            (testId) => (
              <Select
                value={country}
                onChange={(_, d) => {
                  countryTouched.current = true;
                  set('address.country')(d.value);
                }}
                autoComplete="country"
                data-testid={testId}
              >
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </Select>
            ),
            {
              className: s.full,
              hint: currency ? (
                <FormattedMessage id="enroll.countryHint" values={{ currency }} />
              ) : (
                <FormattedMessage id="enroll.countryHintNoCurrency" />
              ),
            },
          )}
          {text('address.addressLine1', { autoComplete: 'address-line1', className: s.full })}
          {text('address.addressLine2', { autoComplete: 'address-line2', className: s.full })}
          {text('address.city', { autoComplete: 'address-level2' })}
          {text('address.state', { autoComplete: 'address-level1' })}
          {text('address.postalCode', { autoComplete: 'postal-code' })}
        </fieldset>
        <hr className={s.divider} />
        <fieldset className={s.section}>
          <legend className={s.legend}>
            <FormattedMessage id="enroll.section.contact" />
          </legend>
          <p className={s.sectionNote}>
            <FormattedMessage id="enroll.section.contactNote" />
          </p>
          {text('primaryContact.firstName', { autoComplete: 'given-name' })}
          {text('primaryContact.lastName', { autoComplete: 'family-name' })}
          {text('primaryContact.email', { type: 'email', autoComplete: 'email' })}
          {text('primaryContact.phoneNumber', { type: 'tel', autoComplete: 'tel' })}
        </fieldset>
        <hr className={s.divider} />
        <fieldset className={s.section}>
          <legend className={s.legend}>
            <FormattedMessage id="enroll.section.account" />
          </legend>
          <p className={s.sectionNote}>
            <FormattedMessage id="enroll.section.accountNote" />
          </p>
          {field('email', (testId) => (
            <Input type="email" autoComplete="username" value={values.email} onChange={(_, d) => set('email')(d.value)} data-testid={testId} />
          ), { hint: <FormattedMessage id="enroll.emailHint" /> })}
          {field(
            'password',
            (testId) => (
              <Input
                type={showPassword ? 'text' : 'password'}
                autoComplete="new-password"
                value={values.password}
                onChange={(_, d) => set('password')(d.value)}
                data-testid={testId}
                contentAfter={
                  <Button
                    appearance="transparent"
                    size="small"
                    className={s.reveal}
                    aria-pressed={showPassword}
                    aria-label={intl.formatMessage({ id: showPassword ? 'enroll.password.hide' : 'enroll.password.show' })}
                    onClick={() => setShowPassword((v) => !v)}
                  >
                    <FormattedMessage id={showPassword ? 'enroll.password.hideShort' : 'enroll.password.showShort'} />
                  </Button>
                }
              />
            ),
            { hint: <FormattedMessage id="enroll.passwordHint" /> },
          )}
        </fieldset>
        <div className={p.actions}>
          <Button type="submit" appearance="primary" disabled={busy} data-testid="enroll-submit">
            <FormattedMessage id={busy ? 'enroll.submitting' : 'enroll.submit'} />
          </Button>
          <span>
            <FormattedMessage id="enroll.haveAccount" />{' '}
            <AppLink to="/signin">
              <FormattedMessage id="enroll.signIn" />
            </AppLink>
          </span>
        </div>
      </form>
    </section>
  );
}
