import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import countryToCurrency from 'country-to-currency';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client';
import { fieldErrors, FormError } from '../../components/FormError';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';

/** The same countries as the API accepts (those with a currency). */
const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>);
const DEFAULT_COUNTRY: Record<string, string> = { fr: 'FR', en: 'US' };
const SIZES = ['small', 'medium', 'large'] as const;
/** The API's limits (POST /v1/directory/partners/{id}/contact). */
const MAX = { name: 100, company: 150, email: 254, phone: 40, need: 2000 } as const;

type FieldName = 'name' | 'company' | 'email' | 'phone' | 'country' | 'companySize' | 'need' | 'consent';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '14px', position: 'relative', minWidth: 0 },
  row: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(200px, 100%), 1fr))', gap: '14px', '& > *': { minWidth: 0 } },
  // A native select is as wide as its longest option (long country names) unless told otherwise.
  select: { width: '100%', minWidth: 0, '& select': { minWidth: 0, width: '100%' } },
  intro: { margin: 0, color: tokens.colorNeutralForeground3 },
  // The honeypot: off screen, hidden from assistive technology and out of the tab order; people never see it, robots fill it.
  trap: { position: 'absolute', left: '-10000px', top: 'auto', width: '1px', height: '1px', overflow: 'hidden' },
  counter: { color: tokens.colorNeutralForeground3 },
  submit: { alignSelf: 'flex-start' },
});

/**
 * "Contact this partner" on a partner's public page (issue 5): name, company, email, phone,
 * country, company size, need and consent; the message becomes a lead in the partner's
 * Referrals inbox. `partnerId` is the directory's partner id (a published business profile).
 */
export function ContactPartnerForm({ partnerId, partnerName }: { partnerId: string; partnerName: string }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [values, setValues] = useState<Record<Exclude<FieldName, 'consent'>, string>>(() => ({
    name: '', company: '', email: '', phone: '', country: DEFAULT_COUNTRY[locale] ?? 'FR', companySize: 'small', need: '',
  }));
  const [consent, setConsent] = useState(false);
  const [trap, setTrap] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const sentRef = useRef<HTMLDivElement>(null);
  const errs = fieldErrors(error);
  const label = (f: FieldName) => intl.formatMessage({ id: `contactForm.${f}` });
  const labels = Object.fromEntries((['name', 'company', 'email', 'phone', 'country', 'companySize', 'need', 'consent'] as const).map((f) => [f, label(f)]));
  const countries = useMemo(() => COUNTRY_CODES.map((c) => ({ code: c, name: countryName(locale, c) })).sort((a, b) => a.name.localeCompare(b.name, locale)), [locale]);

  useEffect(() => {
    if (sent) sentRef.current?.focus();
  }, [sent]);

  const set = (f: Exclude<FieldName, 'consent'>) => (_: unknown, d: { value: string }) => setValues((v) => ({ ...v, [f]: d.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(`/v1/directory/partners/${encodeURIComponent(partnerId)}/contact`, {
        method: 'POST',
        redirectOnAuthFailure: false,
        body: { ...values, consent, ...(trap ? { website: trap } : {}) },
      });
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <div ref={sentRef} tabIndex={-1} data-testid="contact-sent">
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="contactForm.sent.title" />
            </MessageBarTitle>
            <FormattedMessage id="contactForm.sent.text" values={{ partner: partnerName }} />
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }

  const field = (f: FieldName) => ({ label: labels[f], validationState: errs[f] ? ('error' as const) : ('none' as const), validationMessage: errs[f] });
  return (
    <form className={s.form} onSubmit={(e) => void submit(e)} noValidate aria-label={intl.formatMessage({ id: 'contactForm.title' }, { partner: partnerName })} data-testid="contact-form">
      <p className={s.intro}>
        <FormattedMessage id="contactForm.intro" />
      </p>
      <div className={s.row}>
        <Field {...field('name')} required>
          <Input value={values.name} onChange={set('name')} maxLength={MAX.name} autoComplete="name" data-testid="contact-name" />
        </Field>
        <Field {...field('company')} required>
          <Input value={values.company} onChange={set('company')} maxLength={MAX.company} autoComplete="organization" data-testid="contact-company" />
        </Field>
      </div>
      <div className={s.row}>
        <Field {...field('email')} required>
          <Input type="email" value={values.email} onChange={set('email')} maxLength={MAX.email} autoComplete="email" data-testid="contact-email" />
        </Field>
        <Field {...field('phone')} required hint={intl.formatMessage({ id: 'contactForm.phone.hint' })}>
          <Input type="tel" value={values.phone} onChange={set('phone')} maxLength={MAX.phone} autoComplete="tel" data-testid="contact-phone" />
        </Field>
      </div>
      <div className={s.row}>
        <Field {...field('country')} required>
          <Select className={s.select} value={values.country} onChange={set('country')} autoComplete="country" data-testid="contact-country">
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field {...field('companySize')} required>
          <Select className={s.select} value={values.companySize} onChange={set('companySize')} data-testid="contact-size">
            {SIZES.map((z) => (
              <option key={z} value={z}>
                {intl.formatMessage({ id: `leads.size.${z}` })}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field {...field('need')} required hint={intl.formatMessage({ id: 'contactForm.need.count' }, { count: values.need.length, max: MAX.need })}>
        <Textarea value={values.need} onChange={set('need')} maxLength={MAX.need} rows={5} resize="vertical" data-testid="contact-need" />
      </Field>
      <div className={s.trap} aria-hidden="true">
        <label htmlFor={`contact-website-${partnerId}`}>
          <FormattedMessage id="contactForm.trap" />
        </label>
        <input id={`contact-website-${partnerId}`} name="website" type="text" tabIndex={-1} autoComplete="off" value={trap} onChange={(e) => setTrap(e.target.value)} />
      </div>
      <Field validationState={errs.consent ? 'error' : 'none'} validationMessage={errs.consent} required>
        <Checkbox checked={consent} onChange={(_, d) => setConsent(d.checked === true)} label={intl.formatMessage({ id: 'contactForm.consent' }, { partner: partnerName })} data-testid="contact-consent" />
      </Field>
      <FormError error={error} shownFields={['name', 'company', 'email', 'phone', 'country', 'companySize', 'need', 'consent']} fieldLabels={labels} />
      <Button type="submit" appearance="primary" className={s.submit} disabled={busy} data-testid="contact-submit">
        <FormattedMessage id={busy ? 'contactForm.sending' : 'contactForm.submit'} />
      </Button>
    </form>
  );
}
